import { join, resolve } from 'node:path';
import { RocksDatabase, StateDirectory, StateDirectoryLockedError, type RocksBatch } from '@ts-streams/state';
import type { RawRecord } from '../io/raw-record.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';
import type { NewTopic, TopicDescription } from '../client/kafka-admin.ts';
import { defaultPartition } from '../io/murmur2.ts';
import { ClientError } from '../errors/client-error.ts';
import { EmbeddedLogLockedError } from '../errors/embedded-log-locked-error.ts';
import { LogPartition } from './log-partition.ts';
import { LogTopic, type StoredTopic } from './log-topic.ts';
import { LogTransaction, type GroupOffsets, type StagedRecord, type TransactionHost } from './log-transaction.ts';
import { LogCleaner, type CleanOptions, type CleanReport } from './log-cleaner.ts';
import { WriteSignal } from './write-signal.ts';
import { decodeRecord } from './log-record-codec.ts';
import {
  GROUP_OFFSET_RANGE, TOPIC_RANGE, decodeBounds, decodeGroupOffset, encodeBounds, encodeGroupOffset, encodeU64, groupOffsetKey, metaKey, offsetOfRecordKey,
  parseGroupOffsetKey, partitionKey, partitionRange, readU32, readU64, recordKey, topicKey, topicRecordRange,
} from './log-keys.ts';

export interface EmbeddedLogOptions {
  /**
   * fsync RocksDB's write-ahead log at every commit and append (default true): a commit that returned survives a
   * crash of the machine, not only of the process (which the unsynced WAL survives too).
   */
  readonly sync?: boolean;
  /** How often the background cleaner looks for partitions to compact (default 15 s, Kafka's log.cleaner.backoff.ms); 0: never (clean() only). */
  readonly cleanerIntervalMs?: number;
  /** How often retention is applied by the background cleaner (default 5 min, Kafka's log.retention.check.interval.ms). */
  readonly retentionCheckIntervalMs?: number;
  /** Where the background cleaner reports a failure (default console.warn). */
  readonly warn?: (line: string) => void;
}

/** A record to append: as a producer sends it; without a partition, the log picks one as Kafka's default partitioner. */
export interface AppendRecord extends Omit<RawRecord, 'offset'> {
  readonly topic: string;
  readonly partition?: number | undefined;
}

/** What one read of a partition returned (see EmbeddedLog#read). */
export interface LogRead {
  /** In offset order, each with its offset; gaps are normal (compaction, aborted transactions). */
  readonly records: RawRecord[];
  /** Where the next read starts: one past the last record, or the last stable offset when the read reached it. */
  readonly nextOffset: number;
  /** Records readable past nextOffset: 0 = caught up. */
  readonly lag: number;
}

/** Kafka's legal topic name: what Kafka's Topic.validate accepts. */
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;
const NEXT_TOPIC_ID = 'next-topic-id';

/**
 * The embedded default: a durable, single-process log of topics on local disk, in one RocksDB database (crash-safe:
 * every write is an atomic WriteBatch through RocksDB's write-ahead log). Topics have partitions, offsets, timestamps
 * and headers; consumer groups have committed offsets (each with its metadata: Kafka Streams' partition time);
 * partitions have log start and end offsets, retention (delete topics, time-based) and compaction (compact topics:
 * the changelogs), both applied lazily in slices (LogCleaner).
 *
 * One process owns it: open() takes a lock file in the directory that names the process (a second open — another
 * `streams run` on the same state directory — fails with EmbeddedLogLockedError naming that pid). Every read and
 * write is a synchronous RocksDB call made per batch of records, never per record.
 *
 * Writes are transactions (LogTransaction): records staged with their offsets, committed in one write together with
 * a group's offsets. The embedded client (EmbeddedClient) runs an application on it exactly-once by construction
 * that way. Readers only ever see committed records (read_committed: there is nothing else to see).
 *
 * The log knows nothing of applications: KafkaStreams reaches it through EmbeddedClient (the client seam), the CLI
 * directly through the methods here.
 */
