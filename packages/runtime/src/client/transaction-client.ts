import type { ClientError } from '../errors/client-error.ts';
import type { ProducerIdentity } from './producer-identity.ts';

/** Partitions of one topic, as AddPartitionsToTxn takes them. */
export interface TopicPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

/**
 * What a TransactionCoordinator needs of an adapter's client: each transaction request sent once, to the coordinator
 * the client finds for it, rejecting with the client's own error (or one carrying the error code the broker answered)
 * — and how those errors read. Retrying, and what a failure means, is the coordinator's (transaction-coordinator.ts).
 * A ClientError a request rejects with is final, not retried (the broker lacks a version the request needs).
 * `what` names the request (for the adapter's own errors).
 */
export interface TransactionClient {
  readonly transactionalId: string;
  /** transaction.timeout.ms, which InitProducerId gives the coordinator. */
  readonly transactionTimeoutMs: number;
  /** InitProducerId with the transactional id, to its transaction coordinator. */
  initProducerId(what: string): Promise<ProducerIdentity>;
  /** AddPartitionsToTxn to the transaction coordinator (rejecting when any partition's answer is an error). */
  addPartitionsToTxn(id: ProducerIdentity, topics: readonly TopicPartitions[], what: string): Promise<void>;
  /** AddOffsetsToTxn for the group, to the transaction coordinator. */
  addOffsetsToTxn(id: ProducerIdentity, groupId: string, what: string): Promise<void>;
  /**
   * TxnOffsetCommit v3 to the group's coordinator: `body` as record-batch/txn-offset-commit-request.ts encodes it (its
   * first byte the request header v2's empty tagged fields); rejecting when any partition's answer is an error.
   */
  txnOffsetCommit(groupId: string, body: Buffer, what: string): Promise<void>;
  /** EndTxn to the transaction coordinator: commit, or abort. */
  endTxn(id: ProducerIdentity, commit: boolean, what: string): Promise<void>;
  /** Kafka's error name (UPPER_SNAKE, as transaction-failure.ts classes them) when the error carries the broker's answer. */
  errorType(error: unknown): string | undefined;
  /** The error as a ClientError saying `what` failed; its reason 'unreachable' when no broker answered (in time). */
  toClientError(error: unknown, what: string): ClientError;
  /** The client's own error for finding no coordinator (COORDINATOR_NOT_AVAILABLE is read by its name already). */
  coordinatorNotFound(error: unknown): boolean;
  /**
   * Forgets the coordinators found (one may have moved, or its connection broke: `type` as errorType read it), so that
   * the next attempt looks them up again.
   */
  forgetCoordinators(error: unknown, type: string | undefined): Promise<void> | void;
}
