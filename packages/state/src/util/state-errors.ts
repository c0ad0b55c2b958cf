/**
 * Errors about a store's or a state directory's files on disk (as opposed to StoreClosedError / StoreSerdeError,
 * which are about how a store is used). Every message names the directory or file involved.
 */

/** Base class: something is wrong with a state store's or state directory's files. */
export class StateStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateStoreError';
  }
}

/** A RocksDB store's directory is locked by another process (or by another open handle in this one). */
export class StoreLockedError extends StateStoreError {
  constructor(
    readonly dir: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreLockedError';
  }
}

/** A store's files cannot be read: corrupted or missing RocksDB files (CURRENT, MANIFEST, SST, OPTIONS...). */
export class StoreCorruptedError extends StateStoreError {
  constructor(
    readonly dir: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreCorruptedError';
  }
}

/**
 * A store's files are readable but laid out for other options: a window or session store written with another
 * segment interval (its retention changed), or a store of another kind under the same name.
 */
export class StoreLayoutChangedError extends StateStoreError {
  constructor(
    readonly dir: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreLayoutChangedError';
  }
}

/** The state directory is held by another live process (its `.lock` file names it). */
export class StateDirectoryLockedError extends StateStoreError {
  constructor(
    readonly dir: string,
    readonly pid: number,
    readonly hostname: string,
    message: string,
  ) {
    super(message);
    this.name = 'StateDirectoryLockedError';
  }
}

/** A checkpoint file exists but cannot be parsed. */
export class CheckpointCorruptedError extends StateStoreError {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CheckpointCorruptedError';
  }
}
