import { Subject } from 'rxjs';
import type { Topology, Serde, Headers } from '@ts-streams/dsl';
import { NO_HEADERS } from '@ts-streams/dsl';
import type { StateStore, KeyValueStore, WindowStore, SessionStore } from '@ts-streams/state';
import { RecordCache } from '@ts-streams/state';
import type { OutputRecord, RawRecord } from '../io/raw-record.ts';
import { OutputQueue } from './output-queue.ts';
import type { RecordSink } from '../io/record-sink.ts';
import type { StreamTask } from '../task/stream-task.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateDirectory } from '@ts-streams/state';
import { compileTask, taskStoreSpecs } from '../compile/compile-task.ts';
import { openPersistentStores, globalRestorePartitions, closeInner, type InnerStore, type OpenedStores } from '../state/persistent-stores.ts';
import { processRecords, drain, type InputBatch, type ProcessPolicy } from '../operators/process-records.ts';
import { TestInputTopic } from './test-input-topic.ts';
import { TestOutputTopic } from './test-output-topic.ts';
import { writtenTopics } from './written-topics.ts';
import { unwrapTimestampedKeyValueStore, unwrapTimestampedWindowStore } from './store-facades.ts';
import { StreamsError, FeedbackLoopError } from '../errors/streams-error.ts';
import { TopicCycles } from './topic-cycles.ts';
import { emitIntervals, TEST_DRIVER_EMIT_INTERVALS, type EmitIntervals } from '../compile/emit-intervals.ts';
import { changelogTopic } from '../topics/internal-topic-names.ts';

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
   *   its end — so with caching, outputs are deduplicated per call as they are per commit interval;
   * - 'manual': pipe calls are processed as with 'per-pipe' but committed only when you call commit() (or
   *   advanceWallClockTime, or a processor requests it, or at close()), as the running application commits
   *   every commit.interval.ms whatever the size of its polls.
   */
  readonly commit?: 'per-record' | 'per-pipe' | 'manual';
  /**
   * Keep what the stores write to their changelog topics, readable like any output topic (default true, as
   * Kafka's driver). false drops them as they are produced: long-running tests and benchmarks that never read
   * changelogs then do not hold every state update in memory.
   */
  readonly captureChangelogs?: boolean;
  /**
   * How many times a record may go round a cycle of topics (written to a topic the topology reads, read back,
   * written again...) before the call fails with a FeedbackLoopError (default 1000): a cycle no record leaves would
   * otherwise run forever. Counted only for topologies with such a cycle.
   */
  readonly maxFeedbackRounds?: number;
  /**
   * Wall-clock throttling of left/outer stream-stream join non-matches and of emitStrategy('on-window-close')
   * results. Default 0 for both, as Kafka Streams' TopologyTestDriver: looked for on every record. A running
   * application uses 1000 ms; set that here (and move the clock with advanceWallClockTime) to test as it runs.
   */
  readonly emitIntervalMs?: Partial<EmitIntervals>;
}

/** What create() opened: the RocksDB stores and their state directory. */
interface PersistentDriverState {
  readonly globalInner: ReadonlyMap<string, InnerStore>;
  readonly taskInner: ReadonlyMap<string, InnerStore>;
  readonly stateDir: StateDirectory;
  /** The temporary directory to remove on close (undefined when the caller gave stateDir). */
  readonly removeOnClose: string | undefined;
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
  /** False for changelog topics when captureChangelogs is off: records are dropped. */
  readonly capture: boolean;
  readonly queue: OutputQueue;
  readonly feedsTask: boolean;
  readonly feedsGlobal: boolean;
  /** Topics fed back while rounds are counted: the rounds of each record fed back, by offset (0: piped). */
  rounds: Uint32Array | undefined;
  /** Offset of the last record captured (the sink's acknowledged offset); undefined before any. */
  lastOffset: number | undefined;
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
  /** Changelog topics whose records are not kept (captureChangelogs: false). */
  private readonly droppedChangelogs: Set<string>;
  /** The cycles of topics, when the topology has one: then feedback rounds are counted (maxFeedbackRounds). */
  private readonly cycles: TopicCycles | undefined;
  private readonly maxFeedbackRounds: number;
  /** task.metrics.processed when the current call began: records processed before are not this call's causes. */
  private processedAtCall = 0;
  /** The first record of this call stopped going round a cycle: the call throws it when it has processed the rest. */
  private feedbackLoop: FeedbackLoopError | undefined;
  /** What made the processing pipeline fail, until the call that caused it throws it. */
  private failure: unknown;
  private closed = false;

