import type { StreamRecord, ProcessorContext, PunctuationType, Cancellable, Serde, Headers } from '@ts-streams/dsl';
import { NO_HEADERS } from '@ts-streams/dsl';
import type { StateStore, ChangelogRecord, RestorableStore } from '@ts-streams/state';
import type { RuntimeNode } from '../compile/runtime-node.ts';
import type { RawRecord } from '../io/raw-record.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';
import type { RecordSink } from '../io/record-sink.ts';
import type { TaskStateManager, CheckpointSources } from '../state/task-state-manager.ts';
import type { RecordContext } from './record-context.ts';
import { PartitionGroup, MAX_TASK_IDLE_DISABLED } from './partition-group.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import type { PartitionQueue } from './partition-queue.ts';
import { TaskMetrics } from './task-metrics.ts';
import { nextPunctuation, type PunctuationSchedule } from './punctuation-schedule.ts';
import { DeserializationError, ProcessingError, StreamsError } from '../errors/streams-error.ts';
import { encodeTopicPartitionMetadata, type TopicPartitionMetadata } from './topic-partition-metadata.ts';
import { ProcessorMetadata, attachProcessorMetadata } from './processor-metadata.ts';

/** How a task reads one input topic: its source node, serdes and timestamp extractor. */
export interface TaskSource {
  readonly node: RuntimeNode;
  readonly keySerde: Serde<any>;
  readonly valueSerde: Serde<any>;
  readonly timestampExtractor: ((record: { key: unknown; value: unknown; timestamp: number; topic: string; partition: number; headers: Headers }, partitionTime: number) => number) | undefined;
}

/** What a task writes to: its sink, and the state manager checkpointing its persistent stores. */
export interface TaskIo {
  readonly sink?: RecordSink;
  readonly stateManager?: TaskStateManager;
  /**
   * max.task.idle.ms (see PartitionGroup): absent = never wait for an empty partition (the TopologyTestDriver, whose
   * partitions are always fetched and caught up). The Kafka runtime passes its config (Kafka's default 0).
   */
  readonly maxTaskIdleMs?: number;
  /** buffered.records.per.partition: a queue holding more asks for its partition to be paused (default 1000, as Kafka). */
  readonly bufferedRecordsPerPartition?: number;
  /** Drops the dirty entries of the task's caching stores without writing them down (closeDirty). */
  readonly discardCaches?: () => void;
  /**
   * Kafka Streams' deserialization.exception.handler: told of each record the source serdes cannot read; 'fail'
   * (absent: always) throws the DeserializationError, 'continue' skips the record, counted as dropped
   * ('deserialization-error' at the source step; the handler logs it).
   */
  readonly onDeserializationError?: (error: DeserializationError) => 'fail' | 'continue';
}

/**
 * One task: some sub-topologies × one partition. Owns ordering (next record by timestamp across its
 * partitions), stream time, punctuation and the stores; processes records depth-first through the
 * compiled processor nodes, synchronously. Commit is split into prepare (flush state) and the caller's
 * durable write of outputs and offsets.
 */
export class StreamTask {
  readonly group: PartitionGroup;
  /** Largest timestamp processed; -1 before any record (Kafka Streams' UNKNOWN). */
  streamTime = -1;
  /** The input record being processed; null inside punctuators. */
  recordContext: RecordContext | null = null;
  /**
   * Timestamp and headers of the record the running processor was handed, while a record is processed (the input
   * record's, then each forwarded record's for the children it goes to: Kafka Streams' forward() sets the record
   * context so) or a punctuator runs (the punctuation time and no headers, then as forwarded). Store writes are
   * stamped with them (a changelog record's timestamp, a cache entry's headers); valid while inRecordContext.
   */
  currentTimestamp = -1;
  currentHeaders: Headers = [];
  inRecordContext = false;
  /** The node whose processor is running (for error messages). */
  currentNode: RuntimeNode | null = null;
  /**
   * What the task's processors keep across a restart (Kafka Streams' ProcessorMetadata: the emit-final aggregations'
   * last window close time), committed with every input offset and read back by initializeMetadata.
   */
  readonly processorMetadata = new ProcessorMetadata();
  private readonly streamTimeSchedules: PunctuationSchedule[] = [];
  private readonly wallClockSchedules: PunctuationSchedule[] = [];
  private commitRequested = false;
  /** Records processed or punctuators fired since the last prepareCommit. */
  private uncommitted = false;
  private ownStoreList: StateStore[] | undefined;
  /** The partition the last addRecord went to (consecutive records mostly share one). */
  private lastInput: { topic: string; partition: number; source: TaskSource; queue: PartitionQueue } | undefined;
  /** Reused for every record (recordContext points at it while a record is processed). */
  private readonly current: { topic: string; partition: number; offset: number; timestamp: number; headers: Headers } = { topic: '', partition: 0, offset: -1, timestamp: -1, headers: [] };

