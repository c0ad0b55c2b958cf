import { createRequire } from 'node:module';
import type { Cluster, Kafka } from 'kafkajs';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { KafkaProducer, ProducerOptions, ProducerRecord, ProducerTransactions } from '../kafka-producer.ts';
import { BatchBufferPool } from '../record-batch/batch-buffer-pool.ts';
import { PendingSend } from '../record-batch/pending-send.ts';
import { ProducePartition, nextSequence } from '../record-batch/produce-partition.ts';
import { encodeProduceRequest, type ProducePartitionData, type ProduceTopicData } from '../record-batch/produce-request.ts';
import { decodeProduceResponse, type ProduceTopicResponse } from '../record-batch/produce-response.ts';
import { ProducerBatch } from '../record-batch/producer-batch.ts';
import { BATCH_HEADER_BYTES, RecordBatchBuilder } from '../record-batch/record-batch-builder.ts';
import { connectWithin, type ConnectPolicy } from './connect-within.ts';
import { kafkajsCluster } from './kafkajs-cluster.ts';
import { errorTypeOf, reasonOf, toClientError } from './kafkajs-errors.ts';
import { KafkajsTransactionClient } from './kafkajs-transaction-client.ts';
import { ProducerTransaction } from '../producer-transaction.ts';
import { TransactionCoordinator } from '../transaction-coordinator.ts';

/**
 * The bytes of records a partition's batch takes before it is full (a larger record gets a batch of its own). Far
 * below a topic's default max.message.bytes (1 MiB), which the broker holds every batch to.
 */
const BATCH_BYTES = 64 * 1024;
/** An open batch this full goes out even while the broker is busy (the next record would likely not fit). */
const FULL_BYTES = BATCH_BYTES - 2 * 1024;
/** The most bytes of batches in one request (one batch per partition). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/**
 * Requests in flight per broker (and so batches per partition): Kafka's max.in.flight.requests.per.connection for an
 * idempotent producer, at most 5 — the broker remembers a producer's last 5 batches per partition to drop a resend.
 */
const MAX_IN_FLIGHT = 5;
/**
 * A partly filled batch goes out only while fewer requests than this are in flight to its broker (or a flush waits):
 * while the broker is busy, records gather into fuller batches (Kafka's linger, without a timer: an answer sends them).
 */
const LINGER_IN_FLIGHT = 1;
/** How long the broker may take to replicate a batch to every in-sync replica (acks=all). */
const PRODUCE_TIMEOUT_MS = 30_000;
/** Kafka's delivery.timeout.ms default: how long a retriable failure of a send is retried. */
const DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 1_000;
/** transaction.timeout.ms when the options give none (Kafka's producer default; Kafka Streams sets 10 s). */
const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
/** How often records that cannot go anywhere (no leader, no connection) are checked against the delivery timeout. */
const TIMEOUT_CHECK_MS = 250;
/** Produce versions written here: 3 (the lowest Kafka 4 accepts) to 7 (the highest kafkajs's protocol table knows). */
const MIN_PRODUCE_VERSION = 3;
const MAX_PRODUCE_VERSION = 7;
const PRODUCE_API_KEY = 0;
/**
 * Errors of a batch after which the broker's idea of this producer differs from its own (records of it lost, its id
 * expired, another producer took its id over): nothing it sends can be trusted in order any more, so it fails for
 * good (Kafka's producer bumps its epoch; the runtime stops the application either way).
 */
