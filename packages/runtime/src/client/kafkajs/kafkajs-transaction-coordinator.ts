import { createRequire } from 'node:module';
import type { Cluster } from 'kafkajs';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { ConsumerGroupMetadata } from '../consumer-group-metadata.ts';
import {
  TXN_OFFSET_COMMIT_API_KEY, TXN_OFFSET_COMMIT_VERSION, decodeTxnOffsetCommitResponse, encodeTxnOffsetCommitRequest,
} from '../record-batch/txn-offset-commit-request.ts';
import { errorTypeOf, toClientError } from './kafkajs-errors.ts';
import { RETRIABLE_TRANSACTION_ERRORS, partitionsByTopic, transactionFailure } from '../transaction-failure.ts';

/** kafkajs's protocol errors by code (KafkaJSProtocolError: type, retriable), as its own requests raise them. */
const { createErrorFromCode } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as {
  createErrorFromCode(code: number): Error & { readonly type: string; readonly retriable: boolean };
};

/** FindCoordinator's key type for a transactional id (kafkajs/src/protocol/coordinatorTypes.js). */
const TRANSACTION_COORDINATOR = 1;
const FIRST_BACKOFF_MS = 20;
const MAX_BACKOFF_MS = 500;

/** What of kafkajs's Broker (src/broker/index.js) the coordinator requests use beyond its public type. */
interface KafkajsTxnBroker {
  readonly versions: Readonly<Record<number, { readonly minVersion: number; readonly maxVersion: number }>> | null;
  readonly connectionPool: { send(request: unknown): Promise<unknown> };
  initProducerId(request: { transactionalId: string; transactionTimeout: number }): Promise<{ producerId: string; producerEpoch: number }>;
  addPartitionsToTxn(request: { transactionalId: string; producerId: string; producerEpoch: number; topics: { topic: string; partitions: number[] }[] }): Promise<unknown>;
  addOffsetsToTxn(request: { transactionalId: string; producerId: string; producerEpoch: number; groupId: string }): Promise<unknown>;
  endTxn(request: { transactionalId: string; producerId: string; producerEpoch: number; transactionResult: boolean }): Promise<unknown>;
}

