import { StateStoreError } from './state-store-error.ts';

/** A checkpoint file exists but cannot be parsed. Not retriable: the file stays as it is. */
export class CheckpointCorruptedError extends StateStoreError {
  override name = 'CheckpointCorruptedError';
  constructor(
    readonly file: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause, retriable: false });
  }
}