const PRODUCER_FATAL = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_ID_MAPPING',
  'CLUSTER_AUTHORIZATION_FAILED',
]);
/** Retriable errors that do not mean the partition's leader moved (no metadata refresh before the retry). */
const KEEPS_LEADER = new Set(['REQUEST_TIMED_OUT', 'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'THROTTLING_QUOTA_EXCEEDED']);

/** kafkajs's protocol errors by code (KafkaJSProtocolError: type, retriable, message), as its own requests raise them. */
const { createErrorFromCode } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as {
  createErrorFromCode(code: number): Error & { readonly type: string; readonly retriable: boolean };
};

/** A Produce request as kafkajs's Connection#send takes one (src/network/connection.js, src/protocol/request.js). */
interface KafkajsProtocolRequest {
  readonly request: {
    readonly apiKey: number;
    readonly apiVersion: number;
    readonly apiName: string;
    expectResponse(): boolean;
    encode(): Promise<{ readonly buf: Buffer; readonly buffer: Buffer }>;
  };
  readonly response: {
    decode(payload: Buffer): Promise<unknown>;
    parse(decoded: unknown): Promise<unknown>;
  };
}

/** What of kafkajs's Broker (src/broker/index.js) the producer uses beyond its public type. */
interface KafkajsBroker {
  isConnected(): boolean;
  readonly versions: Readonly<Record<number, { readonly minVersion: number; readonly maxVersion: number }>> | null;
  readonly connectionPool: { send(request: KafkajsProtocolRequest): Promise<unknown> };
  initProducerId(request: { transactionalId?: string; transactionTimeout: number }): Promise<{ producerId: string; producerEpoch: number }>;
}

/** One broker the producer sends to: its connection (kafkajs's), its requests in flight, the partitions it leads. */
interface BrokerLink {
  readonly nodeId: number;
  broker: KafkajsBroker | undefined;
  version: number;
  connecting: boolean;
  /** Requests sent and not answered. */
  inFlight: number;
  /** A request was handed to kafkajs and has not reached its encode yet: the next waits, so they go out in order. */
  gated: boolean;
  readonly partitions: ProducePartition[];
  /** Where the next request starts in `partitions` (rotated, so that a full request does not always leave out the same). */
  next: number;
  /** No connection attempt before this time (after a failed one). */
  blockedUntil: number;
  backoffMs: number;
}

/** A batch in a request and its partition. */
interface Sent {
  readonly partition: ProducePartition;
  readonly batch: ProducerBatch;
}

/**
 * KafkaProducer over kafkajs's connections with a produce path of our own: kafkajs's producer spends ~12 µs of CPU a
 * record (FACTS.md: its record encoding, a quadratic regrouping of each request's messages, long.js, garbage), so
 * records are written here straight into record batch bytes, as Kafka's Java producer does (its RecordAccumulator and
 * Sender), and kafkajs only carries the requests.
 *
 * - `send` appends each record (its partition given by the runtime) to its partition's open batch: one Buffer per
 *   batch, varints by hand (RecordBatchBuilder); a batch that reaches BATCH_BYTES is sealed and the next one opened.
 *   Nothing is kept per record but its bytes; each batch knows the sends with records in it.
 * - Batches go to each partition's leader over a kafkajs Cluster of the producer's own (kafkajsCluster): one Produce
 *   request per broker carries one batch per partition, up to MAX_IN_FLIGHT requests in flight per broker. A partly
 *   filled batch goes only when the broker has fewer than LINGER_IN_FLIGHT requests in flight, or a flush waits.
 * - Idempotent, acks=all: the producer id and epoch come from InitProducerId at connect; a batch gets its sequence
 *   number when it is first sent and keeps it (and its bytes, CRC-32C included) for every retry, so the broker drops
 *   a resend of what it had written. A send resolves once every batch with its last records is acknowledged, with the
 *   offset of its last record per partition (batch base offset + the record's index in the batch).
 * - A retriable failure (NOT_LEADER_OR_FOLLOWER, a lost connection, a timeout, an unknown topic) holds the
 *   partition until none of its batches is in flight (the later ones come back OUT_OF_ORDER_SEQUENCE_NUMBER, also
 *   retried then), then sends the failed batches again in order, after a backoff and a metadata refresh when the leader
 *   may have moved, until deliveryTimeoutMs from a batch's creation.
 * - A failure of a batch that trying again cannot fix (a record too large, an invalid record) rejects the sends with
 *   records in it and in every later batch of the partition (nothing after a lost record is written); the partition's
 *   sequence goes back to the failed batch's, which the broker still expects, and later sends go on.
 * - When the broker's state of the producer is not what the producer knows — an OUT_OF_ORDER_SEQUENCE_NUMBER with no
 *   failure before it (the broker lost records), UNKNOWN_PRODUCER_ID, a fenced epoch — or when the delivery timeout
 *   ends the retries of a batch that was sent (whether the broker wrote it is unknown, and with it the partition's next
 *   sequence), the producer fails for good: every send, pending and later, rejects with that error (Kafka's producer
 *   would bump its epoch; the runtime stops the application either way).
 *
 * Transactions (exactly-once: a producer made with a transactionalId): `transactions` is a ProducerTransaction
 * (producer-transaction.ts, shared with the kafkats adapter), which drives the writes here — connect() gets the
 * producer id and epoch from it (InitProducerId with the id), a partition's first batch of a transaction waits until
 * it says the partition is in the transaction (AddPartitionsToTxn), batches carry the transactional flag and Produce
 * requests the id; an abort stops the writes, starts the partitions over and resumes them with the new epoch. The
 * requests go over kafkajs's connections (KafkajsTransactionClient).
 */
export class KafkajsProducer implements KafkaProducer {
  readonly transactions?: ProducerTransactions;
  readonly #cluster: Cluster;
  readonly #policy: ConnectPolicy;
  readonly #transactionalId: string | undefined;
  /** The transaction, with a transactionalId. */
  readonly #transaction: ProducerTransaction<ProducePartition> | undefined;
  readonly #deliveryTimeoutMs: number;
  readonly #pool = new BatchBufferPool(BATCH_BYTES, 64);
  #connected: Promise<void> | undefined;
  /** InitProducerId answered: batches can be sent. */
  #ready = false;
  #producerId = -1n;
  #producerEpoch = -1;
  /** Partitions by topic, indexed by partition number. */
  readonly #topics = new Map<string, ProducePartition[]>();
  #lastTopic: string | undefined;
  #lastPartitions: ProducePartition[] = [];
  /** Topics whose metadata kafkajs's cluster fetches (added one by one: a missing topic must not hold the others). */
  readonly #knownTopics = new Set<string>();
  /** Partitions whose leader is not known (new, or after an error that may mean it moved). */
  readonly #unassigned = new Set<ProducePartition>();
  readonly #links = new Map<number, BrokerLink>();
  #metadataRefresh: Promise<void> | undefined;
  /** Metadata refreshes that succeeded (a partition unassigned after an error waits for one newer than it). */
  #metadataVersion = 0;
  #metadataRetryAt = 0;
  #metadataBackoffMs = FIRST_BACKOFF_MS;
  /** The last failure to reach a broker or to learn a leader: the cause when records time out waiting for one. */
  #lastError: unknown;
  /** Sends not settled yet (flush waits for them). */
  readonly #pending = new Set<Promise<unknown>>();
  #flushing = 0;
  #drainScheduled = false;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  #lastTimeoutCheck = 0;
  /** Set when the producer failed for good: every send rejects. */
  #failure: ClientError | undefined;
  #closed = false;

  constructor(kafka: Kafka, policy: ConnectPolicy, options: ProducerOptions) {
    this.#policy = policy;
    this.#transactionalId = options.transactionalId;
    this.#deliveryTimeoutMs = options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
    this.#cluster = kafkajsCluster(kafka, 'read_uncommitted');
    if (options.transactionalId !== undefined) {
      const client = new KafkajsTransactionClient(this.#cluster, options.transactionalId, options.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS);
      const coordinator = new TransactionCoordinator(client, Math.max(policy.timeoutMs, Math.min(this.#deliveryTimeoutMs, 60_000)));
      this.transactions = this.#transaction = new ProducerTransaction<ProducePartition>(coordinator, {
        closed: () => this.#closed,
        flush: () => this.flush(),
        failure: () => this.#failure,
        connect: () => this.connect(),
        stop: (aborted) => {
          this.#ready = false;
          this.#failAll(aborted);
        },
        writing: () => [...this.#links.values()].some((l) => l.inFlight > 0),
        startOver: () => this.#startOver(),
        resume: ({ producerId, producerEpoch }) => {
          this.#producerId = producerId;
          this.#producerEpoch = producerEpoch;
          this.#ready = true;
          this.#scheduleDrain();
        },
        fail: (error) => this.#giveUp(error),
        wake: () => this.#scheduleDrain(),
      });
    }
  }

  connect(): Promise<void> {
    this.#connected ??= connectWithin(this.#policy, 'Connecting the producer', () => this.#initProducerId(), () => this.#cluster.disconnect()).then(
      () => {
        this.#ready = true;
        this.#metadataVersion++;
        this.#scheduleDrain();
      },
      (error: unknown) => {
        // What was sent meanwhile cannot go anywhere; a later send or connect tries again.
        this.#connected = undefined;
        this.#failAll(error);
        throw error;
      },
    );
    return this.#connected;
  }

  send(records: readonly ProducerRecord[]): Promise<readonly TopicPartitionOffset[]> {
    if (this.#closed) return Promise.reject(new ClientError('send() on a closed producer', 'fatal'));
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (records.length === 0) return Promise.resolve([]);
    const invalid = invalidRecord(records);
    if (invalid !== undefined) return Promise.reject(invalid);
    if (this.#connected === undefined) this.connect().catch(() => undefined);

    const send = new PendingSend();
    const touched: ProducePartition[] = [];
    const now = Date.now();
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const p = this.#partition(r.topic, r.partition);
      if (p.lastSend !== send) {
        p.lastSend = send;
        p.lastSlot = send.offsets.length;
        send.offsets.push({ topic: r.topic, partition: r.partition, offset: -1 });
        send.remaining++;
        touched.push(p);
      }
      let batch = p.open;
      if (batch === undefined || !batch.builder.append(r.key, r.value, r.timestamp, r.headers)) {
        p.seal();
        const size = BATCH_HEADER_BYTES + RecordBatchBuilder.maxRecordSize(r.key, r.value, r.headers);
        batch = p.open = new ProducerBatch(this.#pool.take(size), p.appended, now);
        if (!batch.builder.append(r.key, r.value, r.timestamp, r.headers)) throw new Error(`A record of ${size} bytes did not fit a batch made for it`);
      }
      if (batch.lastSend !== send) {
        batch.lastSend = send;
        batch.sends.push(send);
      }
      p.lastBatch = batch;
      p.appended++;
    }
    for (const p of touched) {
      const batch = p.lastBatch!;
      batch.ends.push(send);
      batch.endIndexes.push(p.appended - 1);
      batch.endSlots.push(p.lastSlot);
    }
    const promise = send.promise;
    this.#pending.add(promise);
    const settled = () => this.#pending.delete(promise);
    promise.then(settled, settled);
    this.#scheduleDrain();
    return promise;
  }

  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    this.#flushing++;
    this.#scheduleDrain();
    try {
      await Promise.allSettled([...this.#pending]);
    } finally {
      this.#flushing--;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#cluster.disconnect();
  }

  async #initProducerId(): Promise<void> {
    await this.#cluster.connect();
    await this.#cluster.refreshMetadata();
    if (this.#transaction !== undefined) {
      const { producerId, producerEpoch } = await this.#transaction.initialise();
      this.#producerId = producerId;
      this.#producerEpoch = producerEpoch;
      return;
    }
    // An idempotent producer's id may come from any broker (kafkajs's EOS manager asks the controller).
    const broker = (await this.#cluster.findControllerBroker()) as unknown as KafkajsBroker;
    const { producerId, producerEpoch } = await broker.initProducerId({ transactionTimeout: 60_000 });
    this.#producerId = BigInt(producerId);
    this.#producerEpoch = producerEpoch;
  }

  /** A new epoch (an abort's) starts every partition's sequence at 0 again: their state is made anew. */
  #startOver(): void {
    this.#topics.clear();
    this.#lastTopic = undefined;
    this.#lastPartitions = [];
    this.#unassigned.clear();
    for (const link of this.#links.values()) {
      link.partitions.length = 0;
      link.next = 0;
    }
    this.#failure = undefined;
  }

  /** The state of a topic-partition, made on first use. */
  #partition(topic: string, partition: number): ProducePartition {
    let partitions = this.#lastPartitions;
    if (topic !== this.#lastTopic) {
      partitions = this.#topics.get(topic) ?? [];
      if (partitions.length === 0) this.#topics.set(topic, partitions);
      this.#lastTopic = topic;
      this.#lastPartitions = partitions;
    }
    let p = partitions[partition];
    if (p === undefined) {
      p = partitions[partition] = new ProducePartition(topic, partition, FIRST_BACKOFF_MS);
      this.#unassigned.add(p);
    }
    return p;
  }

  #scheduleDrain(): void {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    queueMicrotask(() => {
      this.#drainScheduled = false;
      this.#drain();
    });
  }

  /** Sends what can go now to each broker; arms the timer for what waits (a backoff, a leader, the delivery timeout). */
  #drain(): void {
    if (!this.#ready || this.#failure !== undefined || (this.#closed && this.#pending.size === 0)) return;
    const now = Date.now();
    let wakeAt = Infinity;
    if (this.#unassigned.size > 0) wakeAt = Math.min(wakeAt, this.#assignLeaders(now));
    for (const link of this.#links.values()) wakeAt = Math.min(wakeAt, this.#drainLink(link, now));
    if (wakeAt !== Infinity && now - this.#lastTimeoutCheck >= TIMEOUT_CHECK_MS) {
      this.#lastTimeoutCheck = now;
      this.#expireWaiting(now);
    }
    if (wakeAt !== Infinity) this.#wakeAt(Math.max(wakeAt, now + 1));
  }

  #wakeAt(at: number): void {
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#drain();
    }, at - Date.now());
  }

  /**
   * Gives each partition without a leader the one kafkajs's metadata names — metadata fetched after the error that
   * unassigned it, if one did (a leader may have moved) — and refreshes the metadata in the background for the others.
   * Returns when to look again (Infinity: nothing waits, or the refresh's end drains again).
   */
  #assignLeaders(now: number): number {
    let missing = false;
    for (const p of this.#unassigned) {
      // A partition with nothing to send needs no leader now (nor a metadata refresh for one).
      if (!p.hasRecords) continue;
      const leader = this.#metadataVersion >= p.metadataWanted && this.#knownTopics.has(p.topic) ? this.#leaderOf(p) : -1;
      if (leader < 0) {
        missing = true;
        continue;
      }
      this.#unassigned.delete(p);
      p.leader = leader;
      this.#link(leader).partitions.push(p);
    }
    if (!missing || this.#metadataRefresh !== undefined) return Infinity;
    if (now < this.#metadataRetryAt) return this.#metadataRetryAt;
    this.#refreshMetadata();
    return Infinity;
  }

  /** The topics kafkajs's cluster (this producer's own) fetches metadata for: a field of kafkajs's Cluster, not typed. */
  #targetTopics(): Set<string> {
    return (this.#cluster as unknown as { targetTopics: Set<string> }).targetTopics;
  }

  #leaderOf(p: ProducePartition): number {
    let partitions: ReturnType<Cluster['findTopicPartitionMetadata']>;
    try {
      partitions = this.#cluster.findTopicPartitionMetadata(p.topic);
    } catch {
      return -1;
    }
    for (const m of partitions) if (m.partitionId === p.partition) return m.leader ?? -1;
    return -1;
  }

  /**
   * Fetches the metadata of the topics written to (new ones added one by one: a missing topic must not hold the
   * others); backs off while a partition still has no leader in it (a missing topic, a leader being elected).
   */
  #refreshMetadata(): void {
    this.#metadataRefresh = (async () => {
      const topics = new Set<string>();
      for (const p of this.#unassigned) if (p.hasRecords && !this.#knownTopics.has(p.topic)) topics.add(p.topic);
      for (const topic of topics) {
        try {
          await this.#cluster.addMultipleTargetTopics([topic]);
          this.#knownTopics.add(topic);
        } catch (error) {
          // kafkajs takes the topic back out of its list only for some errors (not, e.g., a request timeout); left
          // in, a missing topic would fail every later refresh, and with it the lookup of every other topic.
          this.#targetTopics().delete(topic);
          this.#lastError = error;
          for (const p of this.#unassigned) if (p.topic === topic) p.lastError = error;
        }
      }
      try {
        await this.#cluster.refreshMetadata();
        this.#metadataVersion++;
      } catch (error) {
        this.#lastError = error;
        for (const p of this.#unassigned) p.lastError = error;
        if ((error as { type?: unknown }).type === 'UNKNOWN_TOPIC_OR_PARTITION') {
          // A topic written to before is gone (deleted): one missing topic fails kafkajs's whole refresh, so every
          // topic is looked up again one by one, and only the missing one keeps waiting.
          this.#targetTopics().clear();
          this.#knownTopics.clear();
        }
      }
      const waiting = [...this.#unassigned].some((p) => p.hasRecords && (this.#metadataVersion < p.metadataWanted || !this.#knownTopics.has(p.topic) || this.#leaderOf(p) < 0));
      if (waiting) {
        this.#metadataRetryAt = Date.now() + this.#metadataBackoffMs;
        this.#metadataBackoffMs = Math.min(this.#metadataBackoffMs * 2, MAX_BACKOFF_MS);
      } else {
        this.#metadataBackoffMs = FIRST_BACKOFF_MS;
      }
    })().finally(() => {
      this.#metadataRefresh = undefined;
      this.#scheduleDrain();
    });
  }

  #link(nodeId: number): BrokerLink {
    let link = this.#links.get(nodeId);
    if (link === undefined) {
      link = { nodeId, broker: undefined, version: MAX_PRODUCE_VERSION, connecting: false, inFlight: 0, gated: false, partitions: [], next: 0, blockedUntil: 0, backoffMs: FIRST_BACKOFF_MS };
      this.#links.set(nodeId, link);
    }
    return link;
  }

  /** Sends requests to one broker while it takes more; returns when to look again (Infinity: nothing waits). */
  #drainLink(link: BrokerLink, now: number): number {
    let wakeAt = Infinity;
    if (link.partitions.length === 0 || link.connecting || link.gated) return wakeAt;
    if (link.broker === undefined || !link.broker.isConnected()) {
      if (!link.partitions.some((p) => p.hasRecords)) return wakeAt;
      if (now < link.blockedUntil) return link.blockedUntil;
      this.#connectLink(link);
      return wakeAt;
    }
    const partial = this.#flushing > 0 || link.inFlight < LINGER_IN_FLIGHT;
    if (link.inFlight >= MAX_IN_FLIGHT) return wakeAt;
    const sent: Sent[] = [];
    let bytes = 0;
    const partitions = link.partitions;
    const first = link.next < partitions.length ? link.next : 0;
    link.next = first + 1;
    for (let k = 0; k < partitions.length; k++) {
      const p = partitions[(first + k) % partitions.length]!;
      if (p.episode !== undefined || p.inFlight.length >= MAX_IN_FLIGHT) continue;
      if (p.blockedUntil > now) {
        if (p.hasRecords) wakeAt = Math.min(wakeAt, p.blockedUntil);
        continue;
      }
      if (p.ready.length === 0) {
        const open = p.open;
        if (open === undefined || open.count === 0 || (!partial && open.builder.size < FULL_BYTES)) continue;
        p.seal();
      }
      if (this.#transaction !== undefined && !this.#transaction.includes(p)) {
        // A transaction's first batch to a partition waits until the partition is in the transaction.
        this.#transaction.add(p);
        continue;
      }
      const batch = p.ready[0]!;
      if (bytes > 0 && bytes + batch.builder.size > MAX_REQUEST_BYTES) continue;
      p.ready.shift();
      if (batch.baseSequence < 0) {
        batch.baseSequence = p.nextSequence;
        p.nextSequence = nextSequence(p.nextSequence, batch.count);
        batch.builder.finish(this.#producerId, this.#producerEpoch, batch.baseSequence, this.#transaction !== undefined);
      }
      batch.attempts++;
      p.inFlight.push(batch);
      sent.push({ partition: p, batch });
      bytes += batch.builder.size;
    }
    if (sent.length > 0) this.#sendRequest(link, sent);
    return wakeAt;
  }

  #connectLink(link: BrokerLink): void {
    link.connecting = true;
    link.broker = undefined;
    this.#cluster.findBroker({ nodeId: String(link.nodeId) }).then(
      (broker) => {
        const b = broker as unknown as KafkajsBroker;
        const supported = b.versions?.[PRODUCE_API_KEY];
        const version = Math.min(MAX_PRODUCE_VERSION, supported?.maxVersion ?? -1);
        link.connecting = false;
        if (version < MIN_PRODUCE_VERSION || (supported?.minVersion ?? 0) > version) {
          this.#giveUp(new ClientError(
            `Broker ${link.nodeId} accepts Produce versions ${supported?.minVersion ?? '?'}–${supported?.maxVersion ?? '?'}, and the kafkajs adapter writes ` +
              `${MIN_PRODUCE_VERSION}–${MAX_PRODUCE_VERSION}: use a Kafka broker of version 0.11 to 4.x`,
            'fatal',
          ));
          return;
        }
        link.broker = b;
        link.version = version;
        link.backoffMs = FIRST_BACKOFF_MS;
        this.#scheduleDrain();
      },
      (error: unknown) => {
        link.connecting = false;
        this.#lastError = error;
        link.blockedUntil = Date.now() + link.backoffMs;
        link.backoffMs = Math.min(link.backoffMs * 2, MAX_BACKOFF_MS);
        // The broker may be gone from the cluster: its partitions look their leaders up again.
        for (const p of [...link.partitions]) {
          p.lastError = error;
          this.#unassign(p);
        }
        this.#scheduleDrain();
      },
    );
  }

  /** Takes the partition from its broker; its leader is looked up again in metadata fetched after now. */
  #unassign(p: ProducePartition): void {
    p.metadataWanted = this.#metadataVersion + 1;
    if (p.leader >= 0) {
      const link = this.#links.get(p.leader);
      const i = link?.partitions.indexOf(p) ?? -1;
      if (i >= 0) link!.partitions.splice(i, 1);
    }
    p.leader = -1;
    this.#unassigned.add(p);
  }

  #sendRequest(link: BrokerLink, sent: readonly Sent[]): void {
    const byTopic = new Map<string, ProducePartitionData[]>();
    for (const { partition: p, batch } of sent) {
      let partitions = byTopic.get(p.topic);
      if (partitions === undefined) byTopic.set(p.topic, (partitions = []));
      partitions.push({ partition: p.partition, batch: batch.builder.bytes });
    }
    const topics: ProduceTopicData[] = [];
    for (const [topic, partitions] of byTopic) topics.push({ topic, partitions });
    // The batches are copied into the request here: their buffers stay ours (to resend, then to reuse).
    const body = encodeProduceRequest(this.#transactionalId ?? null, -1, PRODUCE_TIMEOUT_MS, topics);
    const version = link.version;
    link.inFlight++;
    link.gated = true;
    const ungate = () => {
      if (!link.gated) return;
      link.gated = false;
      this.#scheduleDrain();
    };
    const request: KafkajsProtocolRequest = {
      request: {
        apiKey: PRODUCE_API_KEY,
        apiVersion: version,
        apiName: 'Produce',
        expectResponse: () => true,
        encode: async () => {
          // kafkajs queues the request on the connection right after this: the next request may follow it now.
          ungate();
          return { buf: body, buffer: body };
        },
      },
      response: {
        decode: async (payload) => decodeProduceResponse(payload, version),
        parse: async (decoded) => decoded,
      },
    };
    link.broker!.connectionPool.send(request).then(
      (answer) => {
        ungate();
        link.inFlight--;
        this.#answered(sent, (answer as { topics: ProduceTopicResponse[] }).topics);
      },
      (error: unknown) => {
        ungate();
        link.inFlight--;
        this.#requestFailed(link, sent, error);
      },
    );
  }

  #answered(sent: readonly Sent[], topics: readonly ProduceTopicResponse[]): void {
    for (const { partition: p, batch } of sent) {
      removeInFlight(p, batch);
      const answer = topics.find((t) => t.topic === p.topic)?.partitions.find((a) => a.partition === p.partition);
      if (answer === undefined) {
        this.#batchFailed(p, batch, new ClientError(`The broker's Produce answer did not mention ${p.topic}-${p.partition}`, 'unreachable'));
      } else if (answer.errorCode === 0) {
        if (!batch.failed) batch.acknowledge(answer.baseOffset);
        p.backoffMs = FIRST_BACKOFF_MS;
        this.#pool.give(batch.builder.buffer);
      } else {
        this.#batchFailed(p, batch, createErrorFromCode(answer.errorCode));
      }
    }
    for (const { partition: p } of sent) if (p.episode !== undefined && p.inFlight.length === 0) this.#endEpisode(p);
    this.#scheduleDrain();
  }

  #requestFailed(link: BrokerLink, sent: readonly Sent[], error: unknown): void {
    this.#lastError = error;
    for (const { partition: p, batch } of sent) {
      removeInFlight(p, batch);
      this.#batchFailed(p, batch, error);
    }
    for (const { partition: p } of sent) if (p.episode !== undefined && p.inFlight.length === 0) this.#endEpisode(p);
    // A broken connection is opened again before the next request (kafkajs would reconnect inside a send otherwise,
    // and requests sent meanwhile could pass each other). kafkajs may not have marked it closed yet when this runs.
    const name = (error as { name?: string } | null)?.name;
    if (!link.broker?.isConnected() || name === 'KafkaJSConnectionError' || name === 'KafkaJSConnectionClosedError') link.broker = undefined;
    this.#scheduleDrain();
  }

  /** A batch the broker did not write (or whose answer was lost): retried with the partition's others, or failed. */
  #batchFailed(p: ProducePartition, batch: ProducerBatch, error: unknown): void {
    if (batch.failed) {
      this.#pool.give(batch.builder.buffer);
      return;
    }
    const type = errorTypeOf(error);
    const episode = (p.episode ??= { retry: [], failedFrom: Infinity, lastError: undefined, refreshLeader: false });
    if (type === 'OUT_OF_ORDER_SEQUENCE_NUMBER' && (episode.retry.length > 0 || p.inFlight.some((b) => b.baseSequence < batch.baseSequence))) {
      // Sent after one that failed (or whose answer is still to come): the broker refused it for the gap. Sent again
      // after it; if it is refused again with nothing failed before it, the gap is real.
      episode.retry.push(batch);
      return;
    }
    if (type !== undefined && PRODUCER_FATAL.has(type)) {
      // The broker's state of this producer is not what the producer knows (records lost, the id expired, fenced).
      const fatal = this.#batchError(p, batch, error);
      batch.fail(fatal);
      this.#pool.give(batch.builder.buffer);
      this.#giveUp(fatal);
      return;
    }
    const retriable = type !== 'CORRUPT_MESSAGE' && (error instanceof ClientError ? error.retriable : isRetriable(error));
    if (retriable) {
      episode.retry.push(batch);
      episode.lastError = p.lastError = error;
      if (type === undefined || !KEEPS_LEADER.has(type)) episode.refreshLeader = true;
      return;
    }
    this.#failFrom(p, batch, this.#batchError(p, batch, error));
  }

  /**
   * `batch` failed for good: it and every later batch of the partition fail (nothing after a lost record is written),
   * and the partition's sequence goes back to the batch's once nothing is in flight.
   */
  #failFrom(p: ProducePartition, batch: ProducerBatch, error: ClientError): void {
    const episode = (p.episode ??= { retry: [], failedFrom: Infinity, lastError: undefined, refreshLeader: false });
    const from = batch.baseSequence;
    if (from < episode.failedFrom) episode.failedFrom = from;
    batch.fail(error);
    this.#pool.give(batch.builder.buffer);
    for (const b of p.inFlight) if (b.baseSequence > from) b.fail(error);
    for (let i = episode.retry.length - 1; i >= 0; i--) {
      const b = episode.retry[i]!;
      if (b.baseSequence > from) {
        b.fail(error);
        this.#pool.give(b.builder.buffer);
        episode.retry.splice(i, 1);
      }
    }
    this.#failUnsent(p, error);
  }

  /** Fails the partition's batches not sent yet (the ready ones after retries, and the open one). */
  #failUnsent(p: ProducePartition, error: unknown): void {
    for (const b of p.ready) {
      b.fail(error);
      this.#pool.give(b.builder.buffer);
    }
    p.ready.length = 0;
    if (p.open !== undefined) {
      p.open.fail(error);
      this.#pool.give(p.open.builder.buffer);
      p.open = undefined;
    }
  }

  /** Nothing of the partition in flight any more: resend what failed retriably (after a backoff), or give up. */
  #endEpisode(p: ProducePartition): void {
    const episode = p.episode!;
    p.episode = undefined;
    if (episode.failedFrom !== Infinity) p.nextSequence = episode.failedFrom;
    if (episode.retry.length > 0) {
      const first = episode.retry[0]!;
      const elapsed = Date.now() - first.createdAt;
      if (elapsed + p.backoffMs > this.#deliveryTimeoutMs) {
        const error = this.#batchError(p, first, episode.lastError);
        // Whether the broker wrote it is not known, nor with it the partition's next sequence number.
        const timedOut = new ClientError(`${error.message} (${first.attempts} tries in ${(elapsed / 1000).toFixed(1)} s)`, error.reason, { partitions: error.partitions, cause: error.cause });
        for (const b of episode.retry) b.fail(timedOut);
        this.#giveUp(timedOut);
        return;
      }
      p.ready.unshift(...episode.retry);
      p.blockedUntil = Date.now() + p.backoffMs;
      p.backoffMs = Math.min(p.backoffMs * 2, MAX_BACKOFF_MS);
    }
    if (episode.refreshLeader) this.#unassign(p);
  }

  /** Fails the batches that waited longer than the delivery timeout for a leader or a connection. */
  #expireWaiting(now: number): void {
    for (const partitions of this.#topics.values()) {
      for (const p of partitions) {
        if (p === undefined || p.inFlight.length > 0 || p.episode !== undefined) continue;
        const oldest = p.ready[0] ?? (p.open !== undefined && p.open.count > 0 ? p.open : undefined);
        if (oldest === undefined || now - oldest.createdAt <= this.#deliveryTimeoutMs) continue;
        const cause = p.lastError ?? this.#lastError ?? new ClientError(`no leader for ${p.topic}-${p.partition} is known`, 'unreachable');
        const error = this.#batchError(p, oldest, cause);
        const timedOut = new ClientError(`${error.message} (no broker took them within ${(this.#deliveryTimeoutMs / 1000).toFixed(1)} s)`, error.reason, { partitions: error.partitions, cause });
        if (oldest.baseSequence >= 0) {
          // A batch sent before (waiting to be sent again): the broker may have it.
          this.#giveUp(timedOut);
          return;
        }
        this.#failUnsent(p, timedOut);
      }
    }
  }

  /** The failure of a batch as the seam's ClientError, naming its topic-partition (and the fix for a record too large). */
  #batchError(p: ProducePartition, batch: ProducerBatch, error: unknown): ClientError {
    const mapped = toClientError(error, `Producing ${batch.count} records to ${p.topic}`);
    const type = errorTypeOf(error);
    const hint = type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE'
      ? ` — a record is larger than the topic accepts: raise max.message.bytes of ${p.topic} (and the broker's message.max.bytes), or write smaller records`
      : type === 'OUT_OF_ORDER_SEQUENCE_NUMBER'
        ? ' — the broker is missing earlier records of this producer for the partition (lost by the broker, or deleted): they are not written again'
        : '';
    return new ClientError(`${mapped.message}${hint}`, mapped.reason, { partitions: mapped.partitions.length > 0 ? mapped.partitions : [{ topic: p.topic, partition: p.partition }], cause: error });
  }

  /** The producer cannot go on (a write's outcome is unknown): every send, pending and later, rejects. */
  #giveUp(error: ClientError): void {
    this.#failure ??= error;
    this.#failAll(this.#failure);
  }

  #failAll(error: unknown): void {
    for (const partitions of this.#topics.values()) {
      for (const p of partitions) {
        if (p === undefined) continue;
        for (const b of p.inFlight) b.fail(error);
        if (p.episode !== undefined) for (const b of p.episode.retry) b.fail(error);
        this.#failUnsent(p, error);
      }
    }
  }
}

