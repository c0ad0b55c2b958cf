import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { ChangelogRecord } from '../api/state-store.ts';
import type { WindowBytesStore, WindowedBytes } from '../api/window-store.ts';
import { ChangeLoggingLayer } from './change-logging-layer.ts';
import { parseWindowChangelogKey, windowChangelogKey } from './changelog-keys.ts';

/**
 * Logs every window put (Kafka Streams' ChangeLoggingWindowBytesStore). Changelog key: [key][8-byte start][4-byte
 * seqnum]; seqnum is 0 unless the store retains duplicates, then it counts up from 1 per put (wrapping at 2^31),
 * a null put included (it is logged although the store ignores it, as in Kafka).
 */
export class ChangeLoggingWindowStore extends ChangeLoggingLayer<WindowBytesStore> implements WindowBytesStore {
  private seqnum = 0;

  get retentionPeriod(): number {
    return this.inner.retentionPeriod;
  }

  get windowSize(): number {
    return this.inner.windowSize;
  }

  get retainDuplicates(): boolean {
    return this.inner.retainDuplicates;
  }

  put(key: Bytes, value: Bytes | null, windowStart: number): void {
    this.inner.put(key, value, windowStart);
    if (this.inner.retainDuplicates) this.seqnum = (this.seqnum + 1) & 0x7fffffff;
    if (!this.discarded()) this.log(windowChangelogKey(key, windowStart, this.seqnum), value);
  }

  fetch(key: Bytes, windowStart: number): Bytes | undefined {
    return this.inner.fetch(key, windowStart);
  }

  fetchRange(key: Bytes, timeFrom: number, timeTo: number, backward?: boolean): Iterable<KeyValue<number, Bytes>> {
    return this.inner.fetchRange(key, timeFrom, timeTo, backward);
  }

  fetchKeyRange(keyFrom: Bytes | undefined, keyTo: Bytes | undefined, timeFrom: number, timeTo: number, backward?: boolean): Iterable<KeyValue<WindowedBytes, Bytes>> {
    return this.inner.fetchKeyRange(keyFrom, keyTo, timeFrom, timeTo, backward);
  }

  fetchAll(timeFrom: number, timeTo: number, backward?: boolean): Iterable<KeyValue<WindowedBytes, Bytes>> {
    return this.inner.fetchAll(timeFrom, timeTo, backward);
  }

  all(): Iterable<KeyValue<WindowedBytes, Bytes>> {
    return this.inner.all();
  }

  observedStreamTime(): number {
    return this.inner.observedStreamTime();
  }

  /** Key and start parsed from the changelog key; the seqnum is ignored. */
  protected restore(record: ChangelogRecord): void {
    const k = parseWindowChangelogKey(record.key);
    this.inner.put(k.key, this.storedValue(record), k.windowStart);
  }
}