export class EmbeddedLog {
  private readonly topicsByName = new Map<string, LogTopic>();
  private readonly topicsById = new Map<number, LogTopic>();
  /** group → `${topic}\u0000${partition}` → committed offset, with its metadata. */
  private readonly groupOffsets = new Map<string, Map<string, CommittedEntry>>();
  /** Groups with a live member in this process (EmbeddedGroupConsumer): one each. */
  private readonly members = new Set<string>();
  /** Transactional ids → the epoch of their latest producer, its open transaction, and whether it still runs. */
  private readonly epochs = new Map<string, { epoch: number; transaction: LogTransaction | undefined; live: boolean }>();
  private readonly signal = new WriteSignal();
  private readonly cleaner: LogCleaner;
  private readonly roundRobin = new Map<string, number>();
  private nextTopicId: number;
  private cleaning: Promise<CleanReport> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastRetention = 0;
  private closing: Promise<void> | undefined;
  private readonly host: TransactionHost;

  private constructor(
    /** The log's directory (absolute). */
    readonly dir: string,
    private readonly lock: StateDirectory,
    private readonly db: RocksDatabase,
    private readonly options: EmbeddedLogOptions,
  ) {
    const sync = options.sync ?? true;
    this.host = {
      db,
      sync,
      partition: (topic, partition) => this.partitionOf({ topic, partition }),
      exists: (p) => this.topicsById.get(p.topicId)?.partitions[p.partition] === p,
      stageGroupOffsets: (batch, group) => this.stageGroupOffsets(batch, group),
      written: () => this.signal.notify(),
    };
    this.cleaner = new LogCleaner({
      db,
      topics: () => this.topicsByName.values(),
      alive: (p) => this.closing === undefined && this.host.exists(p),
      moveStart: (p, start) => this.moveStart(p, start),
    });
    this.nextTopicId = 1;
  }

  /**
   * Opens the log in `dir` (created if missing), locking it for this process. Rejects with EmbeddedLogLockedError
   * when another process holds it (the error names its pid), or this process has it open already.
   */
  static async open(dir: string, options: EmbeddedLogOptions = {}): Promise<EmbeddedLog> {
    const abs = resolve(dir);
    let lock: StateDirectory;
    try {
      lock = StateDirectory.lock(abs);
    } catch (e) {
      if (e instanceof StateDirectoryLockedError) {
        const holder = StateDirectory.holder(abs);
        throw new EmbeddedLogLockedError(abs, e.pid, holder?.startedAt ?? 'unknown', e.pid === process.pid);
      }
      throw e;
    }
    let db: RocksDatabase;
    try {
      db = await RocksDatabase.open(join(abs, 'rocksdb'), { name: 'embedded log', cacheSize: 32 << 20 });
    } catch (e) {
      lock.release();
      throw e;
    }
    const log = new EmbeddedLog(abs, lock, db, options);
    try {
      log.load();
    } catch (e) {
      await db.close();
      lock.release();
      throw e;
    }
    log.startCleaner();
    return log;
  }

  /** Who holds the log in `dir` now: its pid and since when; undefined when nobody does (or the lock is unreadable). */
  static holder(dir: string): { readonly pid: number; readonly since: string } | undefined {
    const h = StateDirectory.holder(resolve(dir));
    return h === undefined ? undefined : { pid: h.pid, since: h.startedAt };
  }

  get isOpen(): boolean {
    return this.closing === undefined;
  }

