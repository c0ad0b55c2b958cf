import { StateStoreError } from './state-store-error.ts';

/**
 * A store's files cannot be read: corrupted or missing RocksDB files (CURRENT, MANIFEST, SST, OPTIONS...). Not
 * retriable: the store must be wiped and restored from its changelog (openPersistentStore does).
 */
export class StoreCorruptedError extends StateStoreError {
  override name = 'StoreCorruptedError';
  /** The store's name, when known. */
  readonly store: string | undefined;
  constructor(
    readonly dir: string,
    message: string,
    options: { cause?: unknown; store?: string } = {},
  ) {
    super(message, { cause: options.cause, retriable: false });
    this.store = options.store;
  }
}
