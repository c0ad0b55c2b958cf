import type { OutputRecord } from '../io/raw-record.ts';
import type { RecordSink, TransactionBoundary } from '../io/record-sink.ts';
import type { KafkaProducer, ProducerRecord } from '../client/kafka-producer.ts';
import type { ConsumerGroupMetadata } from '../client/consumer-group-metadata.ts';
import { defaultPartition } from '../io/murmur2.ts';
import { StreamsError } from '../errors/streams-error.ts';
import { ClientError } from '../errors/client-error.ts';

export interface ProducerRecordSinkOptions {
  /** Records per send (FACTS.md: 1,000 per kafkajs send was the best shape tried). */
  readonly batchSize?: number;
  /** Sends in flight at once (FACTS.md: 8); more batches wait their turn in order. */
  readonly maxInFlight?: number;
  /** The partition count of each topic written to (sinks' and changelogs'), known at start. */
  readonly partitions: ReadonlyMap<string, number>;
  /**
   * The consumer group (and the member's generation) whose input offsets the transaction commits, asked at each
   * commit: given with a transactional producer (one made with a transactionalId), it makes the sink transactional
   * (`transaction`).
   */
  readonly groupMetadata?: () => ConsumerGroupMetadata;
  /** How long the producer retries a broker that does not answer (the application's taskTimeoutMs), for the error. */
  readonly taskTimeoutMs?: number;
}

/**
 * The at-least-once RecordSink over the client seam's producer (Kafka Streams' RecordCollector): `send` only
 * partitions the record and appends it to the current batch — synchronous, nothing awaited per record; a full batch
 * goes to the producer at once, up to `maxInFlight` sends overlapping processing (FACTS.md: awaiting each send
 * before the next batch is 7× slower), the others queued in order. `flush()` sends the partial batch and resolves
 * once everything sent before it is acknowledged, recording the last acknowledged offset of each partition for the
 * checkpoints. A failed send fails the next send() and every flush: the task stops before its offsets are
 * committed, so at-least-once reprocesses what was lost.
 *
 * Partitioning: a record's own partition (a StreamPartitioner's), else murmur2 of the key bytes as Java's default
 * partitioner (so Java and TypeScript instances agree on a key's partition), else — no key — round robin per topic.
 *
 * Over a transactional producer (`groupId` given) the sink has a `transaction`: its commit sends what is batched,
 * waits for every send, and commits the producer's transaction with the input offsets (outputs, changelog records
 * and offsets together). One such sink serves the process under exactly-once (the embedded log, and Kafka's
 * exactly_once_v2: one transactional producer per process, as Kafka Streams' per stream thread).
 */
export class ProducerRecordSink implements RecordSink {
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private batch: ProducerRecord[] = [];
  private readonly queued: ProducerRecord[][] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly acked = new Map<string, Map<number, number>>();
  private readonly roundRobin = new Map<string, number>();
  private failure: unknown;
  readonly transaction?: TransactionBoundary;
  private acknowledgedRecords = 0;

  constructor(
    private readonly producer: KafkaProducer,
    private readonly options: ProducerRecordSinkOptions,
  ) {
    const tx = producer.transactions;
    const groupMetadata = options.groupMetadata;
    if (groupMetadata !== undefined) {
      if (tx === undefined) throw new StreamsError(`ProducerRecordSink: groupMetadata makes the sink transactional, but its producer was made without a transactionalId.`);
      this.transaction = {
        begin: () => tx.begin(),
        commit: async (offsets) => {
          // Asked first: a member whose generation is known to be over commits nothing (the records stay in the
          // transaction, which the runtime then aborts).
          const group = groupMetadata();
          // A fenced producer or a refused generation fails the commit as the ClientError it is: the runtime aborts
          // and recovers from it (a send it failed is part of the transaction it aborts).
          const migrated = this.migrated();
          if (migrated !== undefined) throw migrated;
          await this.flush().catch((e: unknown) => {
            throw this.migrated() ?? e;
          });
          await tx.commit(group, offsets);
        },
        abort: async () => {
          this.batch = [];
          this.queued.length = 0;
          // The producer's abort fails what it has not sent yet (their sends reject), then aborts: awaited after it.
          const inFlight = [...this.inFlight];
          await tx.abort();
          await Promise.allSettled(inFlight);
          // What failed in the aborted transaction does not fail the next one.
          this.failure = undefined;
        },
      };
    }
    this.batchSize = options.batchSize ?? 1000;
    this.maxInFlight = options.maxInFlight ?? 8;
    if (!(Number.isInteger(this.batchSize) && this.batchSize >= 1)) throw new StreamsError(`ProducerRecordSink batchSize must be an integer >= 1, got ${this.batchSize}.`);
    if (!(Number.isInteger(this.maxInFlight) && this.maxInFlight >= 1)) throw new StreamsError(`ProducerRecordSink maxInFlight must be an integer >= 1, got ${this.maxInFlight}.`);
  }

