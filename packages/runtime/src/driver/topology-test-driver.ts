import { Subject } from 'rxjs';
import type { Topology, Serde, Headers } from '@ts-streams/dsl';
import type { StateStore, KeyValueStore, WindowStore, SessionStore } from '@ts-streams/state';
import { RecordCache } from '@ts-streams/state';
import type { OutputRecord, RawRecord } from '../io/raw-record.ts';
import { OutputQueue } from './output-queue.ts';
import type { RecordSink } from '../io/record-sink.ts';
import type { StreamTask } from '../task/stream-task.ts';
import { compileTask } from '../compile/compile-task.ts';
import { processRecords, drain, type InputBatch, type ProcessPolicy } from '../operators/process-records.ts';
import { TestInputTopic } from './test-input-topic.ts';
import { TestOutputTopic } from './test-output-topic.ts';
import { unwrapTimestampedKeyValueStore, unwrapTimestampedWindowStore } from './store-facades.ts';
import { StreamsError } from '../errors/streams-error.ts';

export interface TopologyTestDriverOptions {
  readonly applicationId?: string;
  /** Initial mocked wall-clock time (ms). Default 0, so runs are reproducible. */
  readonly initialWallClockMs?: number;
  /** Record cache size (Kafka Streams' statestore.cache.max.bytes). Default 10 MiB, as Kafka's. */
  readonly cacheMaxBytes?: number;
  /**
   * When state is committed (stores flushed, caches forwarding their latest values):
   * - 'per-record' (default, as Kafka Streams' TopologyTestDriver): every piped record is processed with
   *   all it causes (repartitioned records included) and committed before the next one is taken;
   * - 'per-pipe': each pipe call (pipeInput, pipeRecordList, ...) is queued whole, processed like a consumed
   *   batch of the running application (records picked by timestamp across topics) and committed once at
   *   its end — so with caching, outputs are deduplicated per call as they are per commit interval.
   */
  readonly commit?: 'per-record' | 'per-pipe';
}

/** A record to pipe as bytes. */
export interface RawInput {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers?: Headers;
}

/** Where captured output of one topic goes. */
interface OutputRoute {
  readonly queue: OutputQueue;
  readonly feedsTask: boolean;
  readonly feedsGlobal: boolean;
}

/**
 * Runs a topology with no broker, like Kafka Streams' TopologyTestDriver: one task over every
 * sub-topology with every topic as a single partition; each piped record is processed completely and
 * committed (caches flushed) before pipeInput returns; records written to repartition (or other input)
 * topics are fed back and processed in the same loop; global tables are updated at once.
 * It runs the same compiled tasks and the same RxJS batch operator as the real runtime.
 */
export class TopologyTestDriver {
  readonly applicationId: string;
  private wallClockMs: number;
  private readonly task: StreamTask | undefined;
  private readonly globalTask: StreamTask | undefined;
  private readonly input$ = new Subject<InputBatch>();
  private readonly outputs = new Map<string, OutputRoute>();
  /** Every output record in emission order across topics (conformance tests read it). */
  readonly emitted: OutputRecord[] = [];
  private pending: OutputRecord[] = [];
  private readonly offsets = new Map<string, number>();
  private readonly globalTopics: Set<string>;
  private readonly taskTopics: Set<string>;
  private readonly policy: ProcessPolicy;
  private failure: unknown;
  private closed = false;