  constructor(
    readonly id: string,
    readonly applicationId: string,
    readonly partition: number,
    private readonly sources: ReadonlyMap<string, TaskSource>,
    readonly nodes: ReadonlyMap<string, RuntimeNode>,
    /** Every store this task's processors may use, its own and shared (global) ones. */
    readonly stores: ReadonlyMap<string, StateStore>,
    /** The stores this task owns: flushed on commit, closed on close. */
    readonly ownStores: ReadonlyMap<string, StateStore>,
    private readonly wallClock: () => number,
    readonly metrics: TaskMetrics = new TaskMetrics(),
    /** Lets the compiler attach what its processors need to each context (store flush hooks). */
    private readonly decorateContext: (ctx: ProcessorContext<any, any>) => ProcessorContext<any, any> = (c) => c,
    io: TaskIo = {},
  ) {
    this.sink = io.sink;
    this.stateManager = io.stateManager;
    this.discardCaches = io.discardCaches ?? (() => {});
    this.onDeserializationError = io.onDeserializationError;
    this.maxBuffered = io.bufferedRecordsPerPartition ?? 1000;
    if (!(Number.isInteger(this.maxBuffered) && this.maxBuffered >= 1)) {
      throw new StreamsError(`bufferedRecordsPerPartition must be an integer >= 1, got ${io.bufferedRecordsPerPartition}.`);
    }
    this.group = new PartitionGroup(io.maxTaskIdleMs);
    // Idling needs every input partition of the task known from the start, buffered or not (a global task reads
    // every partition of its topics and never idles).
    if (this.group.maxTaskIdleMs !== MAX_TASK_IDLE_DISABLED) for (const topic of sources.keys()) this.group.queue(topic, partition);
  }

  private readonly maxBuffered: number;
  /** Partitions whose queue went over bufferedRecordsPerPartition / drained back, since the caller last asked. */
  private toPause: PartitionQueue[] = [];
  private toResume: PartitionQueue[] = [];

  /**
   * What the last fetch of one of the task's partitions said (see PartitionGroup#updateLag): the records on the broker
   * past what was fetched (0: caught up — say so also when a fetch came back empty), or undefined when unknown.
   */
  updateLag(topic: string, partition: number, lag: number | undefined): void {
    this.group.updateLag(this.group.queue(topic, partition), lag);
  }

  /** Whether the task may process now (max.task.idle.ms: see PartitionGroup#readyToProcess). */
  readyToProcess(): boolean {
    return this.group.readyToProcess(this.wallClock);
  }

  /** Records buffered for one input partition. */
  bufferedRecords(topic: string, partition: number): number {
    return this.group.find(topic, partition)?.size ?? 0;
  }

  /**
   * The input partitions to pause fetching, since the last call: their queue holds more than
   * bufferedRecordsPerPartition records (Kafka's StreamTask#addRecords pausing the consumer). Allocates only when some.
   */
  partitionsToPause(): TopicPartition[] {
    return this.takePartitions('pause');
  }

  /** The paused input partitions to resume fetching, since the last call: their queue drained to bufferedRecordsPerPartition. */
  partitionsToResume(): TopicPartition[] {
    return this.takePartitions('resume');
  }

