import { ErrorCode, getErrorName, type Broker, type Cluster } from '@kafkats/client';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { ConsumerGroupMetadata } from '../consumer-group-metadata.ts';
import { encodeTxnOffsetCommitRequest } from '../record-batch/txn-offset-commit-request.ts';
import { RETRIABLE_TRANSACTION_ERRORS, partitionsByTopic, transactionFailure } from '../transaction-failure.ts';
import { errorCodeOf, reasonOf, toClientError } from './kafkats-errors.ts';
import { addPartitionsToTxn, txnOffsetCommit } from './kafkats-raw-requests.ts';

const FIRST_BACKOFF_MS = 20;
const MAX_BACKOFF_MS = 500;

/** A producer id and epoch, as InitProducerId gives them. */
export interface ProducerIdentity {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/** An error code a response carried, thrown inside an attempt (classified by its name below). */
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
 * The transaction requests of a transactional producer over @kafkats/client's connections (Kafka's
 * TransactionManager), as KafkajsTransactionCoordinator does them on kafkajs: InitProducerId with the transactional
 * id, AddOffsetsToTxn and EndTxn through its Broker (the versions it picks: ≤ 3, all still taken by Kafka 4.x);
 * AddPartitionsToTxn raw at v3 (its Broker would pick v4, for brokers only) and TxnOffsetCommit raw at v3 with our
 * encoder (kafkats-raw-requests.ts).
 *
 * Each request is retried while the coordinator is loading, moving (looked up again) or finishing the previous
 * transaction, for at most `retryMs`; then it fails naming the cause and the fix (transaction-failure.ts). Fenced
 * epochs reject with 'fenced', offsets refused for the generation with 'rebalanced', anything else with 'fatal'.
 */
export class KafkatsTransactionCoordinator {
  constructor(
    private readonly cluster: Cluster,
    readonly transactionalId: string,
    private readonly transactionTimeoutMs: number,
    private readonly retryMs: number,
  ) {}

  /**
   * InitProducerId for the transactional id: a new epoch, which fences any other producer with the id, and aborts
   * the transaction a previous one left open (a crashed instance of this process) before it answers.
   */
  async initProducerId(): Promise<ProducerIdentity> {
    const what = 'Initialising transactions (InitProducerId)';
    return this.#retrying(what, async () => {
      const broker = await this.#transactionCoordinator();
      const answer = await broker.initProducerId({ transactionalId: this.transactionalId, transactionTimeoutMs: this.transactionTimeoutMs, producerId: -1n, producerEpoch: -1 });
      if (answer.errorCode !== ErrorCode.None) throw new AnsweredError(answer.errorCode, what);
      return { producerId: answer.producerId, producerEpoch: answer.producerEpoch };
    });
  }

  /** AddPartitionsToTxn: the partitions join the open transaction (the broker refuses a transactional write to others). */
  async addPartitions(id: ProducerIdentity, partitions: readonly TopicPartition[]): Promise<void> {
    const what = `Adding ${partitions.length} partitions to the transaction (AddPartitionsToTxn)`;
    const topics = partitionsByTopic(partitions);
    await this.#retrying(what, async () => {
      const broker = await this.#transactionCoordinator();
      const answers = await addPartitionsToTxn(broker, this.transactionalId, id.producerId, id.producerEpoch, topics);
      // OPERATION_NOT_ATTEMPTED: the partition was fine, another one of the request failed (that one's code decides).
      const failed = answers.find((a) => a.errorCode !== ErrorCode.None && a.errorCode !== ErrorCode.OperationNotAttempted) ?? answers.find((a) => a.errorCode !== ErrorCode.None);
      if (failed !== undefined) throw new AnsweredError(failed.errorCode, `${what} (${failed.topic}-${failed.partition})`);
    });
  }

  /**
   * The group's offsets join the transaction (Kafka's sendOffsetsToTransaction): AddOffsetsToTxn to the transaction
   * coordinator, then TxnOffsetCommit v3 with the member's generation to the group coordinator.
   */
  async sendOffsets(id: ProducerIdentity, group: ConsumerGroupMetadata, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const adding = `Adding the offsets of group ${group.groupId} to the transaction (AddOffsetsToTxn)`;
    await this.#retrying(adding, async () => {
      const broker = await this.#transactionCoordinator();
      const answer = await broker.addOffsetsToTxn({ transactionalId: this.transactionalId, producerId: id.producerId, producerEpoch: id.producerEpoch, groupId: group.groupId });
      if (answer.errorCode !== ErrorCode.None) throw new AnsweredError(answer.errorCode, adding);
    });
    const body = encodeTxnOffsetCommitRequest(this.transactionalId, id.producerId, id.producerEpoch, group, offsets);
    const committing = `Committing the offsets of group ${group.groupId} (generation ${group.generationId}) in the transaction (TxnOffsetCommit)`;
    await this.#retrying(committing, async () => {
      let broker: Broker;
      try {
        broker = await this.cluster.getCoordinator('GROUP', group.groupId);
      } catch (error) {
        this.cluster.invalidateCoordinator('GROUP', group.groupId);
        throw error;
      }
      const answer = await txnOffsetCommit(broker, body).catch((error: unknown) => {
        this.cluster.invalidateCoordinator('GROUP', group.groupId);
        throw error;
      });
      const failed = answer.partitions.find((p) => p.errorCode !== ErrorCode.None);
      if (failed !== undefined) {
        if (failed.errorCode === ErrorCode.NotCoordinator || failed.errorCode === ErrorCode.CoordinatorNotAvailable) this.cluster.invalidateCoordinator('GROUP', group.groupId);
        throw new AnsweredError(failed.errorCode, `${committing} (${failed.topic}-${failed.partition})`);
      }
    });
  }

  /** EndTxn: commits (or aborts) the open transaction; its markers are written before the coordinator answers the next request. */
  async endTransaction(id: ProducerIdentity, commit: boolean): Promise<void> {
    const what = `${commit ? 'Committing' : 'Aborting'} the transaction (EndTxn)`;
    await this.#retrying(what, async () => {
      const broker = await this.#transactionCoordinator();
      const answer = await broker.endTxn({ transactionalId: this.transactionalId, producerId: id.producerId, producerEpoch: id.producerEpoch, committed: commit });
      if (answer.errorCode !== ErrorCode.None) throw new AnsweredError(answer.errorCode, what);
    });
  }

  #transactionCoordinator(): Promise<Broker> {
    return this.cluster.getCoordinator('TRANSACTION', this.transactionalId);
  }

  async #retrying<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retryMs;
    let backoff = FIRST_BACKOFF_MS;
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        if (error instanceof ClientError) throw error;
        const code = errorCodeOf(error);
        const type = code === undefined ? undefined : kafkaErrorName(code);
        const retriable = type !== undefined ? RETRIABLE_TRANSACTION_ERRORS.has(type) : reasonOf(error) === 'unreachable';
        if (retriable && Date.now() + backoff < deadline) {
          // The coordinator may have moved (or its connection broke): looked up again.
          if (type !== 'CONCURRENT_TRANSACTIONS') this.cluster.invalidateCoordinator('TRANSACTION', this.transactionalId);
          await new Promise((resolve) => setTimeout(resolve, backoff));
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          continue;
        }
        const coordinatorMissing = type === 'COORDINATOR_NOT_AVAILABLE' || (error as { name?: string } | null)?.name === 'CoordinatorNotAvailableError';
        throw transactionFailure({ said: toClientError(error, what), error, type, timedOut: retriable, coordinatorMissing }, this.transactionalId, this.transactionTimeoutMs, this.retryMs);
      }
    }
  }
}
