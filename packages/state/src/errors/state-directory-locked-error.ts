import { StateStoreError } from './state-store-error.ts';

/**
 * The state directory is held by another live process (its `.lock` file names it). Not retriable: two instances
 * configured with one state directory is a deployment to fix, as Kafka Streams fails at start-up.
 */
export class StateDirectoryLockedError extends StateStoreError {
  override name = 'StateDirectoryLockedError';
  constructor(
    readonly dir: string,
    readonly pid: number,
    readonly hostname: string,
    message: string,
  ) {
    super(message, { retriable: false });
  }
}