  private takePartitions(which: 'pause' | 'resume'): TopicPartition[] {
    const list = which === 'pause' ? this.toPause : this.toResume;
    if (list.length === 0) return [];
    if (which === 'pause') this.toPause = [];
    else this.toResume = [];
    return list.map((q) => ({ topic: q.topic, partition: q.partition }));
  }

  /** Drops the dirty entries of the task's caches, unwritten (closeDirty). */
  private readonly discardCaches: () => void;
  private readonly onDeserializationError: TaskIo['onDeserializationError'];
  private closed = false;
  /** Where the task's outputs and changelog records go (its acknowledged offsets are checkpointed). */
  readonly sink: RecordSink | undefined;
  /** The checkpointing of the task's persistent stores; undefined when nothing is checkpointed (the driver). */
  readonly stateManager: TaskStateManager | undefined;
  /** What the state manager reads at a checkpoint: the sink's acknowledged changelog offsets, the task's processed inputs. */
  private readonly checkpointSources: CheckpointSources = {
    acknowledged: (topic, partition) => this.sink?.acknowledgedOffset(topic, partition),
    processed: (topic, partition) => {
      const q = this.group.find(topic, partition);
      return q !== undefined && q.committableOffset >= 0 ? q.committableOffset : undefined;
    },
  };

  /** Topics this task reads. */
  inputTopics(): string[] {
    return [...this.sources.keys()];
  }

  /** Calls init() on every processor (sources first), as Kafka Streams does when a task starts. */
  initialize(): void {
    for (const node of this.nodes.values()) {
      this.currentNode = node;
      node.processor.init?.(this.contextFor(node));
    }
    this.currentNode = null;
  }

  /**
   * Deserializes a batch of one partition's records (or records[from..to)) and queues them. A record with a negative event
   * time is dropped and counted; one the serdes cannot read fails with the topic, partition and offset.
   */
  addRecords(topic: string, partition: number, records: readonly RawRecord[], from = 0, to = records.length): void {
    for (let i = from; i < to; i++) this.addRecord(topic, partition, records[i]!);
  }

  /** Deserializes one record and queues it (see addRecords). */
  addRecord(topic: string, partition: number, r: RawRecord): void {
    let input = this.lastInput;
    if (input === undefined || input.topic !== topic || input.partition !== partition) {
      const source = this.sources.get(topic);
      if (!source) throw new StreamsError(`Task ${this.id} does not read topic '${topic}'.`);
      const queue = this.group.queue(topic, partition);
      queue.sourceNode = source.node;
      input = this.lastInput = { topic, partition, source, queue };
    }
    const { source, queue } = input;
    const offset = r.offset ?? -1;
    let key: unknown;
    let value: unknown;
    try {
      key = source.keySerde.deserialize(topic, r.key, r.headers);
      value = source.valueSerde.deserialize(topic, r.value, r.headers);
    } catch (e) {
      const error = new DeserializationError(
        `Cannot read the record at ${topic}-${partition}@${offset} with key serde ${source.keySerde.name} / value serde ${source.valueSerde.name}: ${(e as Error).message}. ` +
          `Fix the serdes in Consumed.with(...) for '${topic}', or route bad records to a dead-letter topic.`,
        topic, partition, offset, { cause: e },
      );
      if (this.onDeserializationError?.(error) !== 'continue') throw error;
      this.metrics.drop('deserialization-error', source.node.name);
      this.skipped(queue, offset);
      return;
    }
    let timestamp = r.timestamp;
    if (source.timestampExtractor) {
      timestamp = source.timestampExtractor({ key, value, timestamp: r.timestamp, topic, partition, headers: r.headers }, queue.partitionTime);
    }
    if (!(timestamp >= 0)) {
      this.metrics.drop('negative-timestamp', source.node.name);
      this.skipped(queue, offset);
      return;
    }
    this.group.add(queue, { key, value, timestamp, headers: r.headers, offset });
    if (queue.size > this.maxBuffered && !queue.paused) {
      queue.paused = true;
      // A resume the caller has not taken yet is cancelled instead.
      const i = this.toResume.indexOf(queue);
      if (i >= 0) this.toResume.splice(i, 1);
      else this.toPause.push(queue);
    }
  }

