import { StateStoreError } from './state-store-error.ts';

/**
 * A store's files are readable but laid out for other options: a window or session store written with another
 * segment interval (its retention changed), or a store of another kind under the same name. Not retriable: the
 * store must be rebuilt from its changelog (openPersistentStore does).
 */
export class StoreLayoutChangedError extends StateStoreError {
  override name = 'StoreLayoutChangedError';
  /** The store's name, when known. */
  readonly store: string | undefined;
  constructor(
    readonly dir: string,
    message: string,
    options: { store?: string } = {},
  ) {
    super(message, { retriable: false });
    this.store = options.store;
  }
}
