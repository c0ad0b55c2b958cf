import type { OutputRecord } from '../io/raw-record.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';
import type { ConsumerGroupMetadata } from './consumer-group-metadata.ts';

/** A record to produce: bytes, topic and a partition already chosen. */
export interface ProducerRecord extends OutputRecord {
  /**
   * Always set: the runtime's RecordSink partitions (a StreamPartitioner, or murmur2 as Java's default partitioner,
   * so a Java and a TypeScript instance put a key in the same partition); an adapter never partitions again.
   */
  readonly partition: number;
}

/** How a producer is made (KafkaClient#producer). */
export interface ProducerOptions {
  /**
   * Set for exactly-once (Kafka Streams' exactly_once_v2: one transactional producer per process,
   * `<applicationId>-<processId>-1`; the embedded log: the applicationId): the producer then has `transactions`, and
   * connecting it initialises them (InitProducerId), which aborts what a previous producer with this id left open and
   * fences it. Absent: at-least-once, idempotent.
   */
  readonly transactionalId?: string;
  /**
   * transaction.timeout.ms: how long the transaction coordinator lets a transaction stay open before it aborts it and
   * fences the producer (Kafka Streams sets 10 s). Must exceed the commit interval. With a transactionalId only.
   */
  readonly transactionTimeoutMs?: number;
  /**
   * How long a send keeps retrying a retriable failure (no broker answers, a leader moving: ClientError
   * 'unreachable' or 'unknown-topic') before it rejects, as Kafka's delivery.timeout.ms. The adapter retries the
   * same records in place, before any later send, so a partition's records stay in order, and an idempotent retry
   * of records the broker did write is not written twice. Default: the adapter's own (kafkajs: 120 s).
   */
  readonly deliveryTimeoutMs?: number;
}

/**
 * The producer behind a RecordSink (src/io/record-sink.ts). The sink collects what tasks send (synchronously,
 * nothing per record here) and hands batches of hundreds of records to `send`, several in flight, awaiting them only
 * at commit (flush). Always acks=all and idempotent (enable.idempotence), so a retry within the client neither
 * duplicates nor reorders a partition's records. Failures reject with a ClientError.
 */
export interface KafkaProducer {
  /** Resolves once a broker answered (and, with a transactionalId, the transactions are initialised). */
  connect(): Promise<void>;

  /**
   * Sends a batch. Resolves when every record of it is acknowledged, with the offset the broker gave the last
   * record of each topic-partition in the batch (what RecordSink#acknowledgedOffset reports, and a checkpoint of a
   * changelog needs). Records of one partition are written in the order of the calls and, within a call, of the
   * array, also with several calls in flight. Rejects when any record of the batch failed, naming its
   * topic-partition; the others may or may not be written (at-least-once: the task stops before its offsets are
   * committed). Under a transaction, the records join the open one.
   */
  send(records: readonly ProducerRecord[]): Promise<readonly TopicPartitionOffset[]>;

  /** Resolves once every send made before the call has settled (RecordSink#flush awaits it at each commit). */
  flush(): Promise<void>;

  /** Present when made with a transactionalId. */
  readonly transactions?: ProducerTransactions;

  close(): Promise<void>;
}

/**
 * The transactions of a producer made with a transactionalId: what RecordSink's TransactionBoundary drives
 * (begin → sends → commit with the input offsets, or abort).
 */
export interface ProducerTransactions {
  /**
   * Opens a transaction; the next sends join it. Synchronous, as TransactionBoundary#begin: an adapter whose client
   * opens one asynchronously (kafkajs' producer.transaction()) makes the next send wait for it. Idempotent while one
   * is open.
   */
  begin(): void;
  /**
   * Sends the input offsets into the open transaction (TxnOffsetCommit with the group's metadata: the coordinator
   * refuses it when the member's generation is over) and commits it, after every send in it settled: outputs,
   * changelog records and offsets become visible together. Rejects with 'fenced' when the producer was fenced (another
   * producer took the transactional id over, or the coordinator aborted the transaction for its timeout), with
   * 'rebalanced' when the group refused the offsets; then nothing of the transaction is committed and abort() must
   * follow before anything else is sent.
   */
  commit(group: ConsumerGroupMetadata, offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /**
   * Aborts the open transaction: read_committed consumers never see what it sent; sends not yet settled reject. Also
   * after a failed commit or a fence: the producer is usable again afterwards (a new epoch: InitProducerId again).
   * Nothing open: resolves.
   */
  abort(): Promise<void>;
}