  /**
   * A record of the queue's partition dropped before it was queued: the offsets to commit move past it (see
   * offsetToCommit), and, once something of the partition was processed, the task has that to commit even if it
   * processes nothing more — else a skipped record at the end of a partition would be read and skipped again after
   * every restart.
   */
  private skipped(queue: PartitionQueue, offset: number): void {
    if (offset < 0) return;
    queue.skippedOffset = offset + 1;
    if (queue.committableOffset >= 0) this.uncommitted = true;
  }

  /** The input record processed last: its topic and offset stay readable after process() returns (recordContext does not). */
  get lastRecord(): { readonly topic: string; readonly offset: number } {
    return this.current;
  }

  /** Records waiting to be processed. */
  queuedRecords(): number {
    return this.group.size;
  }

  /**
   * Processes the next record (lowest timestamp across partitions). Returns false if none was queued, or if the task
   * is waiting for an empty partition (max.task.idle.ms).
   */
  process(): boolean {
    const group = this.group;
    if (!group.readyToProcess(this.wallClock)) return false;
    const q = group.next();
    if (!q) return false;
    const rec = q.poll()!;
    group.polled(q);
    if (q.paused && q.size <= this.maxBuffered) {
      q.paused = false;
      const i = this.toPause.indexOf(q);
      if (i >= 0) this.toPause.splice(i, 1);
      else this.toResume.push(q);
    }
    const ts = rec.timestamp;
    if (ts > q.partitionTime) q.partitionTime = ts;
    if (ts > this.streamTime) this.streamTime = ts;
    const c = this.current;
    c.topic = q.topic;
    c.partition = q.partition;
    c.offset = rec.offset;
    c.timestamp = ts;
    c.headers = rec.headers;
    this.recordContext = c;
    this.currentTimestamp = ts;
    this.currentHeaders = rec.headers;
    this.inRecordContext = true;
    const node = q.sourceNode!;
    this.currentNode = node;
    try {
      // The queued record is a StreamRecord already (key, value, timestamp, headers): no copy per record.
      node.processed++;
      node.processor.process(rec);
    } catch (e) {
      q.failedOffset = rec.offset;
      throw this.wrap(e);
    } finally {
      this.recordContext = null;
      this.inRecordContext = false;
      this.currentNode = null;
    }
    this.metrics.processed++;
    this.uncommitted = true;
    q.committableOffset = rec.offset + 1;
    return true;
  }

  /**
   * Starts an input partition from what was committed for it (Kafka Streams' StreamTask#initializeMetadata), before
   * the task processes anything: its offset (`offset`, undefined when none), its partition time (initializePartitionTime)
   * and the task's processor metadata committed with it, merged into the task's own — called for each partition with a
   * committed offset, the larger value of a name wins across them (Kafka's ProcessorMetadata#update). So the
   * aggregations emitting on window close go on from the last window close time they emitted at, whether this
   * application or Kafka Streams committed it.
   */
  initializeMetadata(topic: string, partition: number, offset: number | undefined, metadata: TopicPartitionMetadata): void {
    if (offset !== undefined && offset >= 0) this.group.queue(topic, partition).committedOffset = offset;
    this.initializePartitionTime(topic, partition, metadata.partitionTime);
    this.processorMetadata.update(metadata.processorMetadata);
  }

  /**
   * Starts an input partition from the partition time committed with its offset (Kafka Streams' initializeTaskTime:
   * task/topic-partition-metadata.ts), before the task processes anything; the task's stream time is the largest.
   * So stream time, stream-time punctuation and the timestamp extractor's partition time go on from where the last
   * owner of the partition — this application, or Kafka Streams — left them.
   */
  initializePartitionTime(topic: string, partition: number, partitionTime: number): void {
    if (partitionTime < 0) return;
    const q = this.group.queue(topic, partition);
    if (partitionTime > q.partitionTime) q.partitionTime = partitionTime;
    if (partitionTime > this.streamTime) this.streamTime = partitionTime;
  }