  private readonly persistent: PersistentDriverState | undefined;

  /**
   * A driver whose stores all live in memory (whatever the topology's Materialized says), built synchronously.
   * Same semantics as RocksDB-backed stores (one contract suite runs against both); use
   * `await TopologyTestDriver.create(topology)` to run the topology's persistent stores on RocksDB.
   */
  constructor(
    readonly topology: Topology,
    options: TopologyTestDriverOptions = {},
    /** Internal: set by create(). */
    persistent?: PersistentDriverState,
  ) {
    this.persistent = persistent;
    this.applicationId = options.applicationId ?? 'topology-test-driver';
    this.wallClockMs = options.initialWallClockMs ?? 0;
    const cache = new RecordCache(options.cacheMaxBytes ?? 10 * 1024 * 1024);
    this.droppedChangelogs = new Set(
      options.captureChangelogs === false
        ? [...topology.graph.stores.values()].filter((st) => st.logging).map((st) => changelogTopic(this.applicationId, st.name))
        : [],
    );
    const sink: RecordSink = {
      send: (r) => { this.pending.push(r); },
      // Synchronous: a record is acknowledged when captured (after each record, and at each commit).
      flush: () => {},
      acknowledgedOffset: (topic, partition) => (partition === 0 ? this.outputs.get(topic)?.lastOffset : undefined),
      partitionsFor: () => 1,
      // Asked once per changelog topic. A dropped changelog that a task also reads is still sent (and fed back);
      // so is one first written while the tasks are being built (processors' init), before the topics are known.
      discards: (topic) =>
        this.droppedChangelogs.has(topic) && this.taskTopics !== undefined && !this.taskTopics.has(topic) && !this.globalTopics.has(topic),
    };
    const wallClock = () => this.wallClockMs;
    const emitIntervalMs = emitIntervals(options.emitIntervalMs, TEST_DRIVER_EMIT_INTERVALS);
    this.globalTask = topology.globalStores.length > 0
      ? compileTask({ topology, applicationId: this.applicationId, subtopologies: [], partition: 0, sink, cache, wallClock, emitIntervalMs, globals: true, innerStores: persistent?.globalInner })
      : undefined;
    this.globalTopics = new Set(topology.globalStores.map((g) => g.topic));
    this.task = topology.subtopologies.length > 0
      ? compileTask({
          topology, applicationId: this.applicationId, subtopologies: topology.subtopologies.map((s) => s.id), partition: 0, sink, cache, wallClock, emitIntervalMs,
          sharedStores: this.globalTask?.ownStores ?? new Map(),
          innerStores: persistent?.taskInner,
        })
      : undefined;
    this.taskTopics = new Set(this.task?.inputTopics() ?? []);
    this.maxFeedbackRounds = options.maxFeedbackRounds ?? 1000;
    if (!(Number.isInteger(this.maxFeedbackRounds) && this.maxFeedbackRounds >= 1)) {
      throw new StreamsError(`maxFeedbackRounds must be an integer >= 1, got ${String(options.maxFeedbackRounds)}.`);
    }
    const cycles = new TopicCycles(topology, this.applicationId, this.taskTopics);
    this.cycles = cycles.any() ? cycles : undefined;
    const mode = options.commit ?? 'per-record';
    if (mode !== 'per-record' && mode !== 'per-pipe' && mode !== 'manual') {
      throw new StreamsError(`Unknown commit mode '${String(options.commit)}': use 'per-record' (default, as Kafka's TopologyTestDriver), 'per-pipe' or 'manual'.`);
    }
    const capture = () => this.captureOutputs();
    this.policy = mode === 'per-record'
      ? { commitEveryRecord: true, recordAtATime: true, afterRecord: capture }
      : { commitEveryRecord: false, shouldCommit: mode === 'per-pipe' ? () => true : () => false, afterRecord: capture };
    if (this.task) this.startPipeline(this.task);
  }

  /** Subscribes the task's processing pipeline to the piped batches; a batch that fails ends it (see rethrow). */
  private startPipeline(task: StreamTask): void {
    this.input$.pipe(processRecords(task, this.policy)).subscribe({ error: (e) => { this.failure = e; } });
  }

