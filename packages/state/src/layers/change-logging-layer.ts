import type { Bytes } from '../api/bytes.ts';
import type { ChangelogRecord, ChangelogSink, RestorableStore, StateStore } from '../api/state-store.ts';

/**
 * What the change-logging layers (key-value, window, session) share, as Kafka Streams' WrappedStateStore does for
 * its ChangeLogging*BytesStore: the store below, whose name, persistence and lifecycle they pass through, and the
 * changelog plumbing — the sink and the timestamp every logged record is stamped with (the runtime: the current
 * record's). Each kind logs its own writes in its own changelog key format and restores them (without logging).
 */
export abstract class ChangeLoggingLayer<S extends StateStore> implements StateStore, RestorableStore {
  readonly name: string;

  constructor(
    readonly inner: S,
    readonly sink: ChangelogSink,
    readonly timestamp: () => number,
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

  /** Logs one write (value null: a tombstone), stamped with the current timestamp. */
  protected log(key: Bytes, value: Bytes | null): void {
    this.sink.send(this.name, { key, value, timestamp: this.timestamp() });
  }
}
