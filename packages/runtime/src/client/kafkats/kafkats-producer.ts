import { ErrorCode, getErrorName, type Broker, type Cluster } from '@kafkats/client';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { KafkaProducer, ProducerOptions, ProducerRecord, ProducerTransactions } from '../kafka-producer.ts';
import { BATCH_HEADER_BYTES, RecordBatchBuilder } from '../record-batch/record-batch-builder.ts';
import { codeError, reasonOf, reasonOfCode, toClientError } from './kafkats-errors.ts';
import { connectCluster, newCluster, type KafkatsConnection } from './kafkats-connection.ts';
import { retrying } from './kafkats-retry.ts';
import { KafkatsTransactionClient } from './kafkats-transaction-client.ts';
import { ProducerTransaction } from '../producer-transaction.ts';
import { TransactionCoordinator } from '../transaction-coordinator.ts';

/** Kafka's delivery.timeout.ms default: how long a retriable failure of a send is retried. */
const DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;
/** How long the broker may take to replicate a batch to every in-sync replica (acks=all). */
const PRODUCE_TIMEOUT_MS = 30_000;
/**
 * The most bytes of records (as sizeOf estimates them) in one partition's record batch: the broker refuses a batch
 * larger than the topic's max.message.bytes (1 MiB by default) whole. A record larger alone goes in a batch of its own.
 */
const MAX_BATCH_BYTES = 900 * 1024;
/** A record's bytes in a batch besides its key, value and headers (lengths, deltas, attributes), generously. */
const RECORD_OVERHEAD_BYTES = 32;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 1_000;
const NO_PRODUCER = -1n;
/** transaction.timeout.ms when the options give none (Kafka's producer default; Kafka Streams sets 10 s). */
const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;

/** A send: settles once every record of it is acknowledged, or any failed. */
interface Send {
  readonly records: number;
  acknowledged: number;
  readonly last: Map<string, TopicPartitionOffset>;
  readonly deadline: number;
  settled: boolean;
  resolve(offsets: readonly TopicPartitionOffset[]): void;
  reject(error: unknown): void;
}

/** A send's records of one topic by partition (a sparse array), and the partitions in the order first seen. */
interface TopicChunks {
  readonly byPartition: ProducerRecord[][];
  readonly partitions: number[];
}

/** A send's records of one partition, queued in call order. */
interface Chunk {
  readonly send: Send;
  readonly records: readonly ProducerRecord[];
  readonly bytes: number;
}

/** A partition's record batch in flight (or waiting to be written again): its chunks, its bytes, its sequence. */
interface Batch {
  readonly chunks: readonly Chunk[];
  readonly encoded: Buffer;
  readonly count: number;
}

interface PartitionQueue {
  readonly topic: string;
  readonly partition: number;
  readonly chunks: Chunk[];
  /** The batch written and not acknowledged yet: written again, the same bytes and sequence, until it is. */
  batch: Batch | undefined;
  inFlight: boolean;
  /** The sequence number of the partition's next batch (the idempotent producer's, per partition). */
  nextSequence: number;
  /** Not written again before this time (the backoff after a retriable failure). */
  retryAt: number;
  backoff: number;
}

/**
 * KafkaProducer writing record batches of its own over @kafkats/client's connections: our RecordBatchBuilder (the
 * kafkajs adapter's, src/client/record-batch/) and its Broker's Produce, an idempotent producer id from
 * InitProducerId, acks=all, partitions given by the runtime.
 * (@kafkats/client's own Producer makes a promise, a Date and a headers object per record and awaits its own
 * initialisation inside every send — sends made together were appended out of order —, takes headers as an object —
 * a key once, no null value —, puts all of a send() in one batch whatever its size, and retries with metadata that a
 * broker restart can leave empty for its 5-minute refresh.)
 *
 * Each partition has a queue of the sends' records in call order and at most one batch in flight: the records queued
 * behind it, up to MAX_BATCH_BYTES, become its next batch, with the next sequence number. A batch that fails
 * retriably (no answer, a leader moving) is written again — the same bytes, the same sequence, so the broker drops
 * what it had already written of it — before anything after it in its partition, until the send's
 * deliveryTimeoutMs; a partition's records therefore stay in order and are written once. A batch the broker refuses
 * (too large, …) fails its sends, naming the topic; an ambiguous failure past the deadline (the batch may or may not
 * have been written) stops the producer: every later send fails too (its sequence could no longer be trusted), and
 * the runtime stops (at-least-once: nothing since the last commit is committed).
 *
 * Transactions (exactly-once: a producer made with a transactionalId): `transactions` is a ProducerTransaction
 * (producer-transaction.ts, shared with the kafkajs adapter), which drives the writes here — connect() gets the
 * producer id and epoch from it (InitProducerId with the id), a partition's first batch of a transaction waits until
 * it says the partition is in the transaction (AddPartitionsToTxn), batches carry the transactional flag and Produce
 * requests the id; an abort stops the writes, drops the queues (answers of the aborted epoch are ignored) and resumes
 * with the new epoch. The requests go over @kafkats/client's connections (KafkatsTransactionClient).
 */
