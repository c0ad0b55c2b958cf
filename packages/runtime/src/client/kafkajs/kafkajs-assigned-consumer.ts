import { createRequire } from 'node:module';
import type { Cluster, Kafka, KafkaMessage } from 'kafkajs';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';
import type { AssignedConsumer, AssignedConsumerOptions } from '../assigned-consumer.ts';
import type { FetchedPartition } from '../fetched-partition.ts';
import { connectWithin, type ConnectPolicy } from './connect-within.ts';
import { FetchBuffer, keyOf } from './fetch-buffer.ts';
import { kafkajsCluster } from './kafkajs-cluster.ts';
import { reasonOf, toClientError } from './kafkajs-errors.ts';
import { fromKafkajsMessage } from './kafkajs-records.ts';
import { decodeFetchesOf, decodedPartitionOf } from './kafkajs-fast-fetch.ts';
import { ArrayRecordReader } from './record-reader.ts';
import { Signal } from '../signal.ts';

/** How long a fetch waits on the broker for records (a caught-up partition answers after it). */
const MAX_WAIT_TIME_MS = 500;
const MAX_BYTES_PER_PARTITION = 1024 * 1024;
const MAX_BYTES = 16 * 1024 * 1024;
const READ_UNCOMMITTED = 0;
const READ_COMMITTED = 1;

/** What kafkajs's Fetch returns per partition (its Broker#fetch is typed `any`). */
interface FetchedPartitionData {
  readonly partition: number;
  readonly highWatermark: string;
  readonly lastStableOffset: string;
  readonly abortedTransactions: unknown[];
  readonly messages: (KafkaMessage & { readonly isControlRecord?: boolean })[];
}

/**
 * kafkajs's own Batch, for an answer kafkajs decoded itself (our decoder reads this consumer's fetches: see
 * kafkajs-fast-fetch.ts): drops records before the fetch offset (a fetch answers from the start of a record batch),
 * control records and, under read_committed, records of aborted transactions, as our decoder does.
 */
interface KafkajsBatch {
  readonly messages: KafkaMessage[];
  readonly messagesWithinOffset: KafkaMessage[];
}
const Batch = createRequire(import.meta.url)('kafkajs/src/consumer/batch.js') as new (
  topic: string,
  fetchedOffset: string,
  partitionData: FetchedPartitionData,
) => KafkajsBatch;

/**
 * AssignedConsumer over kafkajs's low-level Fetch: kafkajs has no consumer with manual assignment (every kafkajs
 * consumer is a group member, and changing what it reads means leaving and rejoining its group). Instead a kafkajs
 * Cluster of its own (kafkajsCluster) sends Fetch requests straight to each partition's leader, from positions this
 * class keeps: no group, no commits, any partition at any offset, as Java's KafkaConsumer#assign.
 *
 * A background loop fetches the assigned, positioned, unpaused partitions while fewer than maxBufferedRecords records
 * are buffered (run-ahead: that bound plus one fetch response); polls take from the buffer. A fetch that finds a
 * partition out of range stops fetching it and the next poll rejects with 'offset-out-of-range' naming it, until a
 * seek. A broker that keeps failing for connectTimeoutMs rejects the next poll with 'unreachable'.
 */
export class KafkajsAssignedConsumer implements AssignedConsumer {
  readonly #cluster: Cluster;
  readonly #policy: ConnectPolicy;
  readonly #options: AssignedConsumerOptions;
  readonly #buffer = new FetchBuffer();
  readonly #arrived = new Signal();
  /** Polls took records, or the set of partitions or positions changed: the fetch loop looks again. */
  readonly #changed = new Signal();
  readonly #assigned = new Map<string, TopicPartition>();
  /** Where the next fetch of each partition starts; symbolic until resolved. */
  readonly #fetchPositions = new Map<string, number | 'earliest' | 'latest'>();
  /** What position() reports: the offset after what polls returned, or where a seek put the partition. */
  readonly #positions = new Map<string, number>();
  /** Bumped at every seek or unassign: a fetch answer for an older version of the position is dropped. */
  readonly #versions = new Map<string, number>();
  readonly #paused = new Set<string>();
  /** Partitions whose position is out of range, and the error the next poll rejects with. */
  readonly #outOfRange = new Map<string, ClientError>();
  #failure: ClientError | undefined;
  #connected: Promise<void> | undefined;
  #loop: Promise<void> | undefined;
  #closed = false;
  /** Ends our decoding of this consumer's fetches (kafkajs-fast-fetch.ts). */
  readonly #endFastFetch: () => void;

  constructor(kafka: Kafka, policy: ConnectPolicy, options: AssignedConsumerOptions) {
    if (!(options.maxBufferedRecords >= 1)) {
      throw new TypeError(`AssignedConsumerOptions.maxBufferedRecords must be at least 1, got ${options.maxBufferedRecords}`);
    }
    this.#policy = policy;
    this.#options = options;
    this.#cluster = kafkajsCluster(kafka, options.isolation);
    this.#endFastFetch = decodeFetchesOf(this.#cluster);
  }

