import { StreamsError } from '@ts-streams/dsl';

/**
 * A consumed record the application cannot read: its bytes do not fit the source's serdes. Not retriable: the
 * same bytes fail the same way; fix the serdes or route bad records to a dead-letter topic.
 */
export class DeserializationError extends StreamsError {
  override name = 'DeserializationError';
  constructor(
    message: string,
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause, retriable: false });
  }
}
