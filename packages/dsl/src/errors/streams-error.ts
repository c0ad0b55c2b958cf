/** What every StreamsError constructor accepts besides its message. */
export interface StreamsErrorOptions {
  /** Whether the same operation may succeed if tried again later (default false). */
  readonly retriable?: boolean;
  /** The error that caused this one (ES2022 `Error.cause`). */
  readonly cause?: unknown;
}

/**
 * The base of every error ts-streams raises about a topology, a record, a serde or a store, in every package.
 * `retriable` says whether the same operation may succeed if tried again later (a store another process is
 * still releasing) or never will (a bad topology, bytes the serde cannot read): the Kafka runtime retries the
 * former and stops on the latter. The error that caused this one is the standard `cause`. Each subclass carries
 * the facts a handler needs as typed fields (topic, partition, offset, step, store, ...), and its message names
 * the cause and the fix.
 *
 * An error that is not a StreamsError (a TypeError from a wrong argument, an invariant broken inside
 * ts-streams) is a bug to fix, never retried.
 */
export class StreamsError extends Error {
  override name = 'StreamsError';
  readonly retriable: boolean;

  constructor(message: string, options: StreamsErrorOptions = {}) {
    // Only an error that has a cause gets the own `cause` property (as `new Error(m)` has none).
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retriable = options.retriable ?? false;
  }
}
