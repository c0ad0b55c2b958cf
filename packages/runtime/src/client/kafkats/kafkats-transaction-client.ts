import { ErrorCode, getErrorName, type Broker, type Cluster } from '@kafkats/client';
import type { ClientError } from '../../errors/client-error.ts';
import type { ProducerIdentity } from '../producer-identity.ts';
import type { TopicPartitions, TransactionClient } from '../transaction-client.ts';
import { errorCodeOf, toClientError } from './kafkats-errors.ts';
import { addPartitionsToTxn, txnOffsetCommit } from './kafkats-raw-requests.ts';

/** An error code a response carried, thrown by a request (read by its code: errorCodeOf). */
class AnsweredError extends Error {
  constructor(readonly errorCode: number, what: string) {
    super(`${what}: the broker answered ${getErrorName(errorCode as ErrorCode)}`);
  }
}

/** Kafka's error name in UPPER_SNAKE (what transaction-failure.ts classifies) from @kafkats/client's PascalCase one. */
function kafkaErrorName(code: number): string {
  return getErrorName(code as ErrorCode).replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/**
 * The transaction requests over @kafkats/client's connections, each sent once (TransactionCoordinator retries them):
 * InitProducerId with the transactional id, AddOffsetsToTxn and EndTxn through its Broker (the versions it picks: ≤ 3,
 * all still taken by Kafka 4.x); AddPartitionsToTxn raw at v3 (its Broker would pick v4, for brokers only) and
 * TxnOffsetCommit raw at v3 with our encoder (kafkats-raw-requests.ts). Its Cluster keeps the coordinators found.
 */
export class KafkatsTransactionClient implements TransactionClient {
  constructor(
    private readonly cluster: Cluster,
    readonly transactionalId: string,
    readonly transactionTimeoutMs: number,
  ) {}

  async initProducerId(what: string): Promise<ProducerIdentity> {
    const broker = await this.#transactionCoordinator();
    const answer = await broker.initProducerId({ transactionalId: this.transactionalId, transactionTimeoutMs: this.transactionTimeoutMs, producerId: -1n, producerEpoch: -1 });
    if (answer.errorCode !== ErrorCode.None) throw new AnsweredError(answer.errorCode, what);
    return { producerId: answer.producerId, producerEpoch: answer.producerEpoch };
  }

  async addPartitionsToTxn(id: ProducerIdentity, topics: readonly TopicPartitions[], what: string): Promise<void> {
    const broker = await this.#transactionCoordinator();
    const answers = await addPartitionsToTxn(broker, this.transactionalId, id.producerId, id.producerEpoch, topics);
    // OPERATION_NOT_ATTEMPTED: the partition was fine, another one of the request failed (that one's code decides).
    const failed = answers.find((a) => a.errorCode !== ErrorCode.None && a.errorCode !== ErrorCode.OperationNotAttempted) ?? answers.find((a) => a.errorCode !== ErrorCode.None);
    if (failed !== undefined) throw new AnsweredError(failed.errorCode, `${what} (${failed.topic}-${failed.partition})`);
  }

  async addOffsetsToTxn(id: ProducerIdentity, groupId: string, what: string): Promise<void> {
    const broker = await this.#transactionCoordinator();
    const answer = await broker.addOffsetsToTxn({ transactionalId: this.transactionalId, producerId: id.producerId, producerEpoch: id.producerEpoch, groupId });
    if (answer.errorCode !== ErrorCode.None) throw new AnsweredError(answer.errorCode, what);
  }

  async txnOffsetCommit(groupId: string, body: Buffer, what: string): Promise<void> {
    let broker: Broker;
    try {
      broker = await this.cluster.getCoordinator('GROUP', groupId);
    } catch (error) {
      this.cluster.invalidateCoordinator('GROUP', groupId);
      throw error;
    }
    const answer = await txnOffsetCommit(broker, body).catch((error: unknown) => {
      this.cluster.invalidateCoordinator('GROUP', groupId);
      throw error;
    });
    const failed = answer.partitions.find((p) => p.errorCode !== ErrorCode.None);
    if (failed !== undefined) {
      if (failed.errorCode === ErrorCode.NotCoordinator || failed.errorCode === ErrorCode.CoordinatorNotAvailable) this.cluster.invalidateCoordinator('GROUP', groupId);
      throw new AnsweredError(failed.errorCode, `${what} (${failed.topic}-${failed.partition})`);
    }
  }

  async endTxn(id: ProducerIdentity, commit: boolean, what: string): Promise<void> {
    const broker = await this.#transactionCoordinator();
    const answer = await broker.endTxn({ transactionalId: this.transactionalId, producerId: id.producerId, producerEpoch: id.producerEpoch, committed: commit });
    if (answer.errorCode !== ErrorCode.None) throw new AnsweredError(answer.errorCode, what);
  }

  errorType(error: unknown): string | undefined {
    const code = errorCodeOf(error);
    return code === undefined ? undefined : kafkaErrorName(code);
  }

  toClientError(error: unknown, what: string): ClientError {
    return toClientError(error, what);
  }

  coordinatorNotFound(error: unknown): boolean {
    return (error as { name?: string } | null)?.name === 'CoordinatorNotAvailableError';
  }

  forgetCoordinators(): void {
    this.cluster.invalidateCoordinator('TRANSACTION', this.transactionalId);
  }

  #transactionCoordinator(): Promise<Broker> {
    return this.cluster.getCoordinator('TRANSACTION', this.transactionalId);
  }
}