  /**
   * A driver with the topology's stores as it declares them — RocksDB unless Materialized says in-memory, as
   * Kafka Streams' TopologyTestDriver — in a fresh state directory (`options.stateDir`, default a temporary
   * one), which close() removes. Opening RocksDB is asynchronous, hence a factory.
   */
  static async create(topology: Topology, options: TopologyTestDriverOptions & { readonly stateDir?: string } = {}): Promise<TopologyTestDriver> {
    const applicationId = options.applicationId ?? 'topology-test-driver';
    const root = options.stateDir ?? mkdtempSync(join(tmpdir(), 'ts-streams-driver-'));
    const stateDir = StateDirectory.lock(join(root, applicationId));
    const plan = { topology, subtopologies: topology.subtopologies.map((s) => s.id), partition: 0 };
    const globalSpecs = taskStoreSpecs({ ...plan, subtopologies: [], globals: true });
    const common = { stateDir, applicationId, partition: 0 };
    let globalInner: OpenedStores | undefined;
    let taskInner: OpenedStores | undefined;
    try {
      // Global stores restore from their source topic (one partition in the driver), not from a changelog.
      globalInner = await openPersistentStores(globalSpecs, { ...common, taskId: 'global', restorePartitions: globalRestorePartitions(topology, () => 1) });
      const shared = new Set(globalSpecs.map((s) => s.name));
      taskInner = await openPersistentStores(taskStoreSpecs(plan).filter((s) => !shared.has(s.name)), { ...common, taskId: `${plan.subtopologies.join('+')}_0` });
      return new TopologyTestDriver(topology, options, {
        globalInner: globalInner.inner, taskInner: taskInner.inner, stateDir, removeOnClose: options.stateDir === undefined ? root : undefined,
      });
    } catch (e) {
      for (const opened of [globalInner, taskInner]) if (opened) await Promise.all([...opened.inner.values()].map((st) => closeInner(st)));
      stateDir.release();
      if (options.stateDir === undefined) rmSync(root, { recursive: true, force: true });
      throw e;
    }
  }

  /** A typed input topic. Records piped without a timestamp start at the driver's wall-clock time. */
  createInputTopic<K, V>(topic: string, keySerde: Serde<K>, valueSerde: Serde<V>, options: { startTimestamp?: number; autoAdvanceMs?: number } = {}): TestInputTopic<K, V> {
    if (!this.taskTopics.has(topic) && !this.globalTopics.has(topic)) {
      throw new StreamsError(`Unknown input topic '${topic}': the topology reads ${[...this.taskTopics, ...this.globalTopics].map((t) => `'${t}'`).join(', ') || 'no topics'}.`);
    }
    return new TestInputTopic<K, V>(this, topic, keySerde, valueSerde, options.startTimestamp ?? this.wallClockMs, options.autoAdvanceMs ?? 0);
  }

  /**
   * A typed reader of an output topic (or of an internal topic by its full name). A topic the topology never
   * writes is refused (it would only ever read as empty), unless a sink chooses its topic per record.
   */
  createOutputTopic<K, V>(topic: string, keySerde: Serde<K>, valueSerde: Serde<V>): TestOutputTopic<K, V> {
    const written = writtenTopics(this.topology, this.applicationId);
    if (written !== undefined && !written.includes(topic)) {
      const read = this.taskTopics.has(topic) || this.globalTopics.has(topic) ? `; it reads '${topic}' (write to it with createInputTopic)` : '';
      throw new StreamsError(
        `Unknown output topic '${topic}': the topology writes ${written.map((t) => `'${t}'`).join(', ') || 'no topics'}${read}. ` +
          `Check the topic name (internal topics are named '<applicationId>-<name>').`,
      );
    }
    return new TestOutputTopic<K, V>(() => this.queueOf(topic), topic, keySerde, valueSerde);
  }

  /** Pipes one record as bytes (what TestInputTopic calls; conformance tests call it directly). */
  pipeRaw(topic: string, key: Uint8Array | null, value: Uint8Array | null, timestamp: number, headers: Headers = NO_HEADERS): void {
    this.pipeRawList(topic, [{ key, value, timestamp, headers }]);
  }

