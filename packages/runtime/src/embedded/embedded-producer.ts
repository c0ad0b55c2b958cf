import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';
import type { KafkaProducer, ProducerOptions, ProducerRecord, ProducerTransactions } from '../client/kafka-producer.ts';
import { ClientError } from '../errors/client-error.ts';
import type { EmbeddedLog } from './embedded-log.ts';
import type { LogTransaction } from './log-transaction.ts';

/**
 * The producer on the embedded log.
 *
 * - **Without a transactionalId** (the CLI's produce, a generator): every send is staged at once (its offsets are
 *   known then) and the sends made in one turn of the event loop are written together, in one atomic, synced write
 *   (group commit); each resolves once that write is done.
 * - **With a transactionalId** (the application, exactly-once): sends are staged in the producer's open
 *   transaction and resolve at once with their offsets — nothing is visible to any reader yet, as under Kafka's
 *   read_committed. `transactions.commit(groupId, offsets)` writes the staged records and the group's input offsets
 *   in one RocksDB write: the application's outputs, changelog records and positions move together, or, after a
 *   crash, not at all. A second producer with the id is refused while this one is open (EmbeddedLog#initTransactions);
 *   closing aborts what is open and frees the id.
 */
export class EmbeddedProducer implements KafkaProducer {
  readonly transactions?: ProducerTransactions;
  private readonly epoch: number | undefined;
  /** The group commit being gathered (non-transactional sends of this turn of the event loop). */
  private pending: { tx: LogTransaction; written: Promise<void> } | undefined;
  private closed = false;

  constructor(
    private readonly log: EmbeddedLog,
    private readonly options: ProducerOptions,
  ) {
    const id = options.transactionalId;
    if (id !== undefined) {
      const epoch = (this.epoch = log.initTransactions(id));
      this.transactions = {
        begin: () => {
          this.check();
          log.transactionOf(id, epoch);
        },
        commit: async ({ groupId }, offsets) => {
          this.check();
          const tx = offsets.length > 0 ? log.transactionOf(id, epoch) : log.openTransactionOf(id, epoch);
          tx?.commit({ groupId, offsets });
        },
        abort: async () => {
          this.check();
          log.openTransactionOf(id, epoch)?.abort();
        },
      };
    }
  }

  async connect(): Promise<void> {
    this.check();
  }

  send(records: readonly ProducerRecord[]): Promise<readonly TopicPartitionOffset[]> {
    try {
      this.check();
      const id = this.options.transactionalId;
      if (id !== undefined) return Promise.resolve(this.log.transactionOf(id, this.epoch!).append(records));
      const pending = (this.pending ??= this.gather());
      const offsets = pending.tx.append(records);
      return pending.written.then(() => offsets);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** A transaction that collects this turn's sends and commits them at the next turn of the event loop. */
  private gather(): { tx: LogTransaction; written: Promise<void> } {
    const tx = this.log.beginTransaction();
    const written = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        if (this.pending?.tx === tx) this.pending = undefined;
        try {
          tx.commit();
          resolve();
        } catch (e) {
          tx.abort();
          reject(e);
        }
      });
    });
    written.catch(() => undefined); // each send's own promise carries the failure
    return { tx, written };
  }

  async flush(): Promise<void> {
    await this.pending?.written;
  }

  /** Waits for the sends made so far; an open transaction is aborted (as closing a Kafka transactional producer). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush().catch(() => undefined);
    this.closed = true;
    const id = this.options.transactionalId;
    if (id !== undefined && this.log.isOpen) this.log.endTransactions(id, this.epoch!);
  }

  private check(): void {
    if (this.closed) throw new ClientError('This embedded producer is closed.', 'fatal');
  }
}
