import { StreamsError } from '@ts-streams/dsl/errors';

/**
 * Something is wrong with a state store's or state directory's files on disk (as opposed to StoreClosedError /
 * StoreSerdeError, which are about how a store is used). Every message names the directory or file involved.
 * Not retriable unless a subclass says otherwise: files do not mend themselves.
 */
export class StateStoreError extends StreamsError {
  override name = 'StateStoreError';
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, { cause: options.cause, retriable: options.retriable ?? false });
  }
}
