import { CompressionTypes, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { KafkaProducer, ProducerOptions, ProducerRecord, ProducerTransactions } from '../kafka-producer.ts';
import { connectWithin, type ConnectPolicy } from './connect-within.ts';
import { errorTypeOf, toClientError } from './kafkajs-errors.ts';
import { toKafkajsMessage } from './kafkajs-records.ts';

/**
 * The most records of queued sends written together in one kafkajs request: 1,000, a ProducerRecordSink batch
 * (smaller sends are still merged up to it). Not more: kafkajs groups a request's messages by partition copying the
 * partition's array for every message (groupMessagesPerPartition), quadratic in the records per partition, and sorts
 * their timestamps as strings. CPU per record produced (sendBatch, 4 partitions, one request at a time, 100 B
 * values): 1,000 or 2,000 per request ~9.3 µs, 4,000 ~9.6 µs, 8,000 ~12 µs; the Kafka bench's source → sink
 * (W2), three interleaved pairs: 13.3–14.2 µs per record at 1,000, 15.1–15.3 at 2,000.
 */
const MAX_MERGED_RECORDS = 1_000;
/**
 * The most bytes of records (as sizeOf estimates them) in one kafkajs request. kafkajs writes a partition's records of
 * a request as one record batch, and the broker refuses a batch larger than the topic's max.message.bytes (1 MiB by
 * default) whole: larger writes go out as several requests, one after the other.
 */
const MAX_REQUEST_BYTES = 900 * 1024;
/** A record's bytes in a batch besides its key, value and headers (lengths, deltas, attributes), generously. */
const RECORD_OVERHEAD_BYTES = 32;
/** How long the broker may take to replicate a batch to every in-sync replica (acks=all). */
const PRODUCE_TIMEOUT_MS = 30_000;
/** Kafka's delivery.timeout.ms default: how long a retriable failure of a send is retried. */
const DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 1_000;

/**
 * KafkaProducer over kafkajs's idempotent producer, acks=all, partitions given by the runtime (kafkajs's partitioner
 * is never consulted: every record carries its partition).
 *
 * Sends are written one kafkajs request after another, in the order of the calls: kafkajs's idempotent producer
 * serialises its produce requests per broker anyway (a lock around the sequence numbers), and the order in which
 * concurrent kafkajs sends reach that lock is not guaranteed (a retried send can pass a later one), which would
 * reorder a partition's records. Callers still keep several sends in flight: the sends made while one is written are
 * written together next, in one request of up to MAX_MERGED_RECORDS records (fewer, larger requests), and each call
 * still resolves with its own last offsets. `flush` awaits them all. A request holds at most MAX_REQUEST_BYTES of
 * records, so that no partition's batch in it exceeds what a topic accepts by default: more is written in several.
 *
 * A write that fails retriably (no broker answers, a leader moving) is written again, the same records before any
 * later send, until deliveryTimeoutMs: kafkajs's idempotent producer gives the retry the sequence numbers of the
 * failed attempt (it rolls them back on failure), so the broker drops what it had written of it, and a partition's
 * records keep their order across a broker restart. (A write split over several brokers of which some answered is
 * written again whole: those partitions may get their records twice, at-least-once.)
 *
 * Transactions (exactly-once, one producer per task) are not implemented yet: a producer made with a transactionalId
 * fails at connect() with a ClientError saying so.
 */
export class KafkajsProducer implements KafkaProducer {
  readonly transactions?: ProducerTransactions;
  readonly #producer: Producer;
  readonly #policy: ConnectPolicy;
  readonly #transactionalId: string | undefined;
  readonly #deliveryTimeoutMs: number;
  #connected: Promise<void> | undefined;
  /** Sends waiting for the one being written. */
  readonly #queued: { records: readonly ProducerRecord[]; resolve: (offsets: readonly TopicPartitionOffset[]) => void; reject: (error: unknown) => void }[] = [];
  #writing = false;
  /** Settles when everything queued so far is written. */
  #tail: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(kafka: Kafka, policy: ConnectPolicy, options: ProducerOptions) {
    this.#policy = policy;
    this.#transactionalId = options.transactionalId;
    this.#deliveryTimeoutMs = options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
    this.#producer = kafka.producer({
      idempotent: true,
      // Idempotence needs at most 5 requests in flight per connection; kafkajs keeps one per broker anyway.
      maxInFlightRequests: 5,
      allowAutoTopicCreation: false,
      // kafkajs's idempotent producer retries without end by default; the runtime's own deadline decides instead.
      retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 2_000 },
      // Every record comes with its partition (ProducerRecord#partition: the RecordSink chose it); naming a
      // partitioner also keeps kafkajs from warning that its default one changed in 2.0.
      createPartitioner: () => ({ message }) => message.partition!,
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
    if (records.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#queued.push({ records, resolve, reject });
      if (!this.#writing) this.#tail = this.#drain();
    });
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

  /** Writes what is queued, merged in call order, until nothing is. */
  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queued.length > 0) {
        let count = 0;
        let take = 0;
        while (take < this.#queued.length && (take === 0 || count + this.#queued[take].records.length <= MAX_MERGED_RECORDS)) {
          count += this.#queued[take].records.length;
          take++;
        }
        const sends = this.#queued.splice(0, take);
        try {
          const merged = sends.length === 1 ? sends[0].records : sends.flatMap((send) => send.records);
          const lastOffsets = await this.#writeInRequests(merged);
          // Each call's last offset of a partition: the merged batch's, minus the records of later calls there.
          const after = new Map<string, number>();
          for (let i = sends.length - 1; i >= 0; i--) {
            const counts = new Map<string, TopicPartitionOffset & { count: number }>();
            for (const r of sends[i].records) {
              const key = `${r.topic}\u0000${r.partition}`;
              const entry = counts.get(key);
              if (entry === undefined) counts.set(key, { topic: r.topic, partition: r.partition, offset: 0, count: 1 });
              else entry.count++;
            }
            const own: TopicPartitionOffset[] = [];
            for (const [key, { topic, partition, count: n }] of counts) {
              const last = lastOffsets.get(key);
              if (last === undefined) continue;
              const later = after.get(key) ?? 0;
              own.push({ topic, partition, offset: last - later });
              after.set(key, later + n);
            }
            sends[i].resolve(own);
          }
        } catch (error) {
          for (const send of sends) send.reject(error);
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  /**
   * Writes the records in requests of at most MAX_REQUEST_BYTES, one after the other (each retried as #writeRetrying
   * says); the last acknowledged offset per topic-partition over them all.
   */
  async #writeInRequests(records: readonly ProducerRecord[]): Promise<Map<string, number>> {
    let bytes = 0;
    for (const r of records) bytes += sizeOf(r);
    if (bytes <= MAX_REQUEST_BYTES) return this.#writeRetrying(records);
    const acknowledged = new Map<string, number>();
    for (let start = 0; start < records.length; ) {
      let end = start;
      let size = 0;
      while (end < records.length && (end === start || size + sizeOf(records[end]) <= MAX_REQUEST_BYTES)) size += sizeOf(records[end++]);
      for (const [key, offset] of await this.#writeRetrying(records.slice(start, end))) acknowledged.set(key, offset);
      start = end;
    }
    return acknowledged;
  }

  /** #write, again after a retriable failure (with backoff) until deliveryTimeoutMs; then the last failure. */
  async #writeRetrying(records: readonly ProducerRecord[]): Promise<Map<string, number>> {
    const started = Date.now();
    let backoff = FIRST_BACKOFF_MS;
    for (let tries = 1; ; tries++) {
      try {
        return await this.#write(records);
      } catch (error) {
        const elapsed = Date.now() - started;
        if (!(error instanceof ClientError) || !error.retriable || this.#closed || elapsed + backoff > this.#deliveryTimeoutMs) {
          if (error instanceof ClientError && tries > 1) {
            throw new ClientError(`${error.message} (${tries} tries in ${(elapsed / 1000).toFixed(1)} s)`, error.reason, { partitions: error.partitions, cause: error.cause });
          }
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** One kafkajs sendBatch: the last acknowledged offset per topic-partition (key topic NUL partition). */
  async #write(records: readonly ProducerRecord[]): Promise<Map<string, number>> {
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
      const topics = [...byTopic.keys()].join(', ');
      const mapped = toClientError(error, `Producing ${records.length} records to ${topics}`);
      const type = errorTypeOf(error);
      const hint = type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE'
        ? ` — a record is larger than the topic accepts: raise max.message.bytes of ${topics} (and the broker's message.max.bytes), or write smaller records`
        : '';
      throw new ClientError(`${mapped.message}${hint}`, mapped.reason, { partitions: mapped.partitions.length > 0 ? mapped.partitions : partitions, cause: error });
    }
    const acknowledged = new Map<string, number>();
    for (const answer of answers) {
      const count = byTopic.get(answer.topicName)?.counts.get(answer.partition);
      if (count === undefined || answer.baseOffset === undefined) continue;
      acknowledged.set(`${answer.topicName}\u0000${answer.partition}`, Number(answer.baseOffset) + count - 1);
    }
    return acknowledged;
  }
}

/** A record's size in a record batch, about (uncompressed: the producer does not compress). */
function sizeOf(record: ProducerRecord): number {
  let n = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers) n += 8 + h.key.length * 3 + (h.value?.length ?? 0);
  return n;
}
