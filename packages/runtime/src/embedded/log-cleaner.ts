import type { RocksDatabase } from '@ts-streams/state';
import { yieldToEventLoop } from '../task/yield-to-event-loop.ts';
import type { LogPartition } from './log-partition.ts';
import type { LogTopic } from './log-topic.ts';
import { keyIdOfRecord, timestampOfRecord } from './log-record-codec.ts';
import { offsetOfRecordKey, recordKey } from './log-keys.ts';

/** Records read per synchronous slice of a cleaning pass, between turns of the event loop. */
const SLICE = 2_000;
/** Kafka's min.cleanable.dirty.ratio: a partition is compacted once half of it or more was written since the last pass. */
const MIN_DIRTY_RATIO = 0.5;
/** Below this many records written since the last pass, a partition is not worth compacting yet. */
const MIN_DIRTY_RECORDS = 1_000;

/** What the cleaner needs of its log. */
export interface CleanerHost {
  readonly db: RocksDatabase;
  topics(): Iterable<LogTopic>;
  /** True while the log is open and the partition's topic exists: a pass stops at once otherwise. */
  alive(p: LogPartition): boolean;
  /** Moves the partition's log start forward, durably, and deletes the records before it. */
  moveStart(p: LogPartition, start: number): void;
}

/** What one pass did. */
export interface CleanReport {
  /** Records removed because they were older than their topic's retention.ms. */
  readonly expired: number;
  /** Records removed by compaction (a later record has their key). */
  readonly compacted: number;
}

export interface CleanOptions {
  /** Apply time-based retention (cleanup.policy delete). Default true. */
  readonly retention?: boolean;
  /** Compact every compacted partition with anything written since its last pass, whatever its dirty ratio. Default false. */
  readonly force?: boolean;
  /** The time retention is measured from. Default Date.now(). */
  readonly now?: number;
}

/**
 * Retention and compaction of the embedded log (Kafka's log cleaner and retention check), run lazily: by a timer of
 * the log, or on demand (EmbeddedLog#clean). Every pass works in slices of SLICE records that yield to the event
 * loop, so a large partition never stalls the application that owns the log.
 *
 * - **Retention** (cleanup.policy delete, retention.ms ≥ 0): the log start moves past the records older than
 *   now − retention.ms, from the start up to the first record that is not (as Kafka deletes whole segments from the
 *   oldest, and keeps a segment with a newer record in it); deleteRecords' range delete removes them.
 * - **Compaction** (cleanup.policy compact, the changelogs): a partition with enough written since its last pass (the
 *   dirty part: half of it, at least MIN_DIRTY_RECORDS, as Kafka's min.cleanable.dirty.ratio) is read twice: the
 *   dirty part for the last offset of each key, then the whole partition, deleting every record of those keys
 *   before it. The latest record of a key always stays, a tombstone too (Kafka removes tombstones after
 *   delete.retention.ms; here a deleted key costs one record). Records without a key are kept. Only what is
 *   committed is compacted (below the last stable offset). At most `maxKeysPerPass` keys are tracked in one pass:
 *   the dirty part is then cleaned in several passes.
 */
export class LogCleaner {
  /** Per partition, the offset compaction has covered (its dirty part starts there); forgotten at a restart. */
  private readonly cleanedUpTo = new WeakMap<LogPartition, number>();

  constructor(
    private readonly host: CleanerHost,
    private readonly maxKeysPerPass = 1_000_000,
  ) {}

  async clean(options: CleanOptions = {}): Promise<CleanReport> {
    const now = options.now ?? Date.now();
    let expired = 0;
    let compacted = 0;
    for (const topic of [...this.host.topics()]) {
      for (const p of topic.partitions) {
        if (!this.host.alive(p)) continue;
        if ((options.retention ?? true) && topic.deletes && topic.retentionMs >= 0) expired += await this.expire(p, now - topic.retentionMs);
        if (topic.compacts && this.host.alive(p)) compacted += await this.compact(p, options.force ?? false);
      }
    }
    return { expired, compacted };
  }

  /** Moves the log start past the records older than `cutoff` (from the start, up to the first newer one). */
  private async expire(p: LogPartition, cutoff: number): Promise<number> {
    const stable = p.stable;
    let from = p.start;
    let newStart = p.start;
    scan: while (from < stable) {
      let read = 0;
      for (const { key, value } of this.host.db.iterate({ gte: recordKey(p.topicId, p.partition, from), lt: recordKey(p.topicId, p.partition, stable), limit: SLICE }, SLICE)) {
        read++;
        const offset = offsetOfRecordKey(key);
        if (timestampOfRecord(value) >= cutoff) {
          newStart = offset;
          break scan;
        }
        newStart = offset + 1;
        from = offset + 1;
      }
      if (read < SLICE) {
        newStart = stable; // every committed record is older: the log is empty from here (gaps included)
        break;
      }
      await yieldToEventLoop();
      if (!this.host.alive(p)) return 0;
    }
    const removed = newStart - p.start;
    if (removed <= 0) return 0;
    this.host.moveStart(p, newStart);
    return removed;
  }

  private async compact(p: LogPartition, force: boolean): Promise<number> {
    const stable = p.stable;
    const dirtyStart = Math.max(this.cleanedUpTo.get(p) ?? p.start, p.start);
    const dirty = stable - dirtyStart;
    if (dirty <= 0) return 0;
    if (!force && (dirty < MIN_DIRTY_RECORDS || dirty / (stable - p.start) < MIN_DIRTY_RATIO)) return 0;

    // Pass 1: the last offset of each key in the dirty part.
    const latest = new Map<string, number>();
    let dirtyEnd = stable;
    let from = dirtyStart;
    pass1: while (from < stable) {
      let read = 0;
      for (const { key, value } of this.host.db.iterate({ gte: recordKey(p.topicId, p.partition, from), lt: recordKey(p.topicId, p.partition, stable), limit: SLICE }, SLICE)) {
        read++;
        const offset = offsetOfRecordKey(key);
        from = offset + 1;
        const id = keyIdOfRecord(value);
        if (id === null) continue;
        if (latest.size >= this.maxKeysPerPass && !latest.has(id)) {
          dirtyEnd = offset; // the next pass goes on from here
          break pass1;
        }
        latest.set(id, offset);
      }
      if (read < SLICE) break;
      await yieldToEventLoop();
      if (!this.host.alive(p)) return 0;
    }

    // Pass 2: every record before dirtyEnd whose key comes again later goes.
    let removed = 0;
    from = p.start;
    const batch = this.host.db.batch();
    while (from < dirtyEnd) {
      let read = 0;
      for (const { key, value } of this.host.db.iterate({ gte: recordKey(p.topicId, p.partition, from), lt: recordKey(p.topicId, p.partition, dirtyEnd), limit: SLICE }, SLICE)) {
        read++;
        const offset = offsetOfRecordKey(key);
        from = offset + 1;
        const id = keyIdOfRecord(value);
        if (id !== null && (latest.get(id) ?? -1) > offset) {
          batch.delete(key);
          removed++;
        }
      }
      batch.write();
      if (read < SLICE) break;
      await yieldToEventLoop();
      if (!this.host.alive(p)) return removed;
    }
    this.cleanedUpTo.set(p, dirtyEnd);
    return removed;
  }
}
