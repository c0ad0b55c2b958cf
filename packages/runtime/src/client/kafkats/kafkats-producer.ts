import { ErrorCode, Producer, type Cluster, type ProducerMessage, type SendResult } from '@kafkats/client';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { KafkaProducer, ProducerOptions, ProducerRecord, ProducerTransactions } from '../kafka-producer.ts';
import { errorCodeOf, toClientError } from './kafkats-errors.ts';
import { connectCluster, newCluster, type KafkatsConnection } from './kafkats-connection.ts';
import { toKafkatsMessage } from './kafkats-records.ts';

/** Kafka's delivery.timeout.ms default: how long a retriable failure of a send is retried. */
const DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;
/** @kafkats/client's backoff between retries of a batch grows to this; its retries are counted, not timed. */
const MAX_RETRY_BACKOFF_MS = 1_000;
/**
 * The most bytes of records (as sizeOf estimates them) of one partition in one @kafkats/client send(). Its send()
 * appends all its records before it cuts batches (a "multi-message send stays in one batch"), so a partition's records
 * of one call are one record batch, and the broker refuses a batch larger than the topic's max.message.bytes (1 MiB by
 * default) whole: a larger send is handed over as several calls, one after the other.
 */
const MAX_CALL_BYTES = 900 * 1024;
/** A record's bytes in a batch besides its key, value and headers (lengths, deltas, attributes), generously. */
const RECORD_OVERHEAD_BYTES = 32;
/** How often metadata is refreshed while a send waits longer than this (see #watchMetadata). */
const STALE_METADATA_CHECK_MS = 1_000;

/**
 * KafkaProducer over @kafkats/client's idempotent producer (acks=all), partitions given by the runtime (its
 * partitioner is never consulted: every record carries its partition). Sends go to it in call order, several in
 * flight: each of its send() calls becomes one record batch per partition (at most MAX_CALL_BYTES: a larger send is
 * handed over as several calls), and it keeps one request in flight per partition, retrying a failed one before any
 * later batch of that partition, with the sequence numbers of the idempotent producer, so a partition's records stay
 * in order and a retry is not written twice.
 *
 * A retriable failure (no broker answers, a leader moving) is retried by @kafkats/client with a backoff growing to
 * 1 s, as many times as deliveryTimeoutMs allows at that pace (its retries are counted, Kafka's delivery.timeout.ms
 * is a time); a send not acknowledged within deliveryTimeoutMs rejects with 'unreachable' all the same. Transactions are not implemented yet: a producer made with a transactionalId fails at connect().
 */
