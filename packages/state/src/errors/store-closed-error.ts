import { StreamsError } from '@ts-streams/dsl/errors';

/**
 * A store was used after close(). Not retriable: a closed store object never reopens (a caller that looks the
 * store up again, after a rebalance, gets a new one).
 */
export class StoreClosedError extends StreamsError {
  override name = 'StoreClosedError';
  constructor(readonly store: string) {
    super(`State store ${store} is closed`, { retriable: false });
  }
}
