/**
 * The base of every runtime error: says whether retrying can help, keeps the original error as `cause`.
 * Messages name the topic, store or step involved and the fix.
 */
export class StreamsError extends Error {
  override name = 'StreamsError';
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.retriable = options.retriable ?? false;
  }
}

/** A record the application cannot read (bad bytes for the serde, bad timestamp). */
export class DeserializationError extends StreamsError {
  override name = 'DeserializationError';
  constructor(
    message: string,
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

/** A user function (mapper, aggregator, processor) threw while processing a record. */
export class ProcessingError extends StreamsError {
  override name = 'ProcessingError';
  constructor(
    message: string,
    readonly step: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