  /** Fires due stream-time punctuators. Returns true if any fired. */
  maybePunctuateStreamTime(): boolean {
    return this.punctuate(this.streamTimeSchedules, this.streamTime);
  }

  /** Fires due wall-clock punctuators. */
  maybePunctuateWallClock(): boolean {
    return this.punctuate(this.wallClockSchedules, this.wallClock());
  }

  private punctuate(schedules: PunctuationSchedule[], now: number): boolean {
    if (now < 0 || schedules.length === 0) return false;
    let due: PunctuationSchedule[] | undefined;
    for (const s of schedules) if (!s.cancelled && s.next <= now) (due ??= []).push(s);
    if (!due) return false;
    // Fire in time order, one call per schedule per event (missed intervals are skipped).
    due.sort((a, b) => a.next - b.next);
    for (const s of due) {
      this.currentNode = s.node;
      // Kafka's punctuation record context: the punctuation time, no headers.
      this.currentTimestamp = now;
      this.currentHeaders = NO_HEADERS;
      this.inRecordContext = true;
      try {
        s.punctuator(now);
      } catch (e) {
        throw this.wrap(e);
      } finally {
        this.inRecordContext = false;
        this.currentNode = null;
      }
      s.next = nextPunctuation(s, now);
      this.metrics.punctuations++;
      this.uncommitted = true;
    }
    for (let i = schedules.length - 1; i >= 0; i--) if (schedules[i]!.cancelled) schedules.splice(i, 1);
    return true;
  }

  /**
   * First half of a commit (Kafka Streams' StreamTask#prepareCommit): flushes every store — caches forward their
   * dirty entries downstream, so the outputs and changelog records of everything processed so far are sent — and
   * snapshots the input offsets this covers (preparedOffsets()). The caller then waits for the sink's flush,
   * commits preparedOffsets(), and calls postCommit(). The caller does not process the task between prepareCommit
   * and postCommit (Kafka's commit is a barrier for the task): postCommit checkpoints the changelog offsets the
   * sink acknowledged by then, which must be those of what the snapshot covers. Allocates nothing (the driver
   * commits after every record).
   */
  prepareCommit(): void {
    const stores = (this.ownStoreList ??= [...this.ownStores.values()]);
    for (let i = 0; i < stores.length; i++) {
      try {
        stores[i]!.flush();
      } catch (e) {
        throw this.wrap(e);
      }
    }
    const queues = this.group.partitions();
    for (let i = 0; i < queues.length; i++) {
      const q = queues[i]!;
      q.preparedOffset = offsetToCommit(q);
      q.preparedPosition = q.preparedOffset >= 0 ? q.preparedOffset : positionOf(q);
      q.preparedPartitionTime = q.partitionTime;
    }
    this.commitRequested = false;
    this.uncommitted = false;
    this.metrics.commits++;
  }

  /**
   * The input offsets the last prepareCommit covers: for each input partition a record was processed from before
   * it, the next offset to read (see committableOffsets). What the caller commits once the sink's flush resolved.
   */
  preparedOffsets(): TopicPartitionOffset[] {
    const out: TopicPartitionOffset[] = [];
    for (const q of this.group.partitions()) if (q.preparedOffset >= 0) out.push({ topic: q.topic, partition: q.partition, offset: q.preparedOffset });
    return out;
  }

  /**
   * preparedOffsets() with the metadata Kafka Streams commits with them (task/topic-partition-metadata.ts): each
   * partition's time as of prepareCommit and the task's processor metadata, so that whoever takes the partition over —
   * ts-streams or Kafka Streams — starts from them. What the Kafka runtime commits. When a processor put metadata since
   * the last commit, every input partition of the task carries it, as in Kafka Streams' committableOffsetsAndMetadata:
   * a partition nothing was processed from is committed at its next offset to read (Kafka's findOffsetAndMetadata: the
   * first record queued, else the next offset its consumer's fetch gave — here past the records skipped, else the offset
   * committed before) — unless the task knows none (nothing committed, nothing fetched yet): that partition is not
   * committed (Kafka would need its consumer's position) and the metadata is read back from the others.
   */
  preparedOffsetsWithMetadata(): TopicPartitionOffset[] {
    const out: TopicPartitionOffset[] = [];
    const all = this.processorMetadata.needsCommit;
    const processorMetadata = this.processorMetadata.serialize();
    for (const q of this.group.partitions()) {
      const offset = all ? q.preparedPosition : q.preparedOffset;
      if (offset >= 0) out.push({ topic: q.topic, partition: q.partition, offset, metadata: encodeTopicPartitionMetadata(q.preparedPartitionTime, processorMetadata) });
    }
    return out;
  }

