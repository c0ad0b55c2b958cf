import { ClientError } from '../errors/client-error.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';
import type { ConsumerGroupMetadata } from './consumer-group-metadata.ts';
import type { ProducerTransactions } from './kafka-producer.ts';
import type { ProducerIdentity } from './producer-identity.ts';
import type { TransactionCoordinator } from './transaction-coordinator.ts';

/** How long an abort waits for requests of the aborted transaction still in flight (their answers no longer matter). */
const ABORT_DRAIN_MS = 5_000;

/** What of an adapter's transactional producer — its sends and its write loop — the transaction drives. */
export interface TransactionalWrites {
  /** The producer was closed: a commit is refused, an abort does nothing. */
  closed(): boolean;
  /** Resolves once every send made so far has settled. */
  flush(): Promise<void>;
  /** Why the producer stopped writing, if it did (a send it could not write, the transaction failed): a commit fails with it. */
  failure(): ClientError | undefined;
  /** Connects, if it has not (the first connect gets the producer id: ProducerTransaction#initialise). */
  connect(): Promise<void>;
  /** An abort begins: nothing is written until resume(), and every send not acknowledged rejects with `aborted`. */
  stop(aborted: ClientError): void;
  /** Whether a write of the aborted transaction is still in flight (the abort waits for it, briefly). */
  writing(): boolean;
  /** The partitions start over for the new epoch (its sequences start at 0), and the producer's failure is forgotten. */
  startOver(): Promise<void> | void;
  /** A new epoch (InitProducerId answered): its batches carry it, and writing resumes. */
  resume(identity: ProducerIdentity): void;
  /** The transaction cannot go on (fenced, or the coordinator gone past the retries): every send fails with `error`, and so does the commit. */
  fail(error: ClientError): void;
  /** AddPartitionsToTxn ended: the write loop looks again (the partitions added can be written to). */
  wake(): void;
}

/**
 * The transaction of a transactional producer (exactly-once, Kafka's TransactionManager), for either adapter's
 * producer: the producer id and epoch, which partitions are in the open transaction, commit and abort. The requests
 * are TransactionCoordinator's; the producer's writes are the adapter's (TransactionalWrites).
 *
 * - A partition's first batch of a transaction waits until AddPartitionsToTxn added the partition (`add`; the write
 *   loop writes to a partition only once `includes` says so): one request for every partition waiting, those that
 *   come meanwhile in the next one. An answer of an epoch an abort ended adds nothing and fails nothing.
 * - `commit` waits for every send (a failed one fails the commit: nothing of the transaction may be committed without
 *   it), adds the input offsets with the group's generation (AddOffsetsToTxn, then TxnOffsetCommit v3) and ends the
 *   transaction (EndTxn) — when anything was written or offsets are given.
 * - `abort` fails what is not yet written, waits (briefly: the new epoch fences it anyway) for what is in flight, and
 *   starts a new epoch: InitProducerId again, before whose answer the coordinator aborts the open transaction, so
 *   read_committed consumers never see its records. Also after a fence or a failed commit: the producer is usable again.
 */
export class ProducerTransaction<P extends TopicPartition> implements ProducerTransactions {
  /** Partitions added to the open transaction (AddPartitionsToTxn answered). */
  readonly #inTxn = new Set<P>();
  /** Partitions with records to write that wait for AddPartitionsToTxn. */
  readonly #toAdd = new Set<P>();
  /** The AddPartitionsToTxn under way, and its partitions. */
  #adding: Promise<void> | undefined;
  readonly #addingNow = new Set<P>();
  /** The producer id and epoch of the last InitProducerId: a new object for each (an answer of an earlier one is stale). */
  #identity: ProducerIdentity | undefined;
  #aborting = false;

  constructor(
    private readonly coordinator: TransactionCoordinator,
    private readonly writes: TransactionalWrites,
  ) {}

  /** An abort is under way: nothing is written until its new epoch. */
  get aborting(): boolean {
    return this.#aborting;
  }