  constructor(
    readonly topology: Topology,
    options: TopologyTestDriverOptions = {},
  ) {
    this.applicationId = options.applicationId ?? 'topology-test-driver';
    this.wallClockMs = options.initialWallClockMs ?? 0;
    const cache = new RecordCache(options.cacheMaxBytes ?? 10 * 1024 * 1024);
    const sink: RecordSink = {
      send: (r) => { this.pending.push(r); },
      flush: () => {},
      partitionsFor: () => 1,
    };
    const wallClock = () => this.wallClockMs;
    this.globalTask = topology.globalStores.length > 0
      ? compileTask({ topology, applicationId: this.applicationId, subtopologies: [], partition: 0, sink, cache, wallClock, globals: true })
      : undefined;
    this.globalTopics = new Set(topology.globalStores.map((g) => g.topic));
    this.task = topology.subtopologies.length > 0
      ? compileTask({
          topology, applicationId: this.applicationId, subtopologies: topology.subtopologies.map((s) => s.id), partition: 0, sink, cache, wallClock,
          sharedStores: this.globalTask?.ownStores ?? new Map(),
        })
      : undefined;
    this.taskTopics = new Set(this.task?.inputTopics() ?? []);
    const perPipe = options.commit === 'per-pipe';
    if (options.commit !== undefined && options.commit !== 'per-record' && !perPipe) {
      throw new StreamsError(`Unknown commit mode '${String(options.commit)}': use 'per-record' (default, as Kafka's TopologyTestDriver) or 'per-pipe'.`);
    }
    this.policy = perPipe
      ? { commitEveryRecord: false, shouldCommit: () => true, afterRecord: () => this.captureOutputs() }
      : { commitEveryRecord: true, recordAtATime: true, afterRecord: () => this.captureOutputs() };
    if (this.task) {
      this.input$.pipe(processRecords(this.task, this.policy)).subscribe({ error: (e) => { this.failure = e; } });
    }
  }

  /** A typed input topic. Records piped without a timestamp start at the driver's wall-clock time. */
  createInputTopic<K, V>(topic: string, keySerde: Serde<K>, valueSerde: Serde<V>, options: { startTimestamp?: number; autoAdvanceMs?: number } = {}): TestInputTopic<K, V> {
    if (!this.taskTopics.has(topic) && !this.globalTopics.has(topic)) {
      throw new StreamsError(`Unknown input topic '${topic}': the topology reads ${[...this.taskTopics, ...this.globalTopics].map((t) => `'${t}'`).join(', ') || 'no topics'}.`);
    }
    return new TestInputTopic<K, V>(this, topic, keySerde, valueSerde, options.startTimestamp ?? this.wallClockMs, options.autoAdvanceMs ?? 0);
  }

  /** A typed reader of an output topic (or of an internal topic by its full name). */
  createOutputTopic<K, V>(topic: string, keySerde: Serde<K>, valueSerde: Serde<V>): TestOutputTopic<K, V> {
    return new TestOutputTopic<K, V>(() => this.queueOf(topic), topic, keySerde, valueSerde);
  }

  /** Pipes one record as bytes (what TestInputTopic calls; conformance tests call it directly). */
  pipeRaw(topic: string, key: Uint8Array | null, value: Uint8Array | null, timestamp: number, headers: Headers = []): void {
    this.pipeRawList(topic, [{ key, value, timestamp, headers }]);
  }

  /**
   * Pipes records as bytes, in order, as one call (see the `commit` option for when state is committed).
   * With the default per-record commit this is the same as piping them one by one, only cheaper.
   */
  pipeRawList(topic: string, records: readonly RawInput[]): void {
    this.checkOpen();
    const toTask = this.taskTopics.has(topic);
    const toGlobal = this.globalTopics.has(topic);
    if (!toTask && !toGlobal) throw new StreamsError(`Unknown topic: ${topic}`);
    const raw: RawRecord[] = new Array(records.length);
    let offset = this.reserveOffsets(topic, records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      raw[i] = { key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers ?? [], offset: offset++ };
    }
    if (toTask) {
      this.input$.next({ topic, partition: 0, records: raw });
      this.rethrow();
    }
    if (toGlobal) for (const r of raw) this.processGlobal(topic, r);
  }

  /** Moves the mocked wall clock, fires due wall-clock punctuators, commits, and processes what they produced. */
  advanceWallClockTime(ms: number): void {
    this.checkOpen();
    if (!(ms >= 0)) throw new StreamsError(`advanceWallClockTime needs a non-negative duration, got ${ms}.`);
    this.wallClockMs += ms;
    if (!this.task) return;
    try {
      this.task.maybePunctuateWallClock();
      this.task.prepareCommit();
      drain(this.task, this.policy);
    } catch (e) {
      this.failure = e;
    }
    this.rethrow();
  }