  /**
   * Second half of a commit (Kafka Streams' StreamTask#postCommit), after the sink's flush resolved and the
   * prepared offsets were committed: writes the task's checkpoint (the changelog offsets the sink acknowledged)
   * when it has persistent stores.
   */
  postCommit(enforceCheckpoint = false): void {
    // The processor metadata went out with the offsets (Kafka's clearCommitStatuses).
    this.processorMetadata.needsCommit = false;
    const sm = this.stateManager;
    if (sm === undefined) return;
    sm.update(this.checkpointSources);
    // At-least-once checkpoints on every commit (when an offset moved); exactly-once only when enforced (a clean
    // close), as Kafka's postCommit: a checkpoint must not vouch for state an aborted transaction rolls back.
    if (enforceCheckpoint || this.sink?.transaction === undefined) {
      try {
        sm.checkpoint(enforceCheckpoint);
      } catch (e) {
        throw new StreamsError(`Task ${this.id} could not write its checkpoint ${sm.checkpointFile.path}: ${(e as Error).message}`, { cause: e });
      }
    }
  }

  /**
   * Restoration: applies changelog records of `topic`-`partition` (the store's changelog, or a global store's source
   * topic) to an own store, in order, without processing or logging them, and notes that the store is up to date
   * before `nextOffset` when given (what the next checkpoint says). Callers restore in bounded slices (restoreInSlices).
   */
  restoreBatch(storeName: string, topic: string, partition: number, records: readonly ChangelogRecord[], nextOffset?: number): void {
    const store = this.ownStores.get(storeName) as (StateStore & Partial<RestorableStore>) | undefined;
    if (store === undefined) throw new StreamsError(`Task ${this.id} has no store '${storeName}' to restore (its stores: ${[...this.ownStores.keys()].join(', ') || 'none'}).`);
    if (typeof store.restoreBatch !== 'function') throw new StreamsError(`Store '${storeName}' of task ${this.id} cannot be restored.`);
    if (records.length > 0) store.restoreBatch(records);
    if (nextOffset !== undefined) this.stateManager?.restored(topic, partition, nextOffset);
  }

  /**
   * Offsets to commit once outputs and state are durable, read live: for each input partition a record was processed from, the
   * next offset to read. That is the offset of the first record still queued, as in Kafka's StreamTask (so offsets a
   * compacted topic skips are not read again), unless a record that threw lies before it; with nothing queued, one
   * past the last record processed or skipped (Kafka asks the consumer's position there, which only the runtime knows).
   * A commit takes preparedOffsets(), the snapshot prepareCommit made, instead.
   */
  committableOffsets(): TopicPartitionOffset[] {
    const out: TopicPartitionOffset[] = [];
    for (const q of this.group.partitions()) {
      if (q.committableOffset < 0) continue;
      out.push({ topic: q.topic, partition: q.partition, offset: offsetToCommit(q) });
    }
    return out;
  }

  /**
   * True when records were processed or punctuators fired since the last prepareCommit (Kafka's commitNeeded), or
   * records were skipped past the last one processed of their partition (an offset to commit moved).
   */
  get hasUncommitted(): boolean {
    return this.uncommitted;
  }

  get needsCommit(): boolean {
    return this.commitRequested;
  }

  /**
   * Closes the task cleanly for a synchronous sink (the test driver): commits first if anything is uncommitted,
   * then closeClean(). A task with an asynchronous sink is committed by its caller (prepareCommit, flush, commit
   * offsets, postCommit(true)) and closed with closeClean().
   */
  close(): void {
    if (this.uncommitted) this.prepareCommit();
    this.closeClean();
  }

