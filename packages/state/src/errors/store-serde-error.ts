import { StreamsError } from '@ts-streams/dsl/errors';

/**
 * A store's serde cannot read or write a key or value. The message names the store, the serde and the key. Not
 * retriable: the same bytes fail the same way (a serde changed while its store kept the old format?).
 */
export class StoreSerdeError extends StreamsError {
  override name = 'StoreSerdeError';
  constructor(
    readonly store: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause, retriable: false });
  }
}
