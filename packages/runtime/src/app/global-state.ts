import type { Topology } from '@ts-streams/dsl';
import type { RecordCache, StateDirectory, StateStore } from '@ts-streams/state';
import type { AssignedConsumer } from '../client/assigned-consumer.ts';
import type { KafkaAdmin } from '../client/kafka-admin.ts';
import type { FetchedPartition } from '../client/fetched-partition.ts';
import type { RecordSink } from '../io/record-sink.ts';
import { compileTask, taskStoreSpecs } from '../compile/compile-task.ts';
import type { StreamTask } from '../task/stream-task.ts';
import { openPersistentStores, globalRestorePartitions, closeInner, type InnerStore } from '../state/persistent-stores.ts';
import { TaskStateManager } from '../state/task-state-manager.ts';
import { drain } from '../operators/process-records.ts';
import { yieldToEventLoop } from '../task/yield-to-event-loop.ts';
import { DEFAULT_SLICE } from '../operators/process-records.ts';

/**
 * The global tables of the application (Kafka Streams' GlobalStreamThread with its GlobalStateManager): every
 * instance reads every partition of their topics, outside the consumer group, into its global stores, which every
 * task reads. `bootstrap()` reads them up to their end offsets before any task processes (from the checkpoint when
 * the stores on disk have one); `update()` applies what arrived since. Their checkpoint is their source topics'
 * next offsets (they have no changelog), written at each commit and at close.
 */
export class GlobalState {
  private constructor(
    private readonly task: StreamTask,
    private readonly inner: ReadonlyMap<string, InnerStore>,
    private readonly consumer: AssignedConsumer,
    private readonly maxPollRecords: number,
  ) {}

  /** The global stores, for the tasks (empty without global tables). */
  get stores(): ReadonlyMap<string, StateStore> {
    return this.task.ownStores;
  }

  /** Opens the global stores and reads their topics to the end; undefined when the topology has no global table. */
  static async bootstrap(env: {
    readonly topology: Topology;
    readonly applicationId: string;
    readonly stateDir: StateDirectory;
    readonly cache: RecordCache;
    readonly sink: RecordSink;
    readonly admin: KafkaAdmin;
    readonly consumer: AssignedConsumer;
    readonly maxPollRecords: number;
    readonly pollMs: number;
    readonly log: (line: string) => void;
  }): Promise<GlobalState | undefined> {
    const { topology, applicationId } = env;
    if (topology.globalStores.length === 0) return undefined;
    const topics = [...new Set(topology.globalStores.map((g) => g.topic))];
    const described = await env.admin.describeTopics(topics);
    const partitionsOf = (topic: string) => described.get(topic)!.partitions;
    const plan = { topology, subtopologies: [] as number[], partition: 0, globals: true };
    const opened = await openPersistentStores(taskStoreSpecs(plan), {
      stateDir: env.stateDir, taskId: 'global', applicationId, partition: 0,
      restorePartitions: globalRestorePartitions(topology, partitionsOf), warn: env.log,
    });
    const stateManager = TaskStateManager.of(opened);
    const task = compileTask({ ...plan, applicationId, sink: env.sink, cache: env.cache, wallClock: Date.now, innerStores: opened.inner, stateManager });
    const partitions = topics.flatMap((topic) => Array.from({ length: partitionsOf(topic) }, (_, partition) => ({ topic, partition })));
    const state = new GlobalState(task, opened.inner, env.consumer, env.maxPollRecords);
    const ends = await env.admin.listOffsets(partitions, 'latest');
    env.consumer.assign(partitions);
    // In-memory global stores have no checkpoint: they read from the start.
    for (const tp of partitions) {
      // No checkpoint (0, or an in-memory store): from the log start, which retention may have moved past 0.
      const from = stateManager.offset(tp.topic, tp.partition) ?? 0;
      env.consumer.seek(tp, from === 0 ? 'earliest' : from);
    }
    const started = performance.now();
    const remaining = new Map(ends.map((e) => [`${e.topic}\u0000${e.partition}`, e.offset]));
    let records = 0;
    for (const tp of partitions) {
      const from = stateManager.offset(tp.topic, tp.partition) ?? 0;
      if (from >= remaining.get(`${tp.topic}\u0000${tp.partition}`)!) remaining.delete(`${tp.topic}\u0000${tp.partition}`);
    }
    while (remaining.size > 0) {
      const fetched = await env.consumer.poll({ maxRecords: env.maxPollRecords, timeoutMs: env.pollMs });
      records += await state.apply(fetched);
      for (const f of fetched) {
        const k = `${f.topic}\u0000${f.partition}`;
        const end = remaining.get(k);
        if (end !== undefined && (f.nextOffset >= end || f.lag === 0)) remaining.delete(k);
      }
    }
    state.checkpoint();
    env.log(`Global tables ${topics.map((t) => `'${t}'`).join(', ')} read up to date: ${records} records in ${Math.round(performance.now() - started)} ms.`);
    return state;
  }

  /** Applies what one poll of the global topics brought; returns how many records. */
  async apply(fetched: readonly FetchedPartition[]): Promise<number> {
    let n = 0;
    for (const f of fetched) {
      for (let i = 0; i < f.records.length; i += DEFAULT_SLICE.maxRecords) {
        if (i > 0) await yieldToEventLoop();
        this.task.addRecords(f.topic, f.partition, f.records, i, Math.min(f.records.length, i + DEFAULT_SLICE.maxRecords));
        drain(this.task, { commitEveryRecord: false });
      }
      n += f.records.length;
    }
    return n;
  }

  /** Reads what arrived on the global topics since the last call (waiting at most `timeoutMs`) and applies it. */
  async update(timeoutMs: number): Promise<number> {
    return this.apply(await this.consumer.poll({ maxRecords: this.maxPollRecords, timeoutMs }));
  }

  /** Flushes the global stores and writes their checkpoint (their topics' next offsets). */
  checkpoint(): void {
    this.task.prepareCommit();
    this.task.postCommit(true);
  }

  async close(): Promise<void> {
    if (this.task.hasUncommitted) this.checkpoint();
    this.task.closeClean();
    await Promise.all([...this.inner.values()].map((s) => closeInner(s)));
    await this.consumer.close();
  }
}
