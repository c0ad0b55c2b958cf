import { CompressionTypes, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { KafkaProducer, ProducerOptions, ProducerRecord, ProducerTransactions } from '../kafka-producer.ts';
import { connectWithin, type ConnectPolicy } from './connect-within.ts';
import { toClientError } from './kafkajs-errors.ts';
import { toKafkajsMessage } from './kafkajs-records.ts';

/** How long the broker may take to replicate a batch to every in-sync replica (acks=all). */
const PRODUCE_TIMEOUT_MS = 30_000;

/**
 * KafkaProducer over kafkajs's idempotent producer, acks=all, partitions given by the runtime (kafkajs's partitioner
 * is never consulted: every record carries its partition).
 *
 * Sends are written one kafkajs request after another, in the order of the calls: kafkajs's idempotent producer
 * serialises its produce requests per broker anyway (a lock around the sequence numbers), and the order in which
 * concurrent kafkajs sends reach that lock is not guaranteed (a retried send can pass a later one), which would
 * reorder a partition's records. Callers still keep several sends in flight: while one is written, the next ones
 * wait here, and `flush` awaits them all.
 *
 * Transactions (exactly-once, one producer per task) are not implemented yet: a producer made with a transactionalId
 * fails at connect() with a ClientError saying so.
 */
export class KafkajsProducer implements KafkaProducer {
  readonly transactions?: ProducerTransactions;
  readonly #producer: Producer;
  readonly #policy: ConnectPolicy;
  readonly #transactionalId: string | undefined;
  #connected: Promise<void> | undefined;
  /** The last send queued: the next one starts after it settles. */
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(kafka: Kafka, policy: ConnectPolicy, options: ProducerOptions) {
    this.#policy = policy;
    this.#transactionalId = options.transactionalId;
    this.#producer = kafka.producer({
      idempotent: true,
      // Idempotence needs at most 5 requests in flight per connection; kafkajs keeps one per broker anyway.
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
      // kafkajs's idempotent producer retries without end by default; the runtime's own deadline decides instead.
      retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
  }

  connect(): Promise<void> {
    if (this.#transactionalId !== undefined) {
      return Promise.reject(
        new ClientError(
          `The kafkajs adapter does not support transactions yet (transactionalId ${this.#transactionalId}): ` +
            `run with processingGuarantee 'at_least_once'`,
          'fatal',
        ),
      );
    }
    this.#connected ??= connectWithin(this.#policy, 'Connecting the producer', () => this.#producer.connect(), () => this.#producer.disconnect());
    return this.#connected;
  }

  send(records: readonly ProducerRecord[]): Promise<readonly TopicPartitionOffset[]> {
    if (this.#closed) return Promise.reject(new ClientError('send() on a closed producer', 'fatal'));
    const sent = this.#tail.then(() => this.#write(records));
    this.#tail = sent.catch(() => undefined);
    return sent;
  }

  async flush(): Promise<void> {
    await this.#tail;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#tail;
    await this.#producer.disconnect();
  }

  async #write(records: readonly ProducerRecord[]): Promise<readonly TopicPartitionOffset[]> {
    if (records.length === 0) return [];
    await this.connect();
    // One topicMessages entry per topic; the count per topic-partition turns each base offset into the last one.
    const byTopic = new Map<string, { messages: ReturnType<typeof toKafkajsMessage>[]; counts: Map<number, number> }>();
    for (const record of records) {
      let entry = byTopic.get(record.topic);
      if (entry === undefined) byTopic.set(record.topic, (entry = { messages: [], counts: new Map() }));
      entry.messages.push(toKafkajsMessage(record));
      entry.counts.set(record.partition, (entry.counts.get(record.partition) ?? 0) + 1);
    }
    let answers: RecordMetadata[];
    try {
      answers = await this.#producer.sendBatch({
        acks: -1,
        timeout: PRODUCE_TIMEOUT_MS,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, { messages }]) => ({ topic, messages })),
      });
    } catch (error) {
      const partitions = [...byTopic].flatMap(([topic, { counts }]) => [...counts.keys()].map((partition) => ({ topic, partition })));
      const mapped = toClientError(error, `Producing ${records.length} records to ${[...byTopic.keys()].join(', ')}`);
      throw new ClientError(mapped.message, mapped.reason, { partitions: mapped.partitions.length > 0 ? mapped.partitions : partitions, cause: error });
    }
    const acknowledged: TopicPartitionOffset[] = [];
    for (const answer of answers) {
      const count = byTopic.get(answer.topicName)?.counts.get(answer.partition);
      if (count === undefined || answer.baseOffset === undefined) continue;
      acknowledged.push({ topic: answer.topicName, partition: answer.partition, offset: Number(answer.baseOffset) + count - 1 });
    }
    return acknowledged;
  }
}
