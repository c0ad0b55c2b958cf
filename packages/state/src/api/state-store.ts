/** What every store, typed or bytes, has. */
export interface StateStore {
  readonly name: string;
  /** True when the store survives a restart on local disk (RocksDB); false for in-memory stores. */
  readonly persistent: boolean;
  /** Writes buffered state down (cache → inner store → disk). Called by the task on commit. */
  flush(): void;
  close(): void;
  isOpen(): boolean;
}

/** One record of a store's changelog, as the change-logging layer emits it and restore consumes it. */
export interface ChangelogRecord {
  readonly key: Uint8Array;
  /** null is a tombstone (delete). */
  readonly value: Uint8Array | null;
  readonly timestamp: number;
}

/**
 * Where the change-logging layer sends each write. Injected by the runtime: the test driver collects,
 * the Kafka runtime produces to `<applicationId>-<storeName>-changelog`. Never a producer in this package.
 */
export interface ChangelogSink {
  send(storeName: string, record: ChangelogRecord): void;
  /**
   * True when nothing will ever read this store's changelog (the test driver with changelog capture off): the
   * change-logging layer then builds no record for it at all (no changelog key, no record object per write).
   */
  discards?(storeName: string): boolean;
}

/** Restores a store from a batch of changelog records (applied in order, tombstones delete). */
export interface RestorableStore {
  restoreBatch(records: readonly ChangelogRecord[]): void;
}
