import { defaultSegmentInterval, SegmentedStore } from '../segmented-store.ts';

/**
 * What the in-memory window and session stores share: the retention clock and time segments of every segmented
 * store (SegmentedStore), each held segment a Map from key string to that key's entries in the segment (a
 * dropped segment is one Map deleted), and the lifecycle of a store that keeps nothing (close() empties it).
 */
export abstract class InMemorySegmentedStore<E> extends SegmentedStore {
  readonly persistent = false;
  /** The held segments' data: segment id → key string → the key's entries in that segment. */
  protected readonly keysBySegment = new Map<number, Map<string, E>>();

  /** segmentInterval: default defaultSegmentInterval(retentionPeriod), as Kafka's segmented stores. */
  protected constructor(name: string, retentionPeriod: number, segmentInterval: number | undefined) {
    super(name, retentionPeriod, segmentInterval ?? defaultSegmentInterval(retentionPeriod));
  }

  /** The keys of segment `id`, the segment created (and held) if it is not yet. */
  protected segmentFor(id: number): Map<string, E> {
    let seg = this.keysBySegment.get(id);
    if (seg === undefined) {
      seg = new Map();
      this.keysBySegment.set(id, seg);
      this.addSegment(id);
    }
    return seg;
  }

  protected dropSegments(count: number): void {
    const ids = this.segmentIds;
    for (let i = 0; i < count; i++) this.keysBySegment.delete(ids[i]!);
  }

  flush(): void {
    // in memory: nothing to write down
  }

  /** Closes the store and empties it (an in-memory store loses its contents on close, as in Kafka Streams). */
  close(): void {
    this.keysBySegment.clear();
    this.segmentIds = [];
    this.streamTime = -1;
    this.open = false;
  }

  /** Re-opens a closed store (empty, as an in-memory store loses its contents on close). */
  reopen(): void {
    this.open = true;
  }

  isOpen(): boolean {
    return this.open;
  }
}
