import { ClientError } from '../errors/client-error.ts';

// What a transaction request's failure means, by Kafka's error name (UPPER_SNAKE, as the protocol's docs and kafkajs
// name them; an adapter whose client gives codes names them so), for TransactionCoordinator (transaction-coordinator.ts).

/**
 * Errors after which the same request succeeds later: the coordinator is loading or moving (then it is looked up
 * again), or the transaction's previous end is still being written (CONCURRENT_TRANSACTIONS: InitProducerId while the
 * coordinator aborts what an earlier producer left open; AddPartitionsToTxn right after EndTxn).
 */
export const RETRIABLE_TRANSACTION_ERRORS: ReadonlySet<string> = new Set([
  'COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR', 'CONCURRENT_TRANSACTIONS', 'REQUEST_TIMED_OUT', 'NETWORK_EXCEPTION',
]);
/** Errors that mean the producer's epoch is over: another producer took the id, or the coordinator aborted for the timeout. */
const FENCED = new Set(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING', 'INVALID_TXN_STATE', 'TRANSACTION_ABORTABLE']);
/** The group refused offsets of a member whose generation is over (KIP-447's fencing of zombies). */
const REBALANCED = new Set(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID', 'REBALANCE_IN_PROGRESS']);

/** A transaction request's failure, as TransactionCoordinator classes it. */
export interface TransactionFailure {
  /** What the adapter's client said, already a ClientError (its message names the request). */
  readonly said: ClientError;
  /** The original error (kept as the cause). */
  readonly error: unknown;
  /** Kafka's error name, when the broker answered with one. */
  readonly type: string | undefined;
  /** Retriable, and retried until the deadline. */
  readonly timedOut: boolean;
  /** No coordinator could be found for the transactional id (its __transaction_state cannot be loaded). */
  readonly coordinatorMissing: boolean;
}

/** The failure of a transaction request as a ClientError that names the cause and the fix. */
export function transactionFailure(
  failure: TransactionFailure,
  transactionalId: string,
  transactionTimeoutMs: number,
  retryMs: number,
): ClientError {
  const { said, error, type } = failure;
  const id = `transactional id '${transactionalId}'`;
  if (failure.timedOut) {
    return new ClientError(
      `${said.message} — still failing after ${retryMs} ms. ` +
        (failure.coordinatorMissing
          ? `No broker can coordinate transactions: the cluster cannot create or load its __transaction_state topic (check transaction.state.log.replication.factor and transaction.state.log.min.isr against the live brokers, and that the brokers' logs show no errors for it), or run with processingGuarantee 'at_least_once'`
          : `Check that the brokers are up; to keep trying longer, raise taskTimeoutMs`),
      'unreachable',
      { cause: error },
    );
  }
  if (type !== undefined && FENCED.has(type)) {
    return new ClientError(
      `${said.message}: the producer of ${id} was fenced — another instance took the id over, or the transaction stayed open longer than transaction.timeout.ms (${transactionTimeoutMs} ms) and the coordinator aborted it (a process stopped or stalled). Nothing of the transaction is committed; its tasks are processed again from their committed offsets`,
      'fenced',
      { cause: error },
    );
  }
  if (type !== undefined && REBALANCED.has(type)) {
    return new ClientError(`${said.message}: the group's generation moved on (a rebalance), so this member's offsets are refused and the transaction must be aborted`, 'rebalanced', { cause: error });
  }
  if (type === 'INVALID_TRANSACTION_TIMEOUT') {
    return new ClientError(
      `${said.message}: the broker refuses transaction.timeout.ms ${transactionTimeoutMs} ms — it must not exceed the broker's transaction.max.timeout.ms (default 15 min) and must exceed the commit interval`,
      'fatal',
      { cause: error },
    );
  }
  if (type === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED' || type === 'CLUSTER_AUTHORIZATION_FAILED' || type === 'GROUP_AUTHORIZATION_FAILED') {
    return new ClientError(`${said.message}: grant the application's principal Write on the ${id} (and Read on the group) to use exactly-once`, 'fatal', { cause: error });
  }
  if (type === 'UNSUPPORTED_VERSION' || type === 'UNSUPPORTED_FOR_MESSAGE_FORMAT') {
    return new ClientError(`${said.message}: the brokers do not support transactions (Kafka 0.11+, KIP-447 needs 2.5+): upgrade them or run with processingGuarantee 'at_least_once'`, 'fatal', { cause: error });
  }
  return said.reason === 'fatal' ? said : new ClientError(said.message, 'fatal', { cause: error });
}
