import type { Bytes } from '../api/bytes.ts';
import type { ChangelogRecord, ChangelogSink, RestorableStore, StateStore } from '../api/state-store.ts';
import { storedTimestampedValue, timestampedChangelogRecord } from './timestamped-changelog-value.ts';

/**
 * What the change-logging layers (key-value, window, session) share, as Kafka Streams' WrappedStateStore does for
 * its ChangeLogging*BytesStore: the store below, whose name, persistence and lifecycle they pass through, and the
 * changelog plumbing — the sink and the timestamp every logged record is stamped with (the runtime: the current
 * record's). Each kind logs its own writes in its own changelog key format and restores them (without logging).
 * With `timestampedValues` the store below keeps [8-byte timestamp][value] and the changelog gets Kafka's format
 * for it: the plain value, the timestamp as the record's (ChangeLoggingTimestamped*BytesStore).
 */
export abstract class ChangeLoggingLayer<S extends StateStore> implements StateStore, RestorableStore {
  readonly name: string;
  /** Whether the sink discards this changelog (ChangelogSink#discards), asked at the first write: undefined until then. */
  private discards: boolean | undefined;

  constructor(
    readonly inner: S,
    readonly sink: ChangelogSink,
    readonly timestamp: () => number,
    readonly timestampedValues = false,
  ) {
    this.name = inner.name;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  /** Applies changelog records to the store below, in order, without logging them. */
  restoreBatch(records: readonly ChangelogRecord[]): void {
    for (let i = 0; i < records.length; i++) this.restore(records[i]!);
  }

  /** Applies one changelog record to the store below (its key in this kind's changelog format). */
  protected abstract restore(record: ChangelogRecord): void;

  flush(): void {
    this.inner.flush();
  }

  close(): void {
    this.inner.close();
  }

  isOpen(): boolean {
    return this.inner.isOpen();
  }

  /**
   * Logs one write (value null: a tombstone), stamped with the current timestamp; a timestamped value is logged
   * plain, stamped with its own timestamp.
   */
  protected log(key: Bytes, value: Bytes | null): void {
    if (this.discarded()) return;
    this.sink.send(this.name, this.timestampedValues ? timestampedChangelogRecord(key, value, this.timestamp) : { key, value, timestamp: this.timestamp() });
  }

  /**
   * True when nothing reads this changelog (ChangelogSink#discards): writes then go below only, with no changelog
   * key or record built. Asked once, at the first write (the runtime knows which topics are read only once its
   * tasks are built), as the runtime's own changelog routing asks.
   */
  protected discarded(): boolean {
    return this.discards ??= this.sink.discards?.(this.name) ?? false;
  }

  /** The value to store for a changelog record: as logged, or with its timestamp prepended for a timestamped store. */
  protected storedValue(record: ChangelogRecord): Bytes | null {
    return this.timestampedValues ? storedTimestampedValue(record) : record.value;
  }
}