  private load(): void {
    const next = this.db.get(metaKey(NEXT_TOPIC_ID));
    if (next !== undefined) this.nextTopicId = readU64(next, 0);
    for (const { key, value } of this.db.iterate(TOPIC_RANGE)) {
      const name = Buffer.from(key.buffer, key.byteOffset + 1, key.byteLength - 1).toString('utf8');
      const stored = JSON.parse(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8')) as StoredTopic;
      const bounds = new Map<number, { start: number; end: number }>();
      for (const e of this.db.iterate(partitionRange(stored.id))) bounds.set(readPartitionOfKey(e.key), decodeBounds(e.value));
      const partitions = Array.from({ length: stored.partitions }, (_, i) => {
        const b = bounds.get(i) ?? { start: 0, end: 0 };
        return new LogPartition(stored.id, name, i, b.start, b.end);
      });
      this.addTopic(new LogTopic(name, stored, partitions));
    }
    for (const { key, value } of this.db.iterate(GROUP_OFFSET_RANGE)) {
      const { group, topicId, partition } = parseGroupOffsetKey(key);
      const topic = this.topicsById.get(topicId);
      if (topic === undefined) continue; // of a deleted topic
      this.offsetsOf(group).set(tpKey(topic.name, partition), decodeGroupOffset(value));
    }
  }

  private addTopic(t: LogTopic): void {
    this.topicsByName.set(t.name, t);
    this.topicsById.set(t.id, t);
  }

  // --- topics ------------------------------------------------------------------------------------------------

  /**
   * Creates the topics that do not exist yet, in one write; returns the names it created (a topic that exists is
   * left as it is, not an error: as KafkaAdmin#createTopics). A name Kafka would refuse, or a partition count below
   * 1, is a ClientError 'fatal' naming it, and nothing is created.
   */
  createTopics(topics: readonly NewTopic[]): string[] {
    this.check();
    for (const t of topics) {
      if (!LEGAL_TOPIC.test(t.name) || t.name === '.' || t.name === '..') {
        throw new ClientError(`Cannot create topic '${t.name}': a topic name is 1 to 249 letters, digits, '.', '_' and '-' (and not '.' or '..').`, 'fatal');
      }
      if (!Number.isInteger(t.partitions) || t.partitions < 1) {
        throw new ClientError(`Cannot create topic '${t.name}' with ${t.partitions} partitions: give an integer of at least 1.`, 'fatal');
      }
    }
    const created: LogTopic[] = [];
    const writes: { key: Uint8Array; value: Uint8Array }[] = [];
    let nextId = this.nextTopicId;
    for (const t of topics) {
      if (this.topicsByName.has(t.name) || created.some((c) => c.name === t.name)) continue;
      const stored: StoredTopic = { id: nextId++, partitions: t.partitions, configs: { ...t.configs } };
      writes.push({ key: topicKey(t.name), value: Buffer.from(JSON.stringify(stored)) });
      for (let i = 0; i < t.partitions; i++) writes.push({ key: partitionKey(stored.id, i), value: encodeBounds(0, 0) });
      created.push(new LogTopic(t.name, stored, Array.from({ length: t.partitions }, (_, i) => new LogPartition(stored.id, t.name, i, 0, 0))));
    }
    if (created.length === 0) return [];
    writes.push({ key: metaKey(NEXT_TOPIC_ID), value: encodeU64(nextId) });
    this.db.write(writes, { sync: this.host.sync });
    this.nextTopicId = nextId;
    for (const t of created) this.addTopic(t);
    return created.map((t) => t.name);
  }

  /** The topic, or undefined when the log does not have it. */
  describeTopic(name: string): (TopicDescription & { readonly configs: Readonly<Record<string, string>> }) | undefined {
    this.check();
    const t = this.topicsByName.get(name);
    return t === undefined ? undefined : { name, partitions: t.partitions.length, configs: t.stored.configs };
  }

  /** Every topic's name, sorted. */
  topicNames(): string[] {
    this.check();
    return [...this.topicsByName.keys()].sort();
  }

  /**
   * Deletes the topics (their records, bounds and the groups' offsets of them); returns those it deleted (a name the
   * log does not have is skipped). A transaction with records staged for one fails at its commit.
   */
  deleteTopics(names: readonly string[]): string[] {
    this.check();
    const deleted: string[] = [];
    for (const name of names) {
      const t = this.topicsByName.get(name);
      if (t === undefined) continue;
      const batch = this.db.batch();
      batch.delete(topicKey(name));
      for (let i = 0; i < t.partitions.length; i++) batch.delete(partitionKey(t.id, i));
      for (const [group, offsets] of this.groupOffsets) {
        for (let i = 0; i < t.partitions.length; i++) {
          if (offsets.delete(tpKey(name, i))) batch.delete(groupOffsetKey(group, t.id, i));
        }
      }
      batch.write({ sync: this.host.sync });
      this.topicsByName.delete(name);
      this.topicsById.delete(t.id);
      const range = topicRecordRange(t.id);
      this.db.deleteRange(range.gte, range.lt);
      deleted.push(name);
    }
    if (deleted.length > 0) this.signal.notify();
    return deleted;
  }

  /** The partition, or ClientError 'unknown-topic' naming it. */
  private partitionOf(tp: TopicPartition): LogPartition {
    const t = this.topicsByName.get(tp.topic);
    const p = t?.partitions[tp.partition];
    if (p === undefined) throw this.unknown(tp);
    return p;
  }

  private unknown(tp: TopicPartition): ClientError {
    const t = this.topicsByName.get(tp.topic);
    return new ClientError(
      t === undefined
        ? `Topic '${tp.topic}' does not exist on the embedded log (its topics: ${[...this.topicsByName.keys()].sort().join(', ') || 'none'}).`
        : `Topic '${tp.topic}' has ${t.partitions.length} partitions: there is no partition ${tp.partition}.`,
      'unknown-topic',
      { partitions: [{ topic: tp.topic, partition: tp.partition }] },
    );
  }

  /** The log start offset of the partition (listOffsets 'earliest'). */
  startOffset(tp: TopicPartition): number {
    this.check();
    return this.partitionOf(tp).start;
  }

  /**
   * The end offset of the partition (listOffsets 'latest'): the last stable offset, where what readers can see ends.
   * Records of a transaction still open are not counted (nothing uncommitted is ever readable here).
   */
  endOffset(tp: TopicPartition): number {
    this.check();
    return this.partitionOf(tp).stable;
  }

  // --- reading -----------------------------------------------------------------------------------------------

  /**
   * Reads up to `maxRecords` committed records of the partition from offset `from` (one RocksDB iteration). An
   * offset before the log start or past the end rejects with ClientError 'offset-out-of-range' naming the
   * partition and the range it has.
   */
  read(tp: TopicPartition, from: number, maxRecords: number): LogRead {
    this.check();
    const p = this.partitionOf(tp);
    if (from < p.start || from > p.next) {
      throw new ClientError(
        `Offset ${from} of ${tp.topic}-${tp.partition} is out of range: the log has offsets ${p.start} to ${p.stable}.`,
        'offset-out-of-range',
        { partitions: [{ topic: tp.topic, partition: tp.partition }] },
      );
    }
    const stable = p.stable;
    if (from >= stable || maxRecords <= 0) return { records: [], nextOffset: from, lag: Math.max(0, stable - from) };
    const records: RawRecord[] = [];
    const range = { gte: recordKey(p.topicId, p.partition, from), lt: recordKey(p.topicId, p.partition, stable), limit: maxRecords };
    for (const { key, value } of this.db.iterate(range, Math.min(maxRecords, 1_000))) records.push(decodeRecord(value, offsetOfRecordKey(key)));
    // Fewer than asked: the read reached the stable offset (what lies between is gaps).
    const nextOffset = records.length < maxRecords ? stable : records[records.length - 1]!.offset! + 1;
    return { records, nextOffset, lag: stable - nextOffset };
  }

  /** Resolves at the next write to the log (a commit, an append, a deletion) or after `timeoutMs`. */
  whenWritten(timeoutMs: number): Promise<void> {
    return this.signal.wait(timeoutMs);
  }

  // --- writing -----------------------------------------------------------------------------------------------

  /** A transaction: records staged with their offsets, made visible and durable together by its commit. */
  beginTransaction(): LogTransaction {
    this.check();
    return new LogTransaction(this.host);
  }

  /**
   * Appends the records in one atomic write and returns the offset of the last record per topic-partition. A
   * record without a partition goes where Kafka's default partitioner puts it (murmur2 of the key; round robin
   * without a key), so a key lands in the same partition as it would on Kafka.
   */
  append(records: readonly AppendRecord[]): TopicPartitionOffset[] {
    this.check();
    const staged: StagedRecord[] = records.map((r) => ({
      topic: r.topic, partition: r.partition ?? this.partitionFor(r), key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers,
    }));
    const tx = this.beginTransaction();
    try {
      const offsets = tx.append(staged);
      tx.commit();
      return offsets;
    } catch (e) {
      tx.abort();
      throw e;
    }
  }

  /** Kafka's default partitioner over the topic's partition count. */
  private partitionFor(r: AppendRecord): number {
    const topic = this.topicsByName.get(r.topic);
    if (topic === undefined) throw this.unknown({ topic: r.topic, partition: 0 });
    const n = topic.partitions.length;
    if (r.key !== null) return defaultPartition(r.key, n);
    const p = ((this.roundRobin.get(r.topic) ?? -1) + 1) % n;
    this.roundRobin.set(r.topic, p);
    return p;
  }

  /**
   * Deletes the records of each partition before the given offset: the log start moves there (Kafka's
   * DeleteRecords; an offset at or before the start changes nothing). An offset past the end rejects with
   * 'offset-out-of-range', and nothing is deleted.
   */
  deleteRecords(before: readonly TopicPartitionOffset[]): void {
    this.check();
    const moves = before.map((b) => {
      const p = this.partitionOf(b);
      if (b.offset > p.stable || b.offset < 0) {
        throw new ClientError(`Cannot delete the records of ${b.topic}-${b.partition} before offset ${b.offset}: the partition ends at ${p.stable}.`, 'offset-out-of-range', { partitions: [{ topic: b.topic, partition: b.partition }] });
      }
      return { p, offset: b.offset };
    });
    for (const { p, offset } of moves) if (offset > p.start) this.moveStart(p, offset);
  }

  private moveStart(p: LogPartition, start: number): void {
    const from = p.start;
    // The bounds first: a crash between the two leaves records below the start, which nothing reads.
    this.db.write([{ key: partitionKey(p.topicId, p.partition), value: encodeBounds(start, p.end) }], { sync: this.host.sync });
    p.start = start;
    this.db.deleteRange(recordKey(p.topicId, p.partition, from), recordKey(p.topicId, p.partition, start));
  }

  // --- consumer groups ---------------------------------------------------------------------------------------

  private offsetsOf(group: string): Map<string, CommittedEntry> {
    let m = this.groupOffsets.get(group);
    if (m === undefined) this.groupOffsets.set(group, (m = new Map()));
    return m;
  }

  /** The group's committed offset of the partition (the next offset it reads), or undefined when it has none. */
  committed(groupId: string, tp: TopicPartition): number | undefined {
    this.check();
    return this.groupOffsets.get(groupId)?.get(tpKey(tp.topic, tp.partition))?.offset;
  }

  /**
   * The group's committed offset of the partition with the metadata committed with it (Kafka Streams' partition time;
   * none when it was committed without, or by a version of the log that did not keep it); undefined when it has none.
   */
  committedOffset(groupId: string, tp: TopicPartition): TopicPartitionOffset | undefined {
    this.check();
    const c = this.groupOffsets.get(groupId)?.get(tpKey(tp.topic, tp.partition));
    return c === undefined ? undefined : withMetadata(tp.topic, tp.partition, c);
  }

  /**
   * Commits the group's offsets, each with its metadata (none when not given: what was committed before is replaced
   * whole, as on Kafka), in one write (outside any transaction: the CLI's reset, an at-least-once consumer).
   */
  commitOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): void {
    this.check();
    if (offsets.length === 0) return;
    const batch = this.db.batch();
    const apply = this.stageGroupOffsets(batch, { groupId, offsets });
    batch.write({ sync: this.host.sync });
    apply();
  }

