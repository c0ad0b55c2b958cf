// What the task tests share: compiling tasks of a topology the way the Kafka runtime will (one task per
// sub-topology × partition, all on one record cache), records as consumed bytes, and a sink that keeps what tasks send.
import { NO_HEADERS, Serdes, type Serde, type Topology } from '@ts-streams/dsl';
import { RecordCache } from '@ts-streams/state';
import { compileTask, taskPlan, taskStoreSpecs, type CompileTaskOptions } from '../src/compile/compile-task.ts';
import { openPersistentStores, globalRestorePartitions, closeInner, type OpenedStores } from '../src/state/persistent-stores.ts';
import { TaskStateManager } from '../src/state/task-state-manager.ts';
import type { StateDirectory } from '@ts-streams/state';
import type { StreamTask } from '../src/task/stream-task.ts';
import type { RecordSink } from '../src/io/record-sink.ts';
import type { OutputRecord, RawRecord } from '../src/io/raw-record.ts';
import { defaultPartition } from '../src/io/murmur2.ts';

export const APP = 'app';

/**
 * A RecordSink that keeps every record sent, in order; every topic has `partitions` partitions. Offsets are given
 * per topic-partition in send order; a record is acknowledged at once, or with `ackOnFlush` only when a flush()
 * called after it resolves (as a producer's acks come back).
 */
export class MemorySink implements RecordSink {
  readonly records: OutputRecord[] = [];
  private readonly nextOffset = new Map<string, number>();
  private readonly acked = new Map<string, number>();
  private unacked: [string, number][] = [];
  flushes = 0;
  constructor(private readonly partitions = 2, private readonly ackOnFlush = false) {}
  send(record: OutputRecord): void {
    this.records.push(record);
    const tp = `${record.topic} ${record.partition ?? 0}`;
    const offset = this.nextOffset.get(tp) ?? 0;
    this.nextOffset.set(tp, offset + 1);
    if (this.ackOnFlush) this.unacked.push([tp, offset]);
    else this.acked.set(tp, offset);
  }
  flush(): Promise<void> {
    this.flushes++;
    const acks = this.unacked;
    this.unacked = [];
    return Promise.resolve().then(() => {
      for (const [tp, offset] of acks) this.acked.set(tp, offset);
    });
  }
  acknowledgedOffset(topic: string, partition: number): number | undefined {
    return this.acked.get(`${topic} ${partition}`);
  }
  partitionsFor(): number {
    return this.partitions;
  }
  /** Removes and returns the records sent to `topic` so far. */
  take(topic: string): OutputRecord[] {
    const taken = this.records.filter((r) => r.topic === topic);
    this.records.splice(0, this.records.length, ...this.records.filter((r) => r.topic !== topic));
    return taken;
  }
}

/** Compiles the task of `subtopologies` × `partition` (task id "<subtopology>_<partition>"). */
export function compile(
  topology: Topology,
  subtopologies: readonly number[],
  partition: number,
  sink: RecordSink,
  options: { cache?: RecordCache; wallClock?: () => number; maxTaskIdleMs?: number; bufferedRecordsPerPartition?: number; onDeserializationError?: CompileTaskOptions['onDeserializationError'] } = {},
): StreamTask {
  return compileTask({
    topology, applicationId: APP, subtopologies, partition, sink,
    cache: options.cache ?? new RecordCache(0),
    wallClock: options.wallClock ?? (() => 0),
    ...(options.maxTaskIdleMs !== undefined ? { maxTaskIdleMs: options.maxTaskIdleMs } : {}),
    ...(options.bufferedRecordsPerPartition !== undefined ? { bufferedRecordsPerPartition: options.bufferedRecordsPerPartition } : {}),
    ...(options.onDeserializationError !== undefined ? { onDeserializationError: options.onDeserializationError } : {}),
  });
}

/**
 * Opens the task's RocksDB stores under `stateDir` (as the Kafka runtime: the checkpoint decides what is kept and
 * where restoration starts) and compiles the task with them and a state manager checkpointing them. `globals`:
 * the global task, whose stores restore from their source topics' `sourcePartitions` partitions.
 */
export async function openTask(
  topology: Topology,
  subtopologies: readonly number[],
  partition: number,
  sink: RecordSink,
  stateDir: StateDirectory,
  options: { cache?: RecordCache; globals?: boolean; sourcePartitions?: number; warn?: (line: string) => void } = {},
): Promise<{ task: StreamTask; opened: OpenedStores; closed: () => Promise<void> }> {
  const plan = { topology, subtopologies, partition, ...(options.globals ? { globals: true } : {}) };
  const opened = await openPersistentStores(taskStoreSpecs(plan), {
    stateDir, taskId: taskPlan(plan).taskId, applicationId: APP, partition,
    ...(options.globals ? { restorePartitions: globalRestorePartitions(topology, () => options.sourcePartitions ?? 1) } : {}),
    ...(options.warn ? { warn: options.warn } : {}),
  });
  const task = compileTask({
    ...plan, applicationId: APP, sink, cache: options.cache ?? new RecordCache(0), wallClock: () => 0,
    innerStores: opened.inner, stateManager: TaskStateManager.of(opened),
  });
  return { task, opened, closed: () => Promise.all([...opened.inner.values()].map((s) => closeInner(s))).then(() => {}) };
}

/** [key, value, timestamp] entries as consumed records with consecutive offsets from `firstOffset`. */
export function consumed<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>, entries: readonly (readonly [K | null, V | null, number])[], firstOffset = 0): RawRecord[] {
  return entries.map(([key, value, timestamp], i) => ({
    key: keySerde.serialize('', key), value: valueSerde.serialize('', value), timestamp, headers: NO_HEADERS, offset: firstOffset + i,
  }));
}

/** String keys and values, the common case. */
export function strings(entries: readonly (readonly [string | null, string | null, number])[], firstOffset = 0): RawRecord[] {
  return consumed(Serdes.String(), Serdes.String(), entries, firstOffset);
}

/** Output records as [key, value, timestamp, partition]. */
export function decode<K, V>(records: readonly OutputRecord[], keySerde: Serde<K>, valueSerde: Serde<V>): [K | null, V | null, number, number | undefined][] {
  return records.map((r) => [keySerde.deserialize(r.topic, r.key), valueSerde.deserialize(r.topic, r.value), r.timestamp, r.partition]);
}

/** The partition Kafka's default partitioner gives a string key among `partitions`. */
export function partitionOf(key: string, partitions = 2): number {
  return defaultPartition(Serdes.String().serialize('', key)!, partitions);
}