export class KafkatsProducer implements KafkaProducer {
  readonly transactions?: ProducerTransactions;
  readonly #connection: KafkatsConnection;
  readonly #cluster: Cluster;
  readonly #transactionalId: string | undefined;
  readonly #deliveryTimeoutMs: number;
  readonly #queues = new Map<string, PartitionQueue>();
  readonly #pending = new Set<Send>();
  #producerId = NO_PRODUCER;
  #producerEpoch = -1;
  #connected: Promise<void> | undefined;
  #pumpScheduled = false;
  /** A pump is under way (it awaits connecting and metadata): another one waits for it, so no batch goes twice. */
  #pumping = false;
  #pumpAgain = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #metadataStale = false;
  /** Set once the producer cannot go on (an ambiguous failure past its deadline, a broken sequence): sends fail with it. */
  #failed: ClientError | undefined;
  #closed = false;
  /** The transaction, with a transactionalId. */
  readonly #transaction: ProducerTransaction<PartitionQueue> | undefined;
  /** Bumped by each abort: answers to writes of an earlier epoch are ignored (their queues are gone). */
  #epochOfQueues = 0;

  constructor(connection: KafkatsConnection, options: ProducerOptions) {
    this.#connection = connection;
    this.#transactionalId = options.transactionalId;
    this.#deliveryTimeoutMs = options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
    this.#cluster = newCluster(connection);
    if (options.transactionalId !== undefined) {
      const client = new KafkatsTransactionClient(this.#cluster, options.transactionalId, options.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS);
      const coordinator = new TransactionCoordinator(client, Math.max(connection.connectTimeoutMs, Math.min(this.#deliveryTimeoutMs, 60_000)));
      this.transactions = this.#transaction = new ProducerTransaction<PartitionQueue>(coordinator, {
        closed: () => this.#closed,
        flush: () => this.flush(),
        failure: () => this.#failed,
        connect: () => this.connect(),
        stop: (aborted) => {
          for (const send of [...this.#pending]) this.#settle(send, { error: aborted });
        },
        writing: () => this.#pumping || [...this.#queues.values()].some((q) => q.inFlight),
        startOver: () => this.#startOver(),
        resume: ({ producerId, producerEpoch }) => {
          this.#producerId = producerId;
          this.#producerEpoch = producerEpoch;
          this.#schedulePump();
        },
        fail: (error) => this.#failAll(error, true),
        wake: () => this.#schedulePump(),
      });
    }
  }

  connect(): Promise<void> {
    this.#connected ??= this.#connect();
    this.#connected.catch(() => (this.#connected = undefined));
    return this.#connected;
  }

  async #connect(): Promise<void> {
    await connectCluster(this.#cluster, this.#connection, 'Connecting the producer');
    if (this.#transaction !== undefined) {
      const { producerId, producerEpoch } = await this.#transaction.initialise();
      this.#producerId = producerId;
      this.#producerEpoch = producerEpoch;
      return;
    }
    const answer = await retrying(async () => {
      try {
        const broker = await this.#cluster.getAnyBroker();
        const response = await broker.initProducerId({ transactionalId: null, transactionTimeoutMs: 60_000, producerId: NO_PRODUCER, producerEpoch: -1 });
        if (response.errorCode !== ErrorCode.None) throw codeError(response.errorCode, 'Initialising the idempotent producer (InitProducerId)');
        return response;
      } catch (error) {
        throw toClientError(error, 'Initialising the idempotent producer (InitProducerId)');
      }
    });
    this.#producerId = answer.producerId;
    this.#producerEpoch = answer.producerEpoch;
  }

  send(records: readonly ProducerRecord[]): Promise<readonly TopicPartitionOffset[]> {
    if (this.#closed) return Promise.reject(new ClientError('send() on a closed producer', 'fatal'));
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    if (records.length === 0) return Promise.resolve([]);
    for (const record of records) {
      // (p >>> 0) === p: an integer from 0 to 2^32 - 1 (the chunks below are indexed by it); nothing of the send goes.
      if (record.partition >>> 0 !== record.partition) {
        return Promise.reject(new ClientError(`A record for ${record.topic} has no valid partition (${record.partition}): the runtime's RecordSink always gives one`, 'fatal'));
      }
    }
    return new Promise((resolve, reject) => {
      const send: Send = { records: records.length, acknowledged: 0, last: new Map(), deadline: Date.now() + this.#deliveryTimeoutMs, settled: false, resolve, reject };
      this.#pending.add(send);
      // A partition's records of the send, in their order: one chunk per partition, appended to its queue now, so
      // that the queues hold the sends in call order whatever happens after. The sink's sends are of one or a few
      // topics: the last topic's partitions are kept at hand (no string made per record).
      let lastTopic: string | undefined;
      let ofTopic: TopicChunks | undefined;
      const chunks = new Map<string, TopicChunks>();
      for (const record of records) {
        if (record.topic !== lastTopic) {
          lastTopic = record.topic;
          ofTopic = chunks.get(lastTopic);
          if (ofTopic === undefined) chunks.set(lastTopic, (ofTopic = { byPartition: [], partitions: [] }));
        }
        const ofPartition = ofTopic!.byPartition[record.partition];
        if (ofPartition === undefined) {
          ofTopic!.byPartition[record.partition] = [record];
          ofTopic!.partitions.push(record.partition);
        } else {
          ofPartition.push(record);
        }
      }
      for (const [topic, { byPartition, partitions }] of chunks) {
        for (const partition of partitions) {
          const ofPartition = byPartition[partition]!;
          const key = `${topic}\u0000${partition}`;
          let queue = this.#queues.get(key);
          if (queue === undefined) {
            queue = { topic, partition, chunks: [], batch: undefined, inFlight: false, nextSequence: 0, retryAt: 0, backoff: FIRST_BACKOFF_MS };
            this.#queues.set(key, queue);
          }
          let bytes = 0;
          for (const record of ofPartition) bytes += sizeOf(record);
          queue.chunks.push({ send, records: ofPartition, bytes });
        }
      }
      this.#schedulePump();
    });
  }

  async flush(): Promise<void> {
    await Promise.all([...this.#pending].map((send) => new Promise<void>((resolve) => this.#whenSettled(send, resolve))));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    clearTimeout(this.#retryTimer);
    await this.#connected?.catch(() => undefined);
    await this.#cluster.disconnect().catch(() => undefined);
  }

  readonly #settledWaiters = new Map<Send, (() => void)[]>();

  #whenSettled(send: Send, done: () => void): void {
    if (send.settled) return done();
    let waiters = this.#settledWaiters.get(send);
    if (waiters === undefined) this.#settledWaiters.set(send, (waiters = []));
    waiters.push(done);
  }

  #settle(send: Send, outcome: { offsets: readonly TopicPartitionOffset[] } | { error: unknown }): void {
    if (send.settled) return;
    send.settled = true;
    this.#pending.delete(send);
    if ('error' in outcome) send.reject(outcome.error);
    else send.resolve(outcome.offsets);
    for (const done of this.#settledWaiters.get(send) ?? []) done();
    this.#settledWaiters.delete(send);
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      void this.#pump();
    });
  }

  /** Writes the batch of every partition that has records queued and nothing in flight, one request per leader. */
  async #pump(): Promise<void> {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      await this.#pumpOnce();
    } finally {
      this.#pumping = false;
      if (this.#pumpAgain) {
        this.#pumpAgain = false;
        this.#schedulePump();
      }
    }
  }

  async #pumpOnce(): Promise<void> {
    if (this.#transaction?.aborting) return;
    try {
      await this.connect();
    } catch (error) {
      // No broker, or no producer id: every send waiting fails with it (the runtime retries its start above this).
      this.#failAll(toClientError(error, 'Connecting the producer'), false);
      return;
    }
    if (this.#transaction?.aborting) return;
    const now = Date.now();
    let ready = [...this.#queues.values()].filter((q) => !q.inFlight && (q.batch !== undefined || q.chunks.length > 0));
    const transaction = this.#transaction;
    if (transaction !== undefined) {
      // A transaction's first batch to a partition waits until the partition is in the transaction.
      const outside = ready.filter((q) => !transaction.includes(q));
      for (const q of outside) transaction.add(q);
      if (outside.length > 0) ready = ready.filter((q) => transaction.includes(q));
    }
    const due = ready.filter((q) => q.retryAt <= now);
    if (due.length < ready.length) this.#scheduleRetry(Math.min(...ready.filter((q) => q.retryAt > now).map((q) => q.retryAt)) - now);
    if (due.length === 0) return;
    const epochOfQueues = this.#epochOfQueues;
    let metadata = this.#cluster.getMetadata();
    const leaderOf = (q: PartitionQueue) => metadata?.topics.get(q.topic)?.partitions.get(q.partition)?.leaderId ?? -1;
    if (this.#metadataStale || metadata === null || due.some((q) => leaderOf(q) < 0 || !metadata!.brokers.has(leaderOf(q)))) {
      try {
        metadata = await this.#cluster.refreshMetadata([...new Set(due.map((q) => q.topic))]);
        this.#metadataStale = false;
        // An abort started meanwhile: these queues are of the aborted transaction.
        if (this.#transaction?.aborting || epochOfQueues !== this.#epochOfQueues) return;
      } catch (error) {
        for (const q of due) this.#retryLater(q, error);
        return;
      }
    }
    const byLeader = new Map<number, PartitionQueue[]>();
    for (const q of due) {
      if (q.inFlight) continue;
      const leader = leaderOf(q);
      if (leader < 0) {
        this.#metadataStale = true;
        this.#retryLater(q, new ClientError(`${q.topic}-${q.partition} has no leader (does the topic exist?)`, 'unknown-topic'));
        continue;
      }
      if (q.batch === undefined) q.batch = this.#nextBatch(q);
      q.inFlight = true;
      let queues = byLeader.get(leader);
      if (queues === undefined) byLeader.set(leader, (queues = []));
      queues.push(q);
    }
    for (const [leader, queues] of byLeader) void this.#write(leader, queues);
  }

  /** The records queued first, up to MAX_BATCH_BYTES (at least one chunk), as the partition's next record batch. */
  #nextBatch(q: PartitionQueue): Batch {
    const chunks: Chunk[] = [];
    let bytes = 0;
    while (q.chunks.length > 0 && (chunks.length === 0 || bytes + q.chunks[0]!.bytes <= MAX_BATCH_BYTES)) {
      const chunk = q.chunks[0]!;
      if (chunks.length === 0 && chunk.bytes > MAX_BATCH_BYTES && chunk.records.length > 1) {
        // A send larger than a batch: cut it, in order, so that each batch fits (a record larger alone goes alone).
        let taken = 0;
        let size = 0;
        while (taken < chunk.records.length && (taken === 0 || size + sizeOf(chunk.records[taken]!) <= MAX_BATCH_BYTES)) size += sizeOf(chunk.records[taken++]!);
        chunks.push({ send: chunk.send, records: chunk.records.slice(0, taken), bytes: size });
        q.chunks[0] = { send: chunk.send, records: chunk.records.slice(taken), bytes: chunk.bytes - size };
        bytes = size;
        break;
      }
      chunks.push(chunk);
      bytes += chunk.bytes;
      q.chunks.shift();
    }
    // Written straight into the batch's bytes (our RecordBatchBuilder: no record object, no BigInt per record, as
    // @kafkats/client's encoder makes), into a buffer that holds the chunks' records at their largest.
    let capacity = BATCH_HEADER_BYTES;
    for (const chunk of chunks) for (const r of chunk.records) capacity += RecordBatchBuilder.maxRecordSize(r.key, r.value, r.headers);
    const builder = new RecordBatchBuilder(Buffer.allocUnsafe(capacity));
    for (const chunk of chunks) {
      for (const r of chunk.records) {
        if (!builder.append(r.key, r.value, r.timestamp, r.headers)) throw new ClientError(`${q.topic}-${q.partition}: a record did not fit the batch sized for it (a bug in the producer)`, 'fatal');
      }
    }
    builder.finish(this.#producerId, this.#producerEpoch, q.nextSequence, this.#transaction !== undefined);
    return { chunks, encoded: builder.bytes, count: builder.count };
  }

  async #write(leader: number, queues: readonly PartitionQueue[]): Promise<void> {
    const epochOfQueues = this.#epochOfQueues;
    let broker: Broker;
    let response;
    try {
      broker = await this.#cluster.getBroker(leader);
      const byTopic = new Map<string, { partitionIndex: number; records: Buffer }[]>();
      for (const q of queues) {
        let partitions = byTopic.get(q.topic);
        if (partitions === undefined) byTopic.set(q.topic, (partitions = []));
        partitions.push({ partitionIndex: q.partition, records: q.batch!.encoded });
      }
      response = await broker.produce({ transactionalId: this.#transactionalId ?? null, acks: -1, timeoutMs: PRODUCE_TIMEOUT_MS, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) });
    } catch (error) {
      // Of an aborted transaction: its queues are gone, its sends failed.
      if (epochOfQueues !== this.#epochOfQueues) return;
      // No answer: the batches may or may not have been written; written again with the same sequence, the broker
      // keeps them once.
      this.#metadataStale = true;
      for (const q of queues) {
        q.inFlight = false;
        this.#retryLater(q, error);
      }
      this.#schedulePump();
      return;
    }
    if (epochOfQueues !== this.#epochOfQueues) return;
    for (const q of queues) {
      q.inFlight = false;
      // Dropped meanwhile: the producer stopped (a fence, a broken sequence) and failed its sends.
      if (q.batch === undefined) continue;
      const answer = response.topics.find((t) => t.name === q.topic)?.partitions.find((p) => p.partitionIndex === q.partition);
      if (answer === undefined) {
        this.#retryLater(q, new ClientError(`the broker did not answer for ${q.topic}-${q.partition}`, 'unreachable'));
        continue;
      }
      if (answer.errorCode === ErrorCode.None) {
        this.#acknowledged(q, Number(answer.baseOffset));
        continue;
      }
      this.#refused(q, answer.errorCode, answer.errorMessage);
    }
    this.#schedulePump();
  }

  /**
   * A new epoch (an abort's) starts every partition's sequence at 0 again: the queues are made anew (answers to writes
   * of the aborted epoch are ignored), the producer's failure is forgotten, and it connects if it is not (the new
   * epoch's InitProducerId follows).
   */
  async #startOver(): Promise<void> {
    this.#epochOfQueues++;
    this.#queues.clear();
    this.#failed = undefined;
    await this.connect();
  }

  #acknowledged(q: PartitionQueue, baseOffset: number): void {
    const batch = q.batch!;
    q.batch = undefined;
    q.nextSequence = (q.nextSequence + batch.count) % 2 ** 31;
    q.backoff = FIRST_BACKOFF_MS;
    q.retryAt = 0;
    let offset = baseOffset;
    for (const chunk of batch.chunks) {
      offset += chunk.records.length;
      const send = chunk.send;
      send.last.set(`${q.topic}\u0000${q.partition}`, { topic: q.topic, partition: q.partition, offset: offset - 1 });
      send.acknowledged += chunk.records.length;
      if (send.acknowledged === send.records) this.#settle(send, { offsets: [...send.last.values()] });
    }
  }

  /** The broker answered the partition's batch with an error. */
  #refused(q: PartitionQueue, code: number, message: string | null): void {
    const what = `Producing ${q.batch!.count} records to ${q.topic}`;
    if (code === ErrorCode.OutOfOrderSequenceNumber || code === ErrorCode.UnknownProducerId || code === ErrorCode.InvalidProducerEpoch || code === ErrorCode.ProducerFenced) {
      // The producer's sequence no longer matches the broker's: nothing written after this can be trusted.
      this.#failAll(codeError(code, `${what} (${q.topic}-${q.partition})`, [{ topic: q.topic, partition: q.partition }]), true);
      return;
    }
    if (reasonOfCode(code) !== 'fatal') {
      this.#metadataStale ||= code === ErrorCode.NotLeaderOrFollower || code === ErrorCode.UnknownTopicOrPartition || code === ErrorCode.LeaderNotAvailable;
      this.#retryLater(q, codeError(code, `${what} (${q.topic}-${q.partition})`, [{ topic: q.topic, partition: q.partition }]));
      return;
    }
    // Refused, definitively: the batch was not written (its sequence is free for the next one); its sends fail.
    const tooLarge = code === ErrorCode.MessageTooLarge || code === ErrorCode.RecordListTooLarge;
    const hint = tooLarge
      ? ` — a record is larger than the topic accepts: raise max.message.bytes of ${q.topic} (and the broker's message.max.bytes), or write smaller records`
      : '';
    const error = new ClientError(`${what} failed (fatal): ${getErrorName(code as ErrorCode)}${message ? ` (${message})` : ''}${hint}`, 'fatal', {
      partitions: [{ topic: q.topic, partition: q.partition }],
    });
    const batch = q.batch!;
    q.batch = undefined;
    for (const chunk of batch.chunks) this.#failSend(chunk.send, error);
  }

  /** A retriable failure of the partition's batch: written again after a backoff, until its sends' deadline. */
  #retryLater(q: PartitionQueue, error: unknown): void {
    const sends = new Set((q.batch?.chunks ?? q.chunks.slice(0, 1)).map((c) => c.send));
    if ([...sends].some((s) => Date.now() > s.deadline)) {
      const mapped = toClientError(error, `Producing to ${q.topic}-${q.partition}`, [{ topic: q.topic, partition: q.partition }]);
      const timedOut = new ClientError(`${mapped.message} — not acknowledged within deliveryTimeoutMs (${this.#deliveryTimeoutMs} ms)`, reasonOf(error) === 'fatal' ? 'fatal' : 'unreachable', {
        partitions: mapped.partitions,
        cause: error,
      });
      // Whether the batch was written is unknown: the partition's sequence cannot go on.
      this.#failAll(timedOut, q.batch !== undefined);
      return;
    }
    q.retryAt = Date.now() + q.backoff;
    q.backoff = Math.min(q.backoff * 2, MAX_BACKOFF_MS);
    this.#scheduleRetry(q.retryAt - Date.now());
  }

  #scheduleRetry(inMs: number): void {
    if (this.#retryTimer !== undefined) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#schedulePump();
    }, Math.max(1, inMs));
  }

  #failSend(send: Send, error: unknown): void {
    this.#settle(send, { error });
    // Its records still queued in other partitions are dropped (the send failed as a whole).
    for (const q of this.#queues.values()) {
      for (let i = q.chunks.length - 1; i >= 0; i--) if (q.chunks[i]!.send === send) q.chunks.splice(i, 1);
    }
  }

  /** Fails every send waiting; `stop`: and every later one (the producer's sequence cannot be trusted any more). */
  #failAll(error: ClientError, stop: boolean): void {
    if (stop) this.#failed ??= error;
    for (const q of this.#queues.values()) {
      if (stop) q.batch = undefined;
      q.chunks.length = 0;
    }
    for (const send of [...this.#pending]) {
      const inFlight = !stop && [...this.#queues.values()].some((q) => q.batch?.chunks.some((c) => c.send === send));
      if (!inFlight) this.#settle(send, { error });
    }
  }
}

/** A record's size in a record batch, about (uncompressed: the producer does not compress). */
function sizeOf(record: ProducerRecord): number {
  let n = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const h of record.headers) n += 8 + h.key.length * 3 + (h.value?.length ?? 0);
  return n;
}