export class KafkatsProducer implements KafkaProducer {
  readonly transactions?: ProducerTransactions;
  readonly #connection: KafkatsConnection;
  readonly #cluster: Cluster;
  readonly #producer: Producer;
  readonly #transactionalId: string | undefined;
  readonly #deliveryTimeoutMs: number;
  #connected: Promise<void> | undefined;
  /** Every send not settled yet (flush awaits them: @kafkats/client's flush would not reject on a failed one). */
  readonly #pending = new Set<Promise<unknown>>();
  /** The topics @kafkats/client's producer knows the partition count of (see #handOver). */
  readonly #warm = new Set<string>();
  /** Settles once the last send was handed to @kafkats/client's producer: the next one goes after it. */
  #handedOver: Promise<void> = Promise.resolve();
  /** When each pending send was made. */
  readonly #sentAt = new Map<Promise<unknown>, number>();
  #metadataWatch: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(connection: KafkatsConnection, options: ProducerOptions) {
    this.#connection = connection;
    this.#transactionalId = options.transactionalId;
    this.#cluster = newCluster(connection);
    const deliveryTimeoutMs = (this.#deliveryTimeoutMs = options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS);
    this.#producer = new Producer(this.#cluster, {
      idempotent: true,
      acks: 'all',
      maxInFlight: 5,
      // Each send() call is cut into batches and sent when it ends (see MAX_CALL_BYTES): nothing lingers.
      lingerMs: 0,
      compression: 'none',
      requestTimeoutMs: connection.requestTimeoutMs,
      retries: Math.max(3, Math.ceil(deliveryTimeoutMs / MAX_RETRY_BACKOFF_MS)),
      retryBackoffMs: 100,
      maxRetryBackoffMs: MAX_RETRY_BACKOFF_MS,
      maxBlockMs: deliveryTimeoutMs,
    });
    // Failures reach each send's promise; the emitter's 'error' would otherwise be thrown unhandled.
    this.#producer.on('error', () => undefined);
  }

  connect(): Promise<void> {
    if (this.#transactionalId !== undefined) {
      return Promise.reject(
        new ClientError(
          `The @kafkats/client adapter does not support transactions yet (transactionalId ${this.#transactionalId}): ` +
            `run with processingGuarantee 'at_least_once'`,
          'fatal',
        ),
      );
    }
    this.#connected ??= connectCluster(this.#cluster, this.#connection, 'Connecting the producer');
    this.#connected.catch(() => (this.#connected = undefined));
    return this.#connected;
  }

  send(records: readonly ProducerRecord[]): Promise<readonly TopicPartitionOffset[]> {
    if (this.#closed) return Promise.reject(new ClientError('send() on a closed producer', 'fatal'));
    if (records.length === 0) return Promise.resolve([]);
    const sent = this.#send(records);
    this.#pending.add(sent);
    this.#sentAt.set(sent, Date.now());
    const settled = () => {
      this.#pending.delete(sent);
      this.#sentAt.delete(sent);
    };
    sent.then(settled, settled);
    this.#watchMetadata();
    return sent;
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    clearTimeout(this.#metadataWatch);
    await this.#producer.disconnect().catch(() => undefined);
    await this.#cluster.disconnect().catch(() => undefined);
  }

  /**
   * While a send has waited more than STALE_METADATA_CHECK_MS, refreshes the cluster's metadata every
   * STALE_METADATA_CHECK_MS. @kafkats/client's producer retries a batch with the metadata it has, refreshing it only
   * on some error codes: a metadata answer taken while the broker was shutting down lists no broker, every retry then
   * fails with "broker not found in metadata", and it recovered only at its periodic refresh, 5 minutes later (seen
   * in the broker-outage test: the application waited 270 s after the broker was back).
   */
  #watchMetadata(): void {
    if (this.#metadataWatch !== undefined || this.#closed) return;
    this.#metadataWatch = setTimeout(() => {
      this.#metadataWatch = undefined;
      if (this.#pending.size === 0 || this.#closed) return;
      const oldest = Math.min(...this.#sentAt.values());
      const refreshed = Date.now() - oldest > STALE_METADATA_CHECK_MS ? this.#cluster.refreshMetadata().then(() => undefined, () => undefined) : Promise.resolve();
      void refreshed.then(() => this.#watchMetadata());
    }, STALE_METADATA_CHECK_MS);
    this.#metadataWatch.unref();
  }

  async #send(records: readonly ProducerRecord[]): Promise<readonly TopicPartitionOffset[]> {
    const calls = toCalls(records);
    const sends = await this.#handOver(calls);
    const results = await this.#withinDeliveryTimeout(Promise.all(sends), records);
    const last = new Map<string, TopicPartitionOffset>();
    for (const ofCall of results) {
      for (const result of ofCall) {
        const key = `${result.topic}\u0000${result.partition}`;
        const offset = Number(result.offset);
        const known = last.get(key);
        if (known === undefined || offset > known.offset) last.set(key, { topic: result.topic, partition: result.partition, offset });
      }
    }
    return [...last.values()];
  }

  /**
   * The send's acknowledgements, or a ClientError 'unreachable' once deliveryTimeoutMs has passed without them:
   * @kafkats/client counts its retries, and each may wait a whole request timeout on a broker that takes the
   * connection but does not answer.
   */
  async #withinDeliveryTimeout<T>(acknowledged: Promise<T>, records: readonly ProducerRecord[]): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const partitions = [...new Map(records.map((r) => [`${r.topic}\u0000${r.partition}`, { topic: r.topic, partition: r.partition }])).values()];
        reject(
          new ClientError(
            `Producing ${records.length} records to ${[...new Set(records.map((r) => r.topic))].join(', ')} failed (unreachable): ` +
              `not acknowledged within deliveryTimeoutMs (${this.#deliveryTimeoutMs} ms)`,
            'unreachable',
            { partitions },
          ),
        );
      }, this.#deliveryTimeoutMs);
    });
    try {
      return await Promise.race([acknowledged, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Hands a send's records to @kafkats/client's producer, after every earlier send. Its send() appends to the
   * partitions' batches only after awaiting its own initialisation (InitProducerId, on the first send) and the topic's
   * partition count (a metadata request, the first time): a send that finds either not ready yet appends later than
   * one made after it that does not wait — 8 sends in flight at the start were written out of order so. Each topic
   * is warmed first (an empty send: the producer initialised, its partition count known), one send at a time; once
   * warm, every send takes the same path, and the producer appends them in call order.
   */
  async #handOver(calls: readonly Call[]): Promise<Promise<SendResult[]>[]> {
    const previous = this.#handedOver;
    let done!: () => void;
    this.#handedOver = new Promise((resolve) => (done = resolve));
    try {
      await previous;
      await this.connect();
      for (const { topic, messages } of calls) {
        if (this.#warm.has(topic)) continue;
        try {
          await this.#producer.send(topic, []);
        } catch (error) {
          throw this.#failure(error, topic, messages);
        }
        this.#warm.add(topic);
      }
      return calls.map(({ topic, messages }) =>
        this.#producer.send(topic, messages).catch((error: unknown) => {
          throw this.#failure(error, topic, messages);
        }),
      );
    } finally {
      done();
    }
  }

  #failure(error: unknown, topic: string, messages: readonly ProducerMessage<Buffer, Buffer>[]): ClientError {
    const partitions = [...new Set(messages.map((m) => m.partition!))].map((partition) => ({ topic, partition }));
    const mapped = toClientError(error, `Producing ${messages.length} records to ${topic}`, partitions);
    const code = errorCodeOf(error);
    const tooLarge = code === ErrorCode.MessageTooLarge || code === ErrorCode.RecordListTooLarge || (error as { name?: string })?.name === 'RecordTooLargeError';
    const hint = tooLarge
      ? ` — a record is larger than the topic accepts: raise max.message.bytes of ${topic} (and the broker's message.max.bytes), or write smaller records`
      : '';
    return new ClientError(`${mapped.message}${hint}`, tooLarge ? 'fatal' : mapped.reason, { partitions: mapped.partitions.length > 0 ? mapped.partitions : partitions, cause: error });
  }
}