function isRetriable(error: unknown): boolean {
  const { reason } = reasonOf(error);
  return reason === 'unreachable' || reason === 'unknown-topic';
}

function removeInFlight(p: ProducePartition, batch: ProducerBatch): void {
  const i = p.inFlight.indexOf(batch);
  if (i >= 0) p.inFlight.splice(i, 1);
}

/**
 * A record the producer refuses before anything of the send is written: one without a valid partition, or with a
 * header whose value is null (which kafkajs, the adapter's client, never produced: refused as before).
 */
function invalidRecord(records: readonly ProducerRecord[]): ClientError | undefined {
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const partition = record.partition;
    // (p >>> 0) === p: an integer from 0 to 2^32 - 1, in one comparison (this runs for every record sent).
    if (partition >>> 0 !== partition) {
      return new ClientError(`A record for ${record.topic} has no valid partition (${record.partition}): the runtime's RecordSink always gives one`, 'fatal');
    }
    if (record.headers.length === 0) continue;
    for (const { key, value } of record.headers) {
      if (value !== null) continue;
      return new ClientError(
        `A record for ${record.topic}-${record.partition} has header '${key}' with a null value, which kafkajs cannot produce; ` +
          `give the header an empty value instead`,
        'fatal',
        { partitions: [{ topic: record.topic, partition: record.partition }] },
      );
    }
  }
  return undefined;
}