  get wallClockTime(): number {
    return this.wallClockMs;
  }

  /** The named store, any kind, as the topology's processors see it. */
  getStateStore<S = StateStore>(name: string): S {
    const s = this.task?.stores.get(name) ?? this.globalTask?.stores.get(name);
    if (!s) throw new StreamsError(`No store named '${name}'. Stores of this topology: ${[...this.topology.graph.stores.keys()].join(', ') || 'none'}.`);
    return s as S;
  }
  /** A key-value store; timestamped (DSL) stores are shown with plain values, as Kafka's driver does. */
  getKeyValueStore<K, V>(name: string): KeyValueStore<K, V> {
    const spec = this.topology.graph.stores.get(name);
    const s = this.getStateStore<KeyValueStore<K, any>>(name);
    if (spec?.type === 'timestamped-key-value') return unwrapTimestampedKeyValueStore<K, V>(s);
    if (spec && spec.type !== 'key-value') throw new StreamsError(`Store '${name}' is a ${spec.type} store, not a key-value store.`);
    return s as KeyValueStore<K, V>;
  }
  getTimestampedKeyValueStore<K, V>(name: string): KeyValueStore<K, { value: V; timestamp: number }> {
    return this.getStateStore(name);
  }
  getWindowStore<K, V>(name: string): WindowStore<K, V> {
    const spec = this.topology.graph.stores.get(name);
    const s = this.getStateStore<WindowStore<K, any>>(name);
    if (spec?.type === 'timestamped-window') return unwrapTimestampedWindowStore<K, V>(s);
    return s as WindowStore<K, V>;
  }
  getSessionStore<K, V>(name: string): SessionStore<K, V> {
    return this.getStateStore(name);
  }

  /** Records dropped by the task, per reason and step (late records, null keys, bad timestamps). */
  droppedRecords(): ReadonlyMap<string, number> {
    return this.task?.metrics.dropped ?? new Map();
  }

  /** Output topics that received records so far. */
  producedTopicNames(): string[] {
    return [...this.outputs.keys()];
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.input$.complete();
    this.task?.close();
    this.globalTask?.close();
  }

  private processGlobal(topic: string, rec: RawRecord): void {
    const g = this.globalTask!;
    g.addRecord(topic, 0, rec);
    while (g.process()) { /* update the global store */ }
    g.prepareCommit(); // global stores have no changelog: they restore from their source topic
  }

  /** Moves what the task sent into the per-topic output queues; feeds back records for topics the task reads. */
  private captureOutputs(): void {
    if (this.pending.length === 0) return;
    const out = this.pending;
    this.pending = [];
    for (let i = 0; i < out.length; i++) {
      const r = out[i]!;
      const route = this.routeOf(r.topic);
      route.queue.push(r);
      this.emitted.push(r);
      if (route.feedsTask) {
        this.task!.addRecord(r.topic, 0, { key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers, offset: this.reserveOffsets(r.topic, 1) });
      }
      if (route.feedsGlobal) this.processGlobal(r.topic, { ...r, offset: this.reserveOffsets(r.topic, 1) });
    }
  }

  private routeOf(topic: string): OutputRoute {
    let route = this.outputs.get(topic);
    if (!route) this.outputs.set(topic, (route = { queue: new OutputQueue(), feedsTask: this.taskTopics.has(topic), feedsGlobal: this.globalTopics.has(topic) }));
    return route;
  }
  private queueOf(topic: string): OutputQueue {
    return this.routeOf(topic).queue;
  }
  /** The first of `n` consecutive offsets in `topic`. */
  private reserveOffsets(topic: string, n: number): number {
    const o = this.offsets.get(topic) ?? 0;
    this.offsets.set(topic, o + n);
    return o;
  }
  private checkOpen(): void {
    if (this.closed) throw new StreamsError('This TopologyTestDriver is closed.');
    this.rethrow();
  }
  private rethrow(): void {
    if (this.failure !== undefined) {
      const e = this.failure;
      throw e;
    }
  }
}