/** One @kafkats/client send(): records of one topic, at most MAX_CALL_BYTES of them per partition. */
interface Call {
  readonly topic: string;
  readonly messages: ProducerMessage<Buffer, Buffer>[];
}

/** A send's records as @kafkats/client send() calls, in order: by topic, a new call when a partition's share is full. */
function toCalls(records: readonly ProducerRecord[]): Call[] {
  const open = new Map<string, { call: Call; bytes: Map<number, number> }>();
  const calls: Call[] = [];
  for (const record of records) {
    const size = sizeOf(record);
    let current = open.get(record.topic);
    const bytes = current?.bytes.get(record.partition) ?? 0;
    if (current === undefined || (bytes > 0 && bytes + size > MAX_CALL_BYTES)) {
      current = { call: { topic: record.topic, messages: [] }, bytes: new Map() };
      open.set(record.topic, current);
      calls.push(current.call);
    }
    current.call.messages.push(toKafkatsMessage(record));
    current.bytes.set(record.partition, (current.bytes.get(record.partition) ?? 0) + size);
  }
  return calls;
}

/** A record's size in a record batch, about (uncompressed: the producer does not compress). */
function sizeOf(record: ProducerRecord): number {
  let n = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers) n += 8 + h.key.length * 3 + (h.value?.length ?? 0);
  return n;
}