  private stageGroupOffsets(batch: RocksBatch, group: GroupOffsets): () => void {
    const resolved = group.offsets.map((o) => {
      const p = this.partitionOf(o);
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) throw new ClientError(`Cannot commit offset ${o.offset} of ${o.topic}-${o.partition} for group ${group.groupId}: an offset is an integer >= 0.`, 'fatal');
      // Checked as it may come from another process (the socket's JSON), where none may be null.
      const metadata: unknown = o.metadata;
      if (metadata != null && typeof metadata !== 'string') throw new ClientError(`Cannot commit offset ${o.offset} of ${o.topic}-${o.partition} for group ${group.groupId}: its metadata is a ${typeof metadata}, not a string.`, 'fatal');
      return { p, entry: { offset: o.offset, metadata: typeof metadata === 'string' && metadata !== '' ? metadata : undefined } };
    });
    for (const { p, entry } of resolved) batch.put(groupOffsetKey(group.groupId, p.topicId, p.partition), encodeGroupOffset(entry.offset, entry.metadata));
    return () => {
      const m = this.offsetsOf(group.groupId);
      for (const { p, entry } of resolved) m.set(tpKey(p.topic, p.partition), entry);
    };
  }

  /** The groups with committed offsets, sorted. */
  groups(): string[] {
    this.check();
    return [...this.groupOffsets].filter(([, m]) => m.size > 0).map(([g]) => g).sort();
  }

  /** Every committed offset of the group, by topic-partition, each with its metadata where it has any. */
  groupOffsetsOf(groupId: string): TopicPartitionOffset[] {
    this.check();
    return [...(this.groupOffsets.get(groupId) ?? [])].map(([k, c]) => {
      const i = k.lastIndexOf('\u0000');
      return withMetadata(k.slice(0, i), Number(k.slice(i + 1)), c);
    });
  }

  /** Forgets the group's committed offsets (the application reset tool). Refused while the group has a member here. */
  deleteGroup(groupId: string): void {
    this.check();
    if (this.members.has(groupId)) throw new ClientError(`Cannot delete group ${groupId}: it has a running member in this process. Close the application first.`, 'fatal');
    const offsets = this.groupOffsets.get(groupId);
    if (offsets === undefined) return;
    const writes = [...offsets.keys()].map((k) => {
      const i = k.lastIndexOf('\u0000');
      const t = this.topicsByName.get(k.slice(0, i))!;
      return { key: groupOffsetKey(groupId, t.id, Number(k.slice(i + 1))), value: null };
    });
    this.db.write(writes, { sync: this.host.sync });
    this.groupOffsets.delete(groupId);
  }

  /**
   * Registers the one member of a group this process may have (the embedded group consumer owns every partition):
   * a second one is refused, naming the group. Returns what unregisters it.
   */
  joinGroup(groupId: string): () => void {
    this.check();
    if (this.members.has(groupId)) {
      throw new ClientError(
        `Group '${groupId}' already has a member on this embedded log: an application runs as one instance on it (that instance owns every partition). Close the other KafkaStreams '${groupId}' first, or give this one another applicationId.`,
        'fatal',
      );
    }
    this.members.add(groupId);
    return () => void this.members.delete(groupId);
  }

  /**
   * A transactional producer's registration (Kafka's InitProducerId): the id's next epoch. While a producer holds
   * the id, another one is refused rather than fencing it: only one process reaches this log, so a second producer
   * with the id is a second instance of the application here, not a zombie to fence (on Kafka the newcomer would
   * win and the running instance would die at its next commit).
   */
  initTransactions(transactionalId: string): number {
    this.check();
    const current = this.epochs.get(transactionalId);
    if (current?.live === true) {
      throw new ClientError(
        `Transactional id '${transactionalId}' is held by a running producer on this embedded log: an application runs as one instance on it (that instance owns every partition). Close the other KafkaStreams '${transactionalId}' first, or give this one another applicationId.`,
        'fatal',
      );
    }
    const epoch = (current?.epoch ?? 0) + 1;
    this.epochs.set(transactionalId, { epoch, transaction: undefined, live: true });
    return epoch;
  }

  /** The producer of this epoch is done with the id (closed): its open transaction is aborted, the id is free. */
  endTransactions(transactionalId: string, epoch: number): void {
    const e = this.epochs.get(transactionalId);
    if (e === undefined || e.epoch !== epoch) return;
    e.live = false;
    if (this.closing === undefined) e.transaction?.abort();
    e.transaction = undefined;
  }

  /** The transaction a transactional producer of this epoch has open, begun if needed; 'fenced' when a newer one took the id over. */
  transactionOf(transactionalId: string, epoch: number): LogTransaction {
    this.check();
    const e = this.fencing(transactionalId, epoch);
    if (e.transaction === undefined || !e.transaction.isOpen) e.transaction = this.beginTransaction();
    return e.transaction;
  }

  /** The producer's open transaction, if any (undefined after a commit or an abort); 'fenced' as transactionOf. */
  openTransactionOf(transactionalId: string, epoch: number): LogTransaction | undefined {
    this.check();
    const t = this.fencing(transactionalId, epoch).transaction;
    return t?.isOpen ? t : undefined;
  }

  private fencing(transactionalId: string, epoch: number): { epoch: number; transaction: LogTransaction | undefined } {
    const e = this.epochs.get(transactionalId);
    if (e === undefined || e.epoch !== epoch || !e.live) {
      throw new ClientError(`The producer with transactional id '${transactionalId}' was fenced: it was closed, or a newer producer has the id on this embedded log.`, 'fenced');
    }
    return e;
  }

  // --- cleaning and closing ----------------------------------------------------------------------------------

  /**
   * A retention and compaction pass over every topic now, in slices (see LogCleaner); a pass under way is awaited
   * first. `force` compacts every partition with anything new, whatever its dirty ratio.
   */
  async clean(options: CleanOptions = {}): Promise<CleanReport> {
    this.check();
    while (this.cleaning !== undefined) await this.cleaning.catch(() => undefined);
    this.cleaning = this.cleaner.clean(options);
    try {
      return await this.cleaning;
    } finally {
      this.cleaning = undefined;
    }
  }

  private startCleaner(): void {
    const interval = this.options.cleanerIntervalMs ?? 15_000;
    if (interval <= 0) return;
    const retentionEvery = this.options.retentionCheckIntervalMs ?? 300_000;
    this.lastRetention = Date.now();
    this.timer = setInterval(() => {
      if (this.cleaning !== undefined || this.closing !== undefined) return;
      const now = Date.now();
      const retention = now - this.lastRetention >= retentionEvery;
      if (retention) this.lastRetention = now;
      this.clean({ retention, now }).catch((e: unknown) => {
        if (this.closing === undefined) (this.options.warn ?? console.warn)(`The embedded log's cleaner failed (it tries again in ${interval} ms): ${(e as Error)?.message ?? String(e)}`);
      });
    }, interval);
    this.timer.unref();
  }

  /**
   * Closes the log: the cleaner stops (a pass under way ends at its next slice), open transactions are dropped
   * (never written), RocksDB closes and the lock is released. Idempotent. Close the applications running on it
   * first: their next call fails once the log is closed.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.timer);
      await this.cleaning?.catch(() => undefined);
      for (const e of this.epochs.values()) e.transaction?.abort();
      this.signal.notify();
      await this.db.close();
      this.lock.release();
    })();
    return this.closing;
  }

  private check(): void {
    if (this.closing !== undefined) throw new ClientError(`The embedded log in ${this.dir} is closed.`, 'fatal');
  }
}

/** A committed offset in memory, as stored (log-keys.ts: encodeGroupOffset). */
interface CommittedEntry {
  readonly offset: number;
  readonly metadata: string | undefined;
}

/** The committed offset of a partition, its metadata only where it has one (as the Kafka adapters return them). */
function withMetadata(topic: string, partition: number, c: CommittedEntry): TopicPartitionOffset {
  return c.metadata === undefined ? { topic, partition, offset: c.offset } : { topic, partition, offset: c.offset, metadata: c.metadata };
}

function tpKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** The partition in a partition key (log-keys.ts: 0x02, topic id, partition). */
function readPartitionOfKey(key: Uint8Array): number {
  return readU32(key, 5);
}
