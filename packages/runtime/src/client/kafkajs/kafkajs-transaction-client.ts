import { createRequire } from 'node:module';
import type { Cluster } from 'kafkajs';
import { ClientError } from '../../errors/client-error.ts';
import type { ProducerIdentity } from '../producer-identity.ts';
import { TXN_OFFSET_COMMIT_API_KEY, TXN_OFFSET_COMMIT_VERSION, decodeTxnOffsetCommitResponse } from '../record-batch/txn-offset-commit-request.ts';
import type { TopicPartitions, TransactionClient } from '../transaction-client.ts';
import { errorTypeOf, toClientError } from './kafkajs-errors.ts';

/** kafkajs's protocol errors by code (KafkaJSProtocolError: type, retriable), as its own requests raise them. */
const { createErrorFromCode } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as {
  createErrorFromCode(code: number): Error & { readonly type: string; readonly retriable: boolean };
};

/** FindCoordinator's key type for a transactional id (kafkajs/src/protocol/coordinatorTypes.js). */
const TRANSACTION_COORDINATOR = 1;

/** What of kafkajs's Broker (src/broker/index.js) the coordinator requests use beyond its public type. */
interface KafkajsTxnBroker {
  readonly versions: Readonly<Record<number, { readonly minVersion: number; readonly maxVersion: number }>> | null;
  readonly connectionPool: { send(request: unknown): Promise<unknown> };
  initProducerId(request: { transactionalId: string; transactionTimeout: number }): Promise<{ producerId: string; producerEpoch: number }>;
  addPartitionsToTxn(request: { transactionalId: string; producerId: string; producerEpoch: number; topics: readonly TopicPartitions[] }): Promise<unknown>;
  addOffsetsToTxn(request: { transactionalId: string; producerId: string; producerEpoch: number; groupId: string }): Promise<unknown>;
  endTxn(request: { transactionalId: string; producerId: string; producerEpoch: number; transactionResult: boolean }): Promise<unknown>;
}

/**
 * The transaction requests over kafkajs's connections, each sent once (TransactionCoordinator retries them): the
 * transaction coordinator's InitProducerId with the transactional id, AddPartitionsToTxn, AddOffsetsToTxn and EndTxn —
 * kafkajs encodes those, versions 0–1, which Kafka 4.x still takes — and the group coordinator's TxnOffsetCommit, which
 * we encode at version 3: kafkajs has only 0–1, without the group's generation and member id (KIP-447). Coordinators
 * found are kept until a retriable failure forgets them.
 */
export class KafkajsTransactionClient implements TransactionClient {
  #coordinator: KafkajsTxnBroker | undefined;
  readonly #groupCoordinators = new Map<string, KafkajsTxnBroker>();

  constructor(
    private readonly cluster: Cluster,
    readonly transactionalId: string,
    readonly transactionTimeoutMs: number,
  ) {}

  async initProducerId(): Promise<ProducerIdentity> {
    const broker = await this.#transactionCoordinator();
    const answer = await broker.initProducerId({ transactionalId: this.transactionalId, transactionTimeout: this.transactionTimeoutMs });
    return { producerId: BigInt(answer.producerId), producerEpoch: answer.producerEpoch };
  }

  async addPartitionsToTxn(id: ProducerIdentity, topics: readonly TopicPartitions[]): Promise<void> {
    const broker = await this.#transactionCoordinator();
    await broker.addPartitionsToTxn({ transactionalId: this.transactionalId, producerId: String(id.producerId), producerEpoch: id.producerEpoch, topics });
  }

  async addOffsetsToTxn(id: ProducerIdentity, groupId: string): Promise<void> {
    const broker = await this.#transactionCoordinator();
    await broker.addOffsetsToTxn({ transactionalId: this.transactionalId, producerId: String(id.producerId), producerEpoch: id.producerEpoch, groupId });
  }

  async txnOffsetCommit(groupId: string, body: Buffer): Promise<void> {
    const broker = await this.#groupCoordinator(groupId);
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
  }

  async endTxn(id: ProducerIdentity, commit: boolean): Promise<void> {
    const broker = await this.#transactionCoordinator();
    await broker.endTxn({ transactionalId: this.transactionalId, producerId: String(id.producerId), producerEpoch: id.producerEpoch, transactionResult: commit });
  }

  errorType(error: unknown): string | undefined {
    return errorTypeOf(error);
  }

  toClientError(error: unknown, what: string): ClientError {
    return toClientError(error, what);
  }

  coordinatorNotFound(error: unknown): boolean {
    return (error as { name?: string } | null)?.name === 'KafkaJSGroupCoordinatorNotFound';
  }

  async forgetCoordinators(error: unknown, type: string | undefined): Promise<void> {
    this.#coordinator = undefined;
    this.#groupCoordinators.clear();
    // kafkajs finds a coordinator's broker in its metadata: fetched again when the coordinator moved, or when no broker
    // answered (it may have left the cluster).
    if (type === 'NOT_COORDINATOR' || (error as { name?: string } | null)?.name !== 'KafkaJSProtocolError') await this.cluster.refreshMetadata().catch(() => undefined);
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
}
