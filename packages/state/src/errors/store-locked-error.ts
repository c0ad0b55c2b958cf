import { StateStoreError } from './state-store-error.ts';

/**
 * A RocksDB store's directory is locked by another process (or by another open handle in this one). Retriable:
 * the holder releases it when it finishes closing (a task moving between instances or threads), as Kafka
 * Streams retries a task whose directory is still locked.
 */
export class StoreLockedError extends StateStoreError {
  override name = 'StoreLockedError';
  /** The store's name, when known. */
  readonly store: string | undefined;
  constructor(
    readonly dir: string,
    message: string,
    options: { cause?: unknown; store?: string } = {},
  ) {
    super(message, { cause: options.cause, retriable: true });
    this.store = options.store;
  }
}