  send(record: OutputRecord): void {
    if (this.failure !== undefined) {
      // Under a transaction, records sent after the producer was fenced are dropped: the transaction they would join
      // is aborted at the next commit, which fails with the fence (processing must not stop for it).
      if (this.migrated() !== undefined) return;
      throw this.failed();
    }
    let out: ProducerRecord;
    if (record.partition !== undefined) {
      out = record as ProducerRecord;
    } else {
      const n = this.partitionsFor(record.topic);
      if (n === undefined) throw new StreamsError(`Cannot send to topic '${record.topic}': its partition count is not known (the application describes the topics it writes at start; a topic named per record must exist then too).`);
      let partition: number;
      if (record.key !== null) partition = defaultPartition(record.key, n);
      else {
        partition = ((this.roundRobin.get(record.topic) ?? -1) + 1) % n;
        this.roundRobin.set(record.topic, partition);
      }
      out = { topic: record.topic, partition, key: record.key, value: record.value, timestamp: record.timestamp, headers: record.headers };
    }
    this.batch.push(out);
    if (this.batch.length >= this.batchSize) this.dispatch();
  }

  partitionsFor(topic: string): number | undefined {
    return this.options.partitions.get(topic);
  }

  acknowledgedOffset(topic: string, partition: number): number | undefined {
    return this.acked.get(topic)?.get(partition);
  }

  /** Records sent but not yet acknowledged (in the batch, queued or in flight), for metrics. */
  get pending(): number {
    let n = this.batch.length;
    for (const b of this.queued) n += b.length;
    return n + this.inFlight.size * this.batchSize;
  }

  /** Records the producer acknowledged so far (outputs, changelog and repartition records), for metrics. */
  get acknowledged(): number {
    return this.acknowledgedRecords;
  }

  /**
   * Backpressure between rounds (Kafka's producer blocks a send once buffer.memory is full; ours never blocks a
   * record): undefined while at most `limit` records are unacknowledged, else a promise that resolves once sends
   * completed down to `limit` (or failed: the failure surfaces at the next send or flush). The round loop awaits it
   * before it polls again, so processing never runs further ahead of the broker than that.
   */
  backlog(limit: number): Promise<void> | undefined {
    if (this.pending <= limit || this.inFlight.size === 0) return undefined;
    return (async () => {
      while (this.pending > limit && this.inFlight.size > 0 && this.failure === undefined) await Promise.race(this.inFlight);
    })();
  }

  async flush(): Promise<void> {
    if (this.batch.length > 0) this.dispatch();
    while (this.inFlight.size > 0) {
      await Promise.all(this.inFlight);
    }
    if (this.failure !== undefined) throw this.failed();
  }

  private dispatch(): void {
    const batch = this.batch;
    this.batch = [];
    if (this.inFlight.size >= this.maxInFlight) this.queued.push(batch);
    else this.start(batch);
  }

  private start(batch: ProducerRecord[]): void {
    const p: Promise<void> = this.producer.send(batch).then(
      (offsets) => {
        this.acknowledgedRecords += batch.length;
        for (const { topic, partition, offset } of offsets) {
          let m = this.acked.get(topic);
          if (m === undefined) this.acked.set(topic, (m = new Map()));
          if (offset > (m.get(partition) ?? -1)) m.set(partition, offset);
        }
      },
      (e: unknown) => {
        this.failure ??= e;
      },
    ).finally(() => {
      this.inFlight.delete(p);
      const next = this.queued.shift();
      if (next !== undefined) {
        // After a failure nothing more is sent: the task stops and reprocesses from its committed offsets.
        if (this.failure === undefined) this.start(next);
        else this.queued.length = 0;
      }
    });
    this.inFlight.add(p);
  }

  /** Under a transaction: the failure when it is one the runtime recovers from by aborting (fenced, rebalanced). */
  private migrated(): ClientError | undefined {
    const e = this.failure;
    return this.transaction !== undefined && e instanceof ClientError && (e.reason === 'fenced' || e.reason === 'rebalanced') ? e : undefined;
  }

  private failed(): StreamsError {
    const e = this.failure;
    const message = (e as Error)?.message ?? String(e);
    // Retriable failures reach here only once the producer gave up retrying them.
    const hint = e instanceof ClientError && e.retriable
      ? ` No broker acknowledged the records in time: check that the brokers are up${this.options.taskTimeoutMs === undefined ? '' : `; to keep trying longer, raise taskTimeoutMs (${this.options.taskTimeoutMs} ms)`}.`
      : '';
    return new StreamsError(`Producing failed, so nothing processed since the last commit is committed: ${message}${hint}`, { cause: e });
  }
}
