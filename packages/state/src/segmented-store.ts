import { lowerBoundNumber } from './util/sorted-numbers.ts';
import { StoreClosedError } from './errors/store-closed-error.ts';
import { StreamsError } from '@ts-streams/dsl/errors';

/** Kafka Streams' default segment interval for window and session stores (Stores.persistentWindowStore): max(retention / 2, 60 s). */
export function defaultSegmentInterval(retentionPeriod: number): number {
  return Math.max(Math.floor(retentionPeriod / 2), 60_000);
}

/** Throws unless `segmentInterval` is a usable segment span. */
export function checkSegmentInterval(storeName: string, segmentInterval: number): void {
  if (!(segmentInterval >= 1)) {
    throw new StreamsError(
      `Store ${storeName}: segmentInterval must be a number of milliseconds >= 1, got ${segmentInterval}. Leave it out for Kafka Streams' default, max(retention / 2, 60 s).`,
    );
  }
}

/**
 * The retention clock that every window and session store shares, in memory or in RocksDB (as Kafka Streams'
 * AbstractSegments for its segmented stores): observed stream time (the largest time put: window start, session
 * end), the retention period behind it, and the time segments (segment id = floor(time / segmentInterval)) that
 * hold the data, so that expired data goes a whole segment at a time and no per-record expiry work is done.
 *
 * A time is expired when it is <= observedStreamTime - retentionPeriod: a put of it is dropped (counted in
 * droppedRecords) and reads never return it — except that a time-ordered session store (Kafka's for
 * emitStrategy('on-window-close')) drops only puts into a dropped segment and has a read by whole segments. A segment
 * is dropped once below segmentId(observedStreamTime - retentionPeriod); how its data goes is each store's own
 * (dropSegments).
 */
export abstract class SegmentedStore {
  readonly name: string;
  readonly retentionPeriod: number;
  /** Time span of one segment, the unit in which expired data is dropped. */
  readonly segmentInterval: number;
  /** Puts dropped because their window / session had already expired. */
  droppedRecords = 0;
  /** Ids of the segments that may hold data, ascending. */
  protected segmentIds: number[];
  /** Largest time put (or restored); -1 before any. */
  protected streamTime: number;
  protected open = true;

  protected constructor(name: string, retentionPeriod: number, segmentInterval: number, streamTime = -1, segmentIds: number[] = []) {
    checkSegmentInterval(name, segmentInterval);
    this.name = name;
    this.retentionPeriod = retentionPeriod;
    this.segmentInterval = segmentInterval;
    this.streamTime = streamTime;
    this.segmentIds = segmentIds;
  }

  /** Largest time put (or restored); -1 before any. */
  observedStreamTime(): number {
    return this.streamTime;
  }

  /** Ids of the segments currently held (ascending): for tests and metrics. */
  segments(): readonly number[] {
    return this.segmentIds.slice();
  }

  /**
   * The data of the first `count` held segments (segmentIds[0 .. count - 1]: every segment before `firstLive`, the
   * segment of the smallest live time) expired: drop it.
   */
  protected abstract dropSegments(count: number, firstLive: number): void;

  protected checkOpen(): void {
    if (!this.open) throw new StoreClosedError(this.name);
  }

  protected segmentOf(time: number): number {
    return Math.floor(time / this.segmentInterval);
  }

  /** The smallest live time: anything at or below observedStreamTime - retentionPeriod is expired. */
  protected minLiveTime(): number {
    return this.streamTime - this.retentionPeriod + 1;
  }

  protected isExpired(time: number): boolean {
    return time <= this.streamTime - this.retentionPeriod;
  }

  /**
   * What every put does first: advances stream time to `time` (see advance), then tells whether the put may go
   * on — false, counted in droppedRecords, when `time` is expired (bySegment: when its segment is gone).
   */
  protected admit(time: number, bySegment = false): boolean {
    this.advance(time);
    if (bySegment ? this.segmentOf(time) < this.segmentOf(this.streamTime - this.retentionPeriod) : this.isExpired(time)) {
      this.droppedRecords++;
      return false;
    }
    return true;
  }

  /** Advances observed stream time to `time` if later, dropping the segments that thereby expire. */
  protected advance(time: number): void {
    if (time > this.streamTime) {
      this.streamTime = time;
      this.dropExpiredSegments();
    }
  }

  /**
   * Drops the held segments as Kafka's AbstractSegments does, those below segmentId(observedStreamTime -
   * retentionPeriod) (segment id holds [id * interval, (id + 1) * interval - 1]; all their times are expired).
   * Exact reads filter by isExpired anyway; segment-wide ones (a time-ordered session store's) see what is held.
   */
  protected dropExpiredSegments(): void {
    const ids = this.segmentIds;
    if (ids.length === 0) return;
    const firstLive = this.segmentOf(this.streamTime - this.retentionPeriod);
    if (ids[0]! >= firstLive) return;
    let n = 1;
    while (n < ids.length && ids[n]! < firstLive) n++;
    this.dropSegments(n, firstLive);
    ids.splice(0, n);
  }

  /** Index in segmentIds of the first held segment with id >= `id` (segmentIds.length if none). */
  protected segmentIndex(id: number): number {
    return lowerBoundNumber(this.segmentIds, id);
  }

  protected hasSegment(id: number): boolean {
    const ids = this.segmentIds;
    const n = ids.length;
    if (n > 0 && ids[n - 1] === id) return true;
    const i = lowerBoundNumber(ids, id);
    return i < n && ids[i] === id;
  }

  /** Adds a segment id to the held ones (if not held yet): usually the newest, so usually one push. */
  protected addSegment(id: number): void {
    const ids = this.segmentIds;
    const n = ids.length;
    if (n === 0 || ids[n - 1]! < id) ids.push(id);
    else {
      const i = lowerBoundNumber(ids, id);
      if (ids[i] !== id) ids.splice(i, 0, id);
    }
  }

  /** Ids of the held segments in [first, last], ascending. */
  protected segmentsBetween(first: number, last: number): number[] {
    const ids = this.segmentIds;
    const out: number[] = [];
    for (let i = first === -Infinity ? 0 : lowerBoundNumber(ids, first); i < ids.length && ids[i]! <= last; i++) out.push(ids[i]!);
    return out;
  }
}