  /**
   * Clean close (Kafka Streams' suspend + closeClean), after a commit: closes the processors, then the stores
   * (their caches are empty: nothing is forwarded into closed processors), then writes the checkpoint — the
   * stores are durable once closed. Refused when something was processed since the last prepareCommit: its
   * results are in the caches and not yet in the sink (commit first, or closeDirty()).
   */
  closeClean(): void {
    if (this.closed) return;
    if (this.uncommitted) {
      throw new StreamsError(
        `Task ${this.id} cannot close cleanly: it processed records since its last commit. Commit first (prepareCommit, flush the sink, commit the offsets, postCommit), or close it dirty (closeDirty) and let it reprocess them.`,
      );
    }
    this.closed = true;
    let error = this.closeProcessors();
    for (const store of this.ownStores.values()) {
      try {
        store.close();
      } catch (e) {
        error ??= new StreamsError(`Store '${store.name}' of task ${this.id} failed to close: ${(e as Error)?.message ?? String(e)}`, { cause: e });
      }
    }
    const sm = this.stateManager;
    if (sm !== undefined && error === undefined) {
      sm.update(this.checkpointSources);
      sm.checkpoint(true);
    }
    if (error !== undefined) throw error;
  }

  /**
   * Dirty close (Kafka Streams' closeDirty), on an error, a lost partition or a kill: drops what the caches hold
   * without writing it down or forwarding it, closes the processors and the stores, swallowing their errors, and
   * writes no checkpoint (a checkpoint a commit wrote stays: at-least-once restores from it and reprocesses from the
   * committed offsets; under exactly-once the runtime aborts the transaction and wipes the stores).
   */
  closeDirty(): void {
    if (this.closed) return;
    this.closed = true;
    this.uncommitted = false;
    this.discardCaches();
    this.closeProcessors();
    for (const store of this.ownStores.values()) {
      try {
        store.close();
      } catch {
        // a dirty close goes on whatever fails: the state is rebuilt from the changelog if need be
      }
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Calls close() on every processor, each even if one throws; returns the first error. */
  private closeProcessors(): unknown {
    let error: unknown;
    for (const node of this.nodes.values()) {
      this.currentNode = node;
      try {
        node.processor.close?.();
      } catch (e) {
        error ??= new ProcessingError(`Step '${node.name}' of task ${this.id} threw while closing: ${(e as Error)?.message ?? String(e)}`, node.name, { cause: e, taskId: this.id });
      }
    }
    this.currentNode = null;
    return error;
  }

  private wrap(e: unknown): Error {
    if (raisedByRuntime(e)) return e;
    const step = this.currentNode?.name ?? '(unknown step)';
    const rc = this.recordContext;
    const where = rc ? ` while processing ${rc.topic}-${rc.partition}@${rc.offset}` : ' in a punctuator';
    return new ProcessingError(`Step '${step}' of task ${this.id} threw${where}: ${(e as Error)?.message ?? String(e)}`, step, {
      cause: e,
      record: rc ? { topic: rc.topic, partition: rc.partition, offset: rc.offset } : undefined,
      taskId: this.id,
    });
  }

  /** The ProcessorContext a node's processor sees. */
  contextFor(node: RuntimeNode): ProcessorContext<any, any> {
    const task = this;
    const children = node.children;
    // Each child alone, for forward(record, childName): made at its first use, so a named forward allocates nothing.
    const single = new Map<string, readonly RuntimeNode[]>();
    /** Hands `record` to `to` in order; what they write is stamped with the record's timestamp and headers. */
    const forwardTo = (record: StreamRecord<any, any>, to: readonly RuntimeNode[]) => {
      const timestamp = task.currentTimestamp;
      const headers = task.currentHeaders;
      task.currentTimestamp = record.timestamp;
      task.currentHeaders = record.headers;
      for (let i = 0; i < to.length; i++) {
        const child = to[i]!;
        task.currentNode = child;
        child.processed++;
        child.processor.process(record);
      }
      task.currentNode = node;
      task.currentTimestamp = timestamp;
      task.currentHeaders = headers;
    };
    return this.decorateContext(attachProcessorMetadata({
      applicationId: this.applicationId,
      taskId: this.id,
      forward(record: StreamRecord<any, any>, childName?: string): void {
        if (childName === undefined) return forwardTo(record, children);
        let to = single.get(childName);
        if (to === undefined) {
          const child = node.childByName.get(childName);
          if (child !== undefined) single.set(childName, (to = [child]));
        }
        if (!to) throw new StreamsError(`Step '${node.name}' forwarded to '${childName}', which is not one of its children (${[...node.childByName.keys()].join(', ') || 'none'}).`);
        forwardTo(record, to);
      },
      getStateStore<S>(name: string): S {
        const store = task.stores.get(name);
        // Global stores (shared, owned by the global task) are readable from every processor, as in Kafka Streams.
        if (!store || (!node.storeNames.includes(name) && task.ownStores.has(name))) {
          throw new StreamsError(
            `Step '${node.name}' has no access to store '${name}': connect it with process(supplier, { stores: ['${name}'] }) and add it with builder.addStateStore(...).`,
          );
        }
        return store as S;
      },
      schedule(intervalMs: number, type: PunctuationType, punctuator: (timestamp: number) => void): Cancellable {
        if (!(intervalMs >= 1)) throw new StreamsError(`Step '${node.name}' scheduled a punctuator every ${intervalMs} ms; the interval must be at least 1 ms.`);
        const s: PunctuationSchedule = {
          node, type, intervalMs, punctuator, cancelled: false,
          next: type === 'stream-time' ? 0 : task.wallClock() + intervalMs,
        };
        (type === 'stream-time' ? task.streamTimeSchedules : task.wallClockSchedules).push(s);
        return { cancel: () => { s.cancelled = true; } };
      },
      recordMetadata() {
        const c = task.recordContext;
        return c ? { topic: c.topic, partition: c.partition, offset: c.offset } : null;
      },
      currentStreamTimeMs: () => task.streamTime,
      currentSystemTimeMs: () => task.wallClock(),
      commit: () => {
        task.commitRequested = true;
      },
    }, this.processorMetadata));
  }
}

/** The next offset to read of a partition (see StreamTask#committableOffsets); -1 when nothing was processed from it. */
function offsetToCommit(q: PartitionQueue): number {
  if (q.committableOffset < 0) return -1;
  // A record that threw is read again: nothing past it.
  if (q.failedOffset >= q.committableOffset) return q.committableOffset;
  const head = q.peek();
  if (head !== undefined) return head.offset >= q.committableOffset ? head.offset : q.committableOffset;
  // Nothing queued: everything handed to the task was processed or skipped, so past the records skipped last too.
  return q.skippedOffset > q.committableOffset ? q.skippedOffset : q.committableOffset;
}

/**
 * The next offset to read of a partition whether or not anything was processed from it (Kafka's findOffsetAndMetadata:
 * the first record queued, else the next offset its consumer's fetch gave): past what was processed, else the first
 * record queued, else past what was skipped, else the offset committed when the task started; -1 when the task knows
 * none of these.
 */
function positionOf(q: PartitionQueue): number {
  const processed = offsetToCommit(q);
  if (processed >= 0) return processed;
  const head = q.peek();
  if (head !== undefined) return head.offset;
  return q.skippedOffset > q.committedOffset ? q.skippedOffset : q.committedOffset;
}

/**
 * Errors the runtime raised itself, whose messages already name the step (a plain StreamsError from a processor,
 * a record error): they reach the caller as they are. Anything else that escapes a step (a user function's error,
 * a serde's SerdeError, a store's StoreSerdeError...) is wrapped in a ProcessingError naming the step and record.
 */
function raisedByRuntime(e: unknown): e is StreamsError {
  return e instanceof ProcessingError || e instanceof DeserializationError || (e instanceof StreamsError && Object.getPrototypeOf(e) === StreamsError.prototype);
}