  connect(): Promise<void> {
    this.#connected ??= connectWithin(this.#policy, 'Connecting the assigned consumer', () => this.#cluster.connect(), () => this.#cluster.disconnect()).then(
      () => {
        this.#loop = this.#fetchLoop();
      },
    );
    return this.#connected;
  }

  assign(partitions: readonly TopicPartition[]): void {
    const wanted = new Map(partitions.map((tp) => [keyOf(tp), { topic: tp.topic, partition: tp.partition }]));
    for (const [key, tp] of this.#assigned) {
      if (wanted.has(key)) continue;
      this.#assigned.delete(key);
      this.#fetchPositions.delete(key);
      this.#positions.delete(key);
      this.#paused.delete(key);
      this.#outOfRange.delete(key);
      this.#bump(key);
      this.#buffer.drop(tp);
    }
    for (const [key, tp] of wanted) this.#assigned.set(key, tp);
    this.#changed.notify();
  }

  seek(partition: TopicPartition, offset: number | 'earliest' | 'latest'): void {
    const key = keyOf(partition);
    if (!this.#assigned.has(key)) {
      throw new ClientError(`seek(${partition.topic}-${partition.partition}): the partition is not assigned; assign() it first`, 'fatal');
    }
    this.#fetchPositions.set(key, offset);
    if (typeof offset === 'number') this.#positions.set(key, offset);
    else this.#positions.delete(key);
    this.#outOfRange.delete(key);
    this.#bump(key);
    this.#buffer.drop(partition);
    this.#changed.notify();
  }

  position(partition: TopicPartition): number | undefined {
    return this.#positions.get(keyOf(partition));
  }

  async poll(options: { readonly maxRecords: number; readonly timeoutMs: number }): Promise<readonly FetchedPartition[]> {
    if (this.#closed) throw new ClientError('poll() on a closed assigned consumer', 'fatal');
    await this.connect();
    const deadline = Date.now() + options.timeoutMs;
    const excluded = (tp: TopicPartition) => this.#paused.has(keyOf(tp)) || !this.#assigned.has(keyOf(tp));
    for (;;) {
      if (this.#failure !== undefined) throw this.#failure;
      const outOfRange = [...this.#outOfRange.values()];
      if (outOfRange.length > 0) {
        this.#outOfRange.clear();
        throw outOfRange.length === 1
          ? outOfRange[0]
          : new ClientError(outOfRange.map((e) => e.message).join('; '), 'offset-out-of-range', { partitions: outOfRange.flatMap((e) => e.partitions) });
      }
      if (this.#closed) return [];
      if (this.#buffer.hasRecords(excluded) || Date.now() >= deadline) {
        const taken = this.#buffer.take(options.maxRecords, excluded);
        for (const entry of taken) this.#positions.set(keyOf(entry), entry.nextOffset);
        this.#changed.notify();
        return taken;
      }
      await this.#arrived.wait(deadline - Date.now());
    }
  }

  pause(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) if (this.#assigned.has(keyOf(tp))) this.#paused.add(keyOf(tp));
  }

  resume(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.#paused.delete(keyOf(tp));
    this.#changed.notify();
    this.#arrived.notify();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#changed.notify();
    this.#arrived.notify();
    await this.#loop?.catch(() => undefined);
    await this.#cluster.disconnect().catch(() => undefined);
    this.#endFastFetch();
  }

  /** Records fetched and not yet returned by poll. */
  get bufferedRecords(): number {
    return this.#buffer.size;
  }

  #bump(key: string): void {
    this.#versions.set(key, (this.#versions.get(key) ?? 0) + 1);
  }

  async #fetchLoop(): Promise<void> {
    let failingSince: number | undefined;
    let backoff = 100;
    while (!this.#closed) {
      const wanted = [...this.#assigned].filter(
        ([key]) => !this.#paused.has(key) && !this.#outOfRange.has(key) && this.#fetchPositions.has(key),
      );
      if (wanted.length === 0 || this.#buffer.size >= this.#options.maxBufferedRecords) {
        await this.#changed.wait(MAX_WAIT_TIME_MS);
        continue;
      }
      try {
        await this.#fetchOnce(wanted.map(([, tp]) => tp));
        failingSince = undefined;
        backoff = 100;
      } catch (error) {
        const { reason, partition } = reasonOf(error);
        if (reason === 'offset-out-of-range' && partition !== undefined) {
          const key = keyOf(partition);
          this.#outOfRange.set(
            key,
            new ClientError(
              `Fetching ${partition.topic}-${partition.partition} at offset ${String(this.#fetchPositions.get(key))}: the offset is outside the log ` +
                `(retention or deleted records removed it); seek to 'earliest' to read what is left`,
              'offset-out-of-range',
              { partitions: [partition], cause: error },
            ),
          );
          this.#arrived.notify();
          continue;
        }
        if (reason === 'fatal') {
          this.#failure = toClientError(error, 'Fetching for the assigned consumer');
          this.#arrived.notify();
          return;
        }
        // Unreachable, a leader moved, a topic not yet known: new metadata, then again, for a bounded time.
        failingSince ??= Date.now();
        if (Date.now() - failingSince > this.#policy.timeoutMs) {
          this.#failure = toClientError(error, `Fetching for the assigned consumer for ${Math.round((Date.now() - failingSince) / 1000)} s`);
          this.#arrived.notify();
          return;
        }
        await this.#cluster.refreshMetadata().catch(() => undefined);
        await this.#changed.wait(backoff);
        backoff = Math.min(backoff * 2, 1_000);
      }
    }
  }

  /** One Fetch per leader of the partitions, in parallel; their records go into the buffer. */
  async #fetchOnce(partitions: readonly TopicPartition[]): Promise<void> {
    const topics = [...new Set(partitions.map((tp) => tp.topic))];
    await this.#cluster.addMultipleTargetTopics(topics);
    await this.#resolveSymbolicPositions(partitions);
    const requests = new Map<number, Map<string, { partition: number; fetchOffset: string; maxBytes: number }[]>>();
    const versions = new Map<string, number | undefined>();
    for (const topic of topics) {
      const ofTopic = partitions.filter((tp) => tp.topic === topic && typeof this.#fetchPositions.get(keyOf(tp)) === 'number');
      const byLeader = this.#cluster.findLeaderForPartitions(
        topic,
        ofTopic.map((tp) => tp.partition),
      );
      for (const [nodeId, leaderPartitions] of Object.entries(byLeader)) {
        const node = Number(nodeId);
        if (!requests.has(node)) requests.set(node, new Map());
        requests.get(node)!.set(
          topic,
          leaderPartitions.map((partition) => {
            const key = keyOf({ topic, partition });
            versions.set(key, this.#versions.get(key));
            return { partition, fetchOffset: String(this.#fetchPositions.get(key)), maxBytes: MAX_BYTES_PER_PARTITION };
          }),
        );
      }
    }
    await Promise.all(
      [...requests].map(async ([nodeId, byTopic]) => {
        const broker = await this.#cluster.findBroker({ nodeId: String(nodeId) });
        const { responses } = (await broker.fetch({
          isolationLevel: this.#options.isolation === 'read_committed' ? READ_COMMITTED : READ_UNCOMMITTED,
          maxWaitTime: MAX_WAIT_TIME_MS,
          minBytes: 1,
          maxBytes: MAX_BYTES,
          topics: [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps })),
        })) as { responses: { topicName: string; partitions: FetchedPartitionData[] }[] };
        for (const { topicName, partitions: answered } of responses) {
          for (const data of answered) this.#accept(topicName, data, versions);
        }
      }),
    );
    this.#arrived.notify();
  }

  #accept(topic: string, data: FetchedPartitionData, versions: ReadonlyMap<string, number | undefined>): void {
    const tp = { topic, partition: data.partition };
    const key = keyOf(tp);
    const fetchOffset = this.#fetchPositions.get(key);
    // Unassigned or sought while the fetch was out: the answer is for a position no longer wanted.
    if (!this.#assigned.has(key) || typeof fetchOffset !== 'number' || this.#versions.get(key) !== versions.get(key)) return;
    const end = Number(this.#options.isolation === 'read_committed' ? data.lastStableOffset : data.highWatermark);
    const decoded = decodedPartitionOf(data);
    let nextOffset: number;
    if (decoded !== undefined) {
      nextOffset = decoded.nextOffset;
      this.#buffer.add(tp, decoded.records, nextOffset, end);
    } else {
      const batch = new Batch(topic, String(fetchOffset), data);
      const within = batch.messagesWithinOffset;
      nextOffset = within.length > 0 ? Number(within[within.length - 1]!.offset) + 1 : fetchOffset;
      this.#buffer.add(tp, new ArrayRecordReader(batch.messages.map(fromKafkajsMessage)), nextOffset, end);
    }
    this.#fetchPositions.set(key, nextOffset);
  }

  /** 'earliest' / 'latest' positions become offsets (ListOffsets, with the consumer's isolation). */
  async #resolveSymbolicPositions(partitions: readonly TopicPartition[]): Promise<void> {
    for (const which of ['earliest', 'latest'] as const) {
      const pending = partitions.filter((tp) => this.#fetchPositions.get(keyOf(tp)) === which);
      if (pending.length === 0) continue;
      const versions = new Map(pending.map((tp) => [keyOf(tp), this.#versions.get(keyOf(tp))]));
      const answered = await this.#cluster.fetchTopicsOffset(
        [...new Set(pending.map((tp) => tp.topic))].map((topic) => ({
          topic,
          partitions: pending.filter((tp) => tp.topic === topic).map(({ partition }) => ({ partition })),
          fromBeginning: which === 'earliest',
        })),
      );
      for (const { topic, partitions: offsets } of answered) {
        for (const { partition, offset } of offsets) {
          const key = keyOf({ topic, partition });
          if (this.#versions.get(key) !== versions.get(key) || this.#fetchPositions.get(key) !== which) continue;
          this.#fetchPositions.set(key, Number(offset));
          if (!this.#positions.has(key)) this.#positions.set(key, Number(offset));
        }
      }
    }
  }
}