  /**
   * Pipes records as bytes, in order, as one call (see the `commit` option for when state is committed).
   * With the default per-record commit this is the same as piping them one by one, only cheaper.
   */
  pipeRawList(topic: string, records: readonly RawInput[]): void {
    this.beginCall();
    const toTask = this.taskTopics.has(topic);
    const toGlobal = this.globalTopics.has(topic);
    if (!toTask && !toGlobal) throw new StreamsError(`Unknown topic: ${topic}`);
    const raw: RawRecord[] = new Array(records.length);
    let offset = this.reserveOffsets(topic, records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      raw[i] = { key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers ?? NO_HEADERS, offset: offset++ };
    }
    if (toTask) {
      this.input$.next({ topic, partition: 0, records: raw });
      this.endCall();
    }
    if (toGlobal) for (const r of raw) this.processGlobal(topic, r);
  }

  /**
   * Commits now: flushes every store (caches forward their latest values downstream) and processes what that
   * fed back. What the `commit: 'manual'` mode waits for; in the other modes state is already committed.
   */
  commit(): void {
    this.beginCall();
    if (this.task) this.commitTask(this.task);
    this.endCall();
  }

  /** Flushes the task's stores (caches forward downstream) and processes what that fed back into the task. */
  private commitTask(task: StreamTask): void {
    task.prepareCommit();
    drain(task, this.policy);
  }

  /** Moves the mocked wall clock, fires due wall-clock punctuators, commits, and processes what they produced. */
  advanceWallClockTime(ms: number): void {
    this.beginCall();
    if (!(ms >= 0)) throw new StreamsError(`advanceWallClockTime needs a non-negative duration, got ${ms}.`);
    this.wallClockMs += ms;
    if (!this.task) return;
    this.task.maybePunctuateWallClock();
    this.commitTask(this.task);
    this.endCall();
  }