  /**
   * InitProducerId for the producer's connect: a new epoch, which fences any other producer with the transactional id,
   * and aborts the transaction a previous one left open (a crashed instance of this process) before it answers.
   */
  async initialise(): Promise<ProducerIdentity> {
    const identity = await this.coordinator.initProducerId();
    this.#identity = identity;
    return identity;
  }

  /** A transaction opens with its first write (AddPartitionsToTxn) or offsets: nothing to do before. */
  begin(): void {}

  /** Whether the partition is in the open transaction: its batches may be written. */
  includes(p: P): boolean {
    return this.#inTxn.has(p);
  }

  /** Asks for the partition to join the open transaction (one AddPartitionsToTxn for all that wait meanwhile). */
  add(p: P): void {
    if (this.#addingNow.has(p)) return;
    this.#toAdd.add(p);
    if (this.#adding === undefined) this.#addWaitingPartitions();
  }

  /** One AddPartitionsToTxn for every partition waiting; those that come meanwhile go in the next one. */
  #addWaitingPartitions(): void {
    const partitions = [...this.#toAdd];
    this.#toAdd.clear();
    for (const p of partitions) this.#addingNow.add(p);
    const id = this.#identity!;
    // Not if an abort started meanwhile (an abort waits for this only so long): these partitions, and their failure,
    // are of the transaction it aborted.
    const current = () => id === this.#identity && !this.#aborting;
    this.#adding = this.coordinator.addPartitions(id, partitions).then(
      () => {
        if (current()) for (const p of partitions) this.#inTxn.add(p);
      },
      (error: unknown) => {
        // The transaction cannot go on (fenced, or the coordinator gone past the retries): every send fails with it,
        // and so does the commit; the runtime aborts.
        if (current()) this.writes.fail(asClientError(error, `Adding ${partitions.map((p) => `${p.topic}-${p.partition}`).join(', ')} to the transaction`));
      },
    ).finally(() => {
      this.#adding = undefined;
      for (const p of partitions) this.#addingNow.delete(p);
      if (this.#toAdd.size > 0 && this.writes.failure() === undefined && !this.#aborting) this.#addWaitingPartitions();
      this.writes.wake();
    });
  }

  /**
   * Commits the open transaction with the input offsets: every send settled first (a failed one fails the commit:
   * nothing of the transaction may be committed without it), then the offsets with the group's generation, then EndTxn.
   */
  async commit(group: ConsumerGroupMetadata, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (this.writes.closed()) throw new ClientError('commit() on a closed producer', 'fatal');
    await this.writes.flush();
    const failure = this.writes.failure();
    if (failure !== undefined) throw failure;
    await this.writes.connect();
    const id = this.#identity!;
    const written = this.#inTxn.size > 0;
    if (offsets.length > 0) await this.coordinator.sendOffsets(id, group, offsets);
    if (written || offsets.length > 0) await this.coordinator.endTransaction(id, true);
    this.#inTxn.clear();
  }

  /**
   * Aborts the open transaction: every send not settled rejects, what is in flight is waited for (briefly: the new
   * epoch fences it anyway), the partitions start over (a new epoch starts every sequence at 0), and InitProducerId
   * gives a new epoch — the coordinator aborts the open transaction before it answers, so read_committed consumers never
   * see its records. Also after a fence or a failed commit: the producer is usable again.
   */
  async abort(): Promise<void> {
    if (this.writes.closed()) return;
    this.#aborting = true;
    try {
      this.writes.stop(new ClientError('The transaction was aborted before these records were acknowledged: they are not committed', 'fenced'));
      const until = Date.now() + ABORT_DRAIN_MS;
      while ((this.#adding !== undefined || this.writes.writing()) && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      this.#inTxn.clear();
      this.#toAdd.clear();
      await this.writes.startOver();
      const identity = await this.coordinator.initProducerId();
      this.#identity = identity;
      this.writes.resume(identity);
    } finally {
      this.#aborting = false;
    }
  }
}

/** TransactionCoordinator rejects with ClientErrors; anything else (a bug) as one saying what failed. */
function asClientError(error: unknown, what: string): ClientError {
  return error instanceof ClientError ? error : new ClientError(`${what} failed (fatal): ${String(error)}`, 'fatal', { cause: error });
}
