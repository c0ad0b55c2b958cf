import { ClientError } from '../errors/client-error.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';
import type { ConsumerGroupMetadata } from './consumer-group-metadata.ts';
import type { ProducerIdentity } from './producer-identity.ts';
import { encodeTxnOffsetCommitRequest } from './record-batch/txn-offset-commit-request.ts';
import type { TopicPartitions, TransactionClient } from './transaction-client.ts';
import { RETRIABLE_TRANSACTION_ERRORS, transactionFailure } from './transaction-failure.ts';

const FIRST_BACKOFF_MS = 20;
const MAX_BACKOFF_MS = 500;

/**
 * The transaction requests of a transactional producer (Kafka's TransactionManager), for either adapter: InitProducerId
 * with the transactional id, AddPartitionsToTxn, AddOffsetsToTxn and EndTxn to the transaction coordinator, and
 * TxnOffsetCommit v3 — our encoder, with the member's generation and id (KIP-447) — to the group coordinator. The
 * adapter's TransactionClient sends each once and reads its client's errors.
 *
 * Each request is retried while the coordinator is loading, moving (looked up again) or finishing the previous
 * transaction, for at most `retryMs`; then it fails naming the cause and the fix (transaction-failure.ts). Fenced
 * epochs reject with 'fenced', offsets refused for the generation with 'rebalanced', anything else with 'fatal'.
 */
export class TransactionCoordinator {
  constructor(
    private readonly client: TransactionClient,
    private readonly retryMs: number,
  ) {}

  /**
   * InitProducerId for the transactional id: a new epoch, which fences any other producer with the id, and aborts
   * the transaction a previous one left open (a crashed instance of this process) before it answers.
   */
  initProducerId(): Promise<ProducerIdentity> {
    const what = 'Initialising transactions (InitProducerId)';
    return this.#retrying(what, () => this.client.initProducerId(what));
  }

  /** AddPartitionsToTxn: the partitions join the open transaction (the broker refuses a transactional write to others). */
  async addPartitions(id: ProducerIdentity, partitions: readonly TopicPartition[]): Promise<void> {
    const what = `Adding ${partitions.length} partitions to the transaction (AddPartitionsToTxn)`;
    const topics = partitionsByTopic(partitions);
    await this.#retrying(what, () => this.client.addPartitionsToTxn(id, topics, what));
  }

  /**
   * The group's offsets join the transaction (Kafka's sendOffsetsToTransaction): AddOffsetsToTxn to the transaction
   * coordinator, then TxnOffsetCommit v3 with the member's generation to the group coordinator.
   */
  async sendOffsets(id: ProducerIdentity, group: ConsumerGroupMetadata, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const adding = `Adding the offsets of group ${group.groupId} to the transaction (AddOffsetsToTxn)`;
    await this.#retrying(adding, () => this.client.addOffsetsToTxn(id, group.groupId, adding));
    const body = encodeTxnOffsetCommitRequest(this.client.transactionalId, id.producerId, id.producerEpoch, group, offsets);
    const committing = `Committing the offsets of group ${group.groupId} (generation ${group.generationId}) in the transaction (TxnOffsetCommit)`;
    await this.#retrying(committing, () => this.client.txnOffsetCommit(group.groupId, body, committing));
  }

  /** EndTxn: commits (or aborts) the open transaction; its markers are written before the coordinator answers the next request. */
  async endTransaction(id: ProducerIdentity, commit: boolean): Promise<void> {
    const what = `${commit ? 'Committing' : 'Aborting'} the transaction (EndTxn)`;
    await this.#retrying(what, () => this.client.endTxn(id, commit, what));
  }

  /** The request until it succeeds, fails for good, or fails retriably past `retryMs`. */
  async #retrying<T>(what: string, attempt: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retryMs;
    let backoff = FIRST_BACKOFF_MS;
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        if (error instanceof ClientError) throw error;
        const type = this.client.errorType(error);
        const said = this.client.toClientError(error, what);
        // An error the broker answered is retriable by its name; one without an answer when no broker answered.
        const retriable = type !== undefined ? RETRIABLE_TRANSACTION_ERRORS.has(type) : said.reason === 'unreachable';
        if (retriable && Date.now() + backoff < deadline) {
          // The coordinator may have moved (or its connection broke): looked up again. Not while it finishes the
          // previous transaction (CONCURRENT_TRANSACTIONS): it is still the coordinator.
          if (type !== 'CONCURRENT_TRANSACTIONS') await this.client.forgetCoordinators(error, type);
          await new Promise((resolve) => setTimeout(resolve, backoff));
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          continue;
        }
        const coordinatorMissing = type === 'COORDINATOR_NOT_AVAILABLE' || this.client.coordinatorNotFound(error);
        throw transactionFailure({ said, error, type, timedOut: retriable, coordinatorMissing }, this.client.transactionalId, this.client.transactionTimeoutMs, this.retryMs);
      }
    }
  }
}

/** Partitions grouped by topic, as AddPartitionsToTxn takes them. */
function partitionsByTopic(partitions: readonly TopicPartition[]): TopicPartitions[] {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    let ps = byTopic.get(topic);
    if (ps === undefined) byTopic.set(topic, (ps = []));
    ps.push(partition);
  }
  return [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps }));
}