  /** The state directory of a driver from create() (`<stateDir>/<applicationId>`); undefined when all state is in memory. */
  get stateDirectory(): string | undefined {
    return this.persistent?.stateDir.dir;
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

  /**
   * Closes the processors and stores. A driver from create() also releases its RocksDB stores and removes its
   * temporary state directory: await the returned promise before ending the test.
   */
  close(): Promise<void> {
    if (this.closed) return this.closing ?? Promise.resolve();
    // A last commit first, as Kafka's driver does on close: what the caches still hold (commit 'manual') is
    // forwarded and stays readable from the output topics after close.
    let error: unknown;
    if (this.task) {
      this.processedAtCall = this.task.metrics.processed;
      try {
        this.commitTask(this.task);
      } catch (e) {
        error = e;
      }
      error ??= this.feedbackLoop;
    }
    this.closed = true;
    this.input$.complete();
    this.task?.close();
    this.globalTask?.close();
    const p = this.persistent;
    if (!p) {
      this.closing = error === undefined ? Promise.resolve() : Promise.reject(error);
      return this.closing;
    }
    const inner = [...p.taskInner.values(), ...p.globalInner.values()] as { readonly closed?: Promise<void> | null }[];
    this.closing = Promise.all(inner.map((st) => st.closed)).then(() => {
      p.stateDir.release();
      if (p.removeOnClose !== undefined) rmSync(p.removeOnClose, { recursive: true, force: true });
      if (error !== undefined) throw error;
    });
    return this.closing;
  }
  private closing: Promise<void> | undefined;

  private processGlobal(topic: string, rec: RawRecord): void {
    const g = this.globalTask!;
    g.addRecord(topic, 0, rec);
    while (g.process()) { /* update the global store */ }
    g.prepareCommit(); // global stores have no changelog: they restore from their source topic
  }

  /**
   * Moves what the task sent into the per-topic output queues; feeds back records for topics the task reads. When
   * the topology has a cycle of topics, each record fed back is one round more than the record whose processing
   * sent it; one past maxFeedbackRounds is captured but not fed back, and the call, once it has processed what
   * is queued (other records of the cycle stop the same way), fails with a FeedbackLoopError.
   */
  private captureOutputs(): void {
    if (this.pending.length === 0) return;
    const out = this.pending;
    this.pending = [];
    const round = this.cycles === undefined ? 0 : this.roundOfLastRecord() + 1;
    let looping: string | undefined;
    for (let i = 0; i < out.length; i++) {
      const r = out[i]!;
      const route = this.routeOf(r.topic);
      if (route.capture) {
        route.queue.push(r);
        this.emitted.push(r);
      }
      if (route.feedsTask) {
        if (round > this.maxFeedbackRounds) {
          looping ??= r.topic;
        } else {
          const offset = route.lastOffset = this.reserveOffsets(r.topic, 1);
          if (round > 0) setRound(route, offset, round);
          this.task!.addRecord(r.topic, 0, { key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers, offset });
        }
      }
      if (route.feedsGlobal) this.processGlobal(r.topic, { ...r, offset: (route.lastOffset = this.reserveOffsets(r.topic, 1)) });
      else if (!route.feedsTask) route.lastOffset = route.lastOffset === undefined ? 0 : route.lastOffset + 1;
    }
    if (looping !== undefined) this.feedbackLoop ??= this.feedbackLoopError(looping);
  }

  /** The rounds of the record this call processed last (0 when it was piped, or when this call processed none yet). */
  private roundOfLastRecord(): number {
    const task = this.task!;
    if (task.metrics.processed === this.processedAtCall) return 0;
    const last = task.lastRecord;
    const rounds = this.outputs.get(last.topic)?.rounds;
    return rounds !== undefined && last.offset < rounds.length ? rounds[last.offset]! : 0;
  }

  private feedbackLoopError(topic: string): FeedbackLoopError {
    const cycle = this.cycles?.through(topic) ?? [topic, topic];
    const n = this.maxFeedbackRounds;
    return new FeedbackLoopError(
      `A record went round a cycle of topics ${n} times without leaving it: what this topology writes to '${topic}' it reads back (${cycle.map((t) => `'${t}'`).join(' → ')}). ` +
        `Let records leave the cycle (a filter that ends, a retry count), or, if they must go round more often, ` +
        `raise the driver's maxFeedbackRounds option (now ${n}).`,
      topic, cycle, n,
    );
  }

  private routeOf(topic: string): OutputRoute {
    // Consecutive outputs mostly go to one topic: the last route answers without a lookup.
    if (topic === this.lastTopic) return this.lastRoute!;
    let route = this.outputs.get(topic);
    if (!route) {
      route = {
        capture: !this.droppedChangelogs.has(topic), queue: new OutputQueue(), feedsTask: this.taskTopics.has(topic), feedsGlobal: this.globalTopics.has(topic),
        rounds: undefined, lastOffset: undefined,
      };
      this.outputs.set(topic, route);
    }
    this.lastTopic = topic;
    this.lastRoute = route;
    return route;
  }
  private lastTopic: string | undefined;
  private lastRoute: OutputRoute | undefined;
  private queueOf(topic: string): OutputQueue {
    return this.routeOf(topic).queue;
  }
  /** The first of `n` consecutive offsets in `topic`. */
  private reserveOffsets(topic: string, n: number): number {
    const o = this.offsets.get(topic) ?? 0;
    this.offsets.set(topic, o + n);
    return o;
  }
  /** Starts a call that processes: refuses a closed driver, and notes where this call's processing begins. */
  private beginCall(): void {
    if (this.closed) throw new StreamsError('This TopologyTestDriver is closed.');
    if (this.task) this.processedAtCall = this.task.metrics.processed;
    this.feedbackLoop = undefined;
  }
  /** Ends a call that processed: throws what failed it, if anything (see rethrow), else a record stopped going round. */
  private endCall(): void {
    this.rethrow();
    const loop = this.feedbackLoop;
    this.feedbackLoop = undefined;
    if (loop !== undefined) throw loop;
  }
  /**
   * Throws, once, what failed the batch just piped, and leaves the driver usable, as Kafka Streams'
   * TopologyTestDriver: its task drops the record whose processing (or deserialization) threw and processes the
   * next record piped. Here the task has already dropped it too (polled before processing, or never queued); only
   * the pipeline, which an error ends, is started again on the same task. What the failed record forwarded before
   * the throw, and records still queued (fed back, or the rest of a 'per-pipe' batch), go on with the next call.
   */
  private rethrow(): void {
    const e = this.failure;
    if (e === undefined) return;
    this.failure = undefined;
    this.startPipeline(this.task!);
    throw e;
  }
}

/** Records that `offset` of the route's topic was fed back after `round` rounds (the array grows by doubling). */
function setRound(route: OutputRoute, offset: number, round: number): void {
  let rounds = route.rounds;
  if (rounds === undefined || offset >= rounds.length) {
    const grown = new Uint32Array(Math.max(1024, (rounds?.length ?? 0) * 2, offset + 1));
    if (rounds !== undefined) grown.set(rounds);
    route.rounds = rounds = grown;
  }
  rounds[offset] = round;
}