/** A producer id and epoch, as InitProducerId gives them. */
export interface ProducerIdentity {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/**
 * The transaction requests of a transactional producer over kafkajs's connections (Kafka's TransactionManager): the
 * transaction coordinator's (InitProducerId with the transactional id, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn —
 * kafkajs encodes those, versions 0–1, which Kafka 4.x still takes) and the group coordinator's TxnOffsetCommit,
 * which we encode at version 3: kafkajs has only 0–1, without the group's generation and member id (KIP-447).
 *
 * Each request is retried while the coordinator is loading, moving (looked up again) or finishing the previous
 * transaction, for at most `retryMs`; then it fails naming the cause and the fix. Fenced epochs reject with 'fenced',
 * offsets refused for the generation with 'rebalanced', anything else with 'fatal'.
 */
export class KafkajsTransactionCoordinator {
  #coordinator: KafkajsTxnBroker | undefined;
  readonly #groupCoordinators = new Map<string, KafkajsTxnBroker>();

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
    const answer = await this.#retrying('Initialising transactions (InitProducerId)', async () => {
      const broker = await this.#transactionCoordinator();
      return broker.initProducerId({ transactionalId: this.transactionalId, transactionTimeout: this.transactionTimeoutMs });
    });
    return { producerId: BigInt(answer.producerId), producerEpoch: answer.producerEpoch };
  }

  /** AddPartitionsToTxn: the partitions join the open transaction (the broker refuses a transactional write to others). */
  async addPartitions(id: ProducerIdentity, partitions: readonly TopicPartition[]): Promise<void> {
    const topics = partitionsByTopic(partitions);
    await this.#retrying(`Adding ${partitions.length} partitions to the transaction (AddPartitionsToTxn)`, async () => {
      const broker = await this.#transactionCoordinator();
      await broker.addPartitionsToTxn({ transactionalId: this.transactionalId, producerId: String(id.producerId), producerEpoch: id.producerEpoch, topics });
    });
  }

  /**
   * The group's offsets join the transaction (Kafka's sendOffsetsToTransaction): AddOffsetsToTxn to the transaction
   * coordinator, then TxnOffsetCommit v3 with the member's generation to the group coordinator.
   */
  async sendOffsets(id: ProducerIdentity, group: ConsumerGroupMetadata, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    await this.#retrying(`Adding the offsets of group ${group.groupId} to the transaction (AddOffsetsToTxn)`, async () => {
      const broker = await this.#transactionCoordinator();
      await broker.addOffsetsToTxn({ transactionalId: this.transactionalId, producerId: String(id.producerId), producerEpoch: id.producerEpoch, groupId: group.groupId });
    });
    const body = encodeTxnOffsetCommitRequest(this.transactionalId, id.producerId, id.producerEpoch, group, offsets);
    await this.#retrying(`Committing the offsets of group ${group.groupId} (generation ${group.generationId}) in the transaction (TxnOffsetCommit)`, async () => {
      const broker = await this.#groupCoordinator(group.groupId);
      const supported = broker.versions?.[TXN_OFFSET_COMMIT_API_KEY];
      if (supported !== undefined && supported.maxVersion < TXN_OFFSET_COMMIT_VERSION) {
        throw new ClientError(
          `The group coordinator accepts TxnOffsetCommit up to version ${supported.maxVersion}; exactly-once needs version 3 (Kafka 2.5 or later, KIP-447): upgrade the brokers or run with processingGuarantee 'at_least_once'`,
          'fatal',
        );
      }
      const answer = (await broker.connectionPool.send({
        request: {
          apiKey: TXN_OFFSET_COMMIT_API_KEY,
          apiVersion: TXN_OFFSET_COMMIT_VERSION,
          apiName: 'TxnOffsetCommit',
          expectResponse: () => true,
          encode: async () => ({ buf: body, buffer: body }),
        },
        response: {
          decode: async (payload: Buffer) => decodeTxnOffsetCommitResponse(payload),
          parse: async (decoded: unknown) => decoded,
        },
      })) as ReturnType<typeof decodeTxnOffsetCommitResponse>;
      const failed = answer.partitions.find((p) => p.errorCode !== 0);
      if (failed !== undefined) throw createErrorFromCode(failed.errorCode);
    });
  }

  /** EndTxn: commits (or aborts) the open transaction; its markers are written before the coordinator answers the next request. */
  async endTransaction(id: ProducerIdentity, commit: boolean): Promise<void> {
    await this.#retrying(`${commit ? 'Committing' : 'Aborting'} the transaction (EndTxn)`, async () => {
      const broker = await this.#transactionCoordinator();
      await broker.endTxn({ transactionalId: this.transactionalId, producerId: String(id.producerId), producerEpoch: id.producerEpoch, transactionResult: commit });
    });
  }

  async #transactionCoordinator(): Promise<KafkajsTxnBroker> {
    this.#coordinator ??= (await this.cluster.findGroupCoordinator({ groupId: this.transactionalId, coordinatorType: TRANSACTION_COORDINATOR } as never)) as unknown as KafkajsTxnBroker;
    return this.#coordinator;
  }

  async #groupCoordinator(groupId: string): Promise<KafkajsTxnBroker> {
    let broker = this.#groupCoordinators.get(groupId);
    if (broker === undefined) {
      broker = (await this.cluster.findGroupCoordinator({ groupId })) as unknown as KafkajsTxnBroker;
      this.#groupCoordinators.set(groupId, broker);
    }
    return broker;
  }

  async #retrying<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retryMs;
    let backoff = FIRST_BACKOFF_MS;
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        if (error instanceof ClientError) throw error;
        const type = errorTypeOf(error);
        const name = (error as { name?: string } | null)?.name;
        const retriable = (type !== undefined && RETRIABLE_TRANSACTION_ERRORS.has(type)) || (type === undefined && toClientError(error, what).reason === 'unreachable');
        if (retriable && Date.now() + backoff < deadline) {
          // The coordinator may have moved (or its connection broke): looked up again.
          if (type !== 'CONCURRENT_TRANSACTIONS') {
            this.#coordinator = undefined;
            this.#groupCoordinators.clear();
            if (type === 'NOT_COORDINATOR' || name !== 'KafkaJSProtocolError') await this.cluster.refreshMetadata().catch(() => undefined);
          }
          await new Promise((resolve) => setTimeout(resolve, backoff));
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          continue;
        }
        throw this.#failure(what, error, type, retriable);
      }
    }
  }

  /** The failure as a ClientError that names the cause and the fix. */
  #failure(what: string, error: unknown, type: string | undefined, timedOut: boolean): ClientError {
    const coordinatorMissing = type === 'COORDINATOR_NOT_AVAILABLE' || (error as { name?: string } | null)?.name === 'KafkaJSGroupCoordinatorNotFound';
    return transactionFailure({ said: toClientError(error, what), error, type, timedOut, coordinatorMissing }, this.transactionalId, this.transactionTimeoutMs, this.retryMs);
  }
}
