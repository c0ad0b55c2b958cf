import type { Admin, Batch, Cluster, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { FetchedPartition } from '../fetched-partition.ts';
import type { CommittedOffset, GroupConsumer, GroupConsumerOptions, RebalanceListener } from '../group-consumer.ts';
import type { MemberAssignment } from '../group-assignor.ts';
import { connectWithin, type ConnectPolicy } from './connect-within.ts';
import { FetchBuffer, keyOf } from './fetch-buffer.ts';
import { kafkajsAssigner, takeAssignedUserData } from './kafkajs-assigner.ts';
import { holdRebalances } from './kafkajs-rebalance-hold.ts';
import { forgetGeneration, generationOf, trackGroupGenerations } from './kafkajs-group-generation.ts';
import type { ConsumerGroupMetadata } from '../consumer-group-metadata.ts';
import {
  OFFSET_FETCH_API_KEY, OFFSET_FETCH_VERSION, UNSTABLE_OFFSET_COMMIT, decodeOffsetFetchResponse, encodeOffsetFetchRequest,
} from '../record-batch/offset-fetch-request.ts';
import { toClientError } from './kafkajs-errors.ts';
import { fromKafkajsMessage } from './kafkajs-records.ts';
import { decodeFetchesOf, decodedRecordsOf } from './kafkajs-fast-fetch.ts';
import { ArrayRecordReader, type RecordReader } from './record-reader.ts';
import { Signal } from '../signal.ts';
import { createRequire } from 'node:module';

/** kafkajs's protocol errors by code, as its own requests raise them. */
const { createErrorFromCode } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as {
  createErrorFromCode(code: number): Error & { readonly type: string; readonly retriable: boolean };
};

/**
 * kafkajs's fetch wait: its default (5 s) makes every rebalance take ~5 s (a member learns of it after its fetch);
 * 500 ms brings that to ~0.5 s (FACTS.md).
 */
const MAX_WAIT_TIME_MS = 500;
/** How often a fetch held by backpressure heartbeats (kafkajs sends one only when its interval has passed). */
const HOLD_HEARTBEAT_MS = 500;
/** How long a read of the committed offsets waits for open transactions to end before it fails (retriably). */
const STABLE_OFFSETS_MS = 30_000;
/** How often a poll without records asks the broker whether idle partitions are caught up. */
const IDLE_PROBE_MS = 1_000;

type PendingEvent =
  /** Our fetch callback learnt of a rebalance and holds kafkajs's rejoin until onRevoked ran (release). */
  | { readonly kind: 'revoke'; readonly release: () => void }
  /** kafkajs completed a join: the member's new assignment. */
  | { readonly kind: 'joined'; readonly assignment: MemberAssignment };

/**
 * GroupConsumer over a kafkajs consumer run with `eachBatch`, offsets committed only by commit() (autoCommit off).
 *
 * **Pull over push, with backpressure.** kafkajs pushes each partition's batch into eachBatch and fetches again when
 * it returns. eachBatch puts the batch into a buffer that poll() takes from, and returns only once the buffer holds
 * fewer than maxBufferedRecords records of unpaused partitions: fetching never runs ahead of polls by more than
 * maxBufferedRecords plus one fetched batch (at most maxBytesPerPartition, 1 MiB), besides what paused partitions
 * hold (each at most what it had when paused plus one batch). While it waits, it heartbeats.
 *
 * **Rebalances.** kafkajs rebalances eagerly and has no revoke callback: it rejoins as soon as it learns of a
 * rebalance. Where it learns of it decides what the runtime gets:
 * - From a heartbeat (after each batch, while eachBatch waits on backpressure, after an empty fetch: how a member
 *   normally learns of it): kafkajs-rebalance-hold.ts holds the rejoin, the next poll runs onRevoked for every
 *   partition owned — the member is still in its generation, so the commits made there are accepted — and only then
 *   does the heartbeat's error go on to kafkajs, which rejoins.
 * - Elsewhere (a fetch answered with stale metadata, an unknown member id, a restart after a crash): kafkajs has
 *   rejoined already when poll hears of it. The partitions the new assignment keeps can still be committed (this
 *   member owns them in the new generation): they get onRevoked, and are then read again from the offsets committed
 *   there. Those it lost get onLost (close dirty). Between the rejoin and those callbacks, commit() refuses with
 *   'rebalanced'.
 * Either way onAssigned follows with the new assignment and the userData our assignor gave (kafkajs-assigner.ts).
 * At-least-once holds in both: offsets are committed only by the runtime, after its outputs are durable; a lost
 * partition is re-read by its next owner from the last commit. And no offset is returned twice within a partition's
 * run (from its assignment or a seek): a fetch that comes late is cut to what was not buffered yet.
 *
 * **Caught up.** kafkajs does not hand empty fetches to eachBatch, so a partition with nothing new would never show
 * as caught up; a poll that finds no records asks the broker (at most every second) for the end offsets of idle
 * partitions and reports those at their end as empty entries with lag 0.
 */
export class KafkajsGroupConsumer implements GroupConsumer {
  readonly #policy: ConnectPolicy;
  readonly #options: GroupConsumerOptions;
  readonly #consumer: Consumer;
  readonly #admin: Admin;
  /** kafkajs's Cluster of the consumer (its connections): the stable offset fetch goes through it. */
  readonly #cluster: Cluster;
  readonly #buffer = new FetchBuffer();
  /** Records arrived or a callback is due: a waiting poll looks again. */
  readonly #arrived = new Signal();
  /** Polls took records: a fetch held by backpressure looks again. */
  readonly #drained = new Signal();
  #listener: RebalanceListener | undefined;
  readonly #events: PendingEvent[] = [];
  /** The partitions the runtime was given (onAssigned) and not yet revoked or lost. */
  #owned: TopicPartition[] = [];
  #ownedKeys = new Set<string>();
  /** kafkajs's current assignment (its last join). */
  #current = new Set<string>();
  readonly #paused = new Set<string>();
  /** A rebalance happened that the runtime has not been told of yet: commits outside the callbacks are refused. */
  #rebalancePending = false;
  /** eachBatch held the rejoin of the rebalance under way: kafkajs's REBALANCING event is then expected. */
  #heldRebalance = false;
  /**
   * The member's generation is over (a rebalance was held or kafkajs is rejoining) and kafkajs has not joined again:
   * batches it still hands to eachBatch were fetched in the old generation (see #eachBatch).
   */
  #generationEnded = false;
  #inCallbacks = false;
  #callbacks: Promise<void> = Promise.resolve();
  #fatal: ClientError | undefined;
  #running = false;
  #closing = false;
  #closed: Promise<void> | undefined;
  /** Where each owned partition's next record starts, as far as polls returned it (for the idle probe). */
  readonly #positions = new Map<string, number>();
  /**
   * Per partition, the offset the next record added to the buffer must have at least: the end of what was buffered
   * (or returned) since the partition's current run began — the join, or a seek. A fetch that reaches the adapter
   * late (from before a seek, or of a generation that ended) is never handed out a second time: see #eachBatch.
   */
  readonly #fetched = new Map<string, number>();
  /** Ends the rebalance hold of the current member id (kafkajs-rebalance-hold.ts). */
  #endHold: (() => void) | undefined;
  #memberId: string | undefined;
  /** Partitions reported caught up since their last records. */
  readonly #caughtUp = new Set<string>();
  /** Batches added per partition: an idle probe applies only if none arrived meanwhile. */
  readonly #arrivals = new Map<string, number>();
  #lastProbe = 0;
  /** The idle probe under way: close() awaits it (kafkajs's admin reconnects for a request after its disconnect). */
  #probing: Promise<void> | undefined;
  /** Ends our decoding of this consumer's fetches (kafkajs-fast-fetch.ts). */
  readonly #endFastFetch: () => void;

  constructor(kafka: Kafka, policy: ConnectPolicy, options: GroupConsumerOptions) {
    if (!(options.maxBufferedRecords >= 1)) {
      throw new TypeError(`GroupConsumerOptions.maxBufferedRecords must be at least 1, got ${options.maxBufferedRecords}`);
    }
    this.#policy = policy;
    this.#options = options;
    trackGroupGenerations();
    const sessionTimeout = options.sessionTimeoutMs ?? 45_000;
    const assigner = kafkajsAssigner(options.assignor, (error) => this.#fail(error, `The assignor ${options.assignor.name}`));
    let cluster: Cluster | undefined;
    this.#consumer = kafka.consumer({
      groupId: options.groupId,
      // kafkajs hands the consumer's Cluster to its assigners as it creates it: our decoder reads its fetches.
      partitionAssigners: [
        (config) => {
          cluster = config.cluster;
          return assigner(config);
        },
      ],
      sessionTimeout,
      rebalanceTimeout: options.rebalanceTimeoutMs ?? 300_000,
      heartbeatInterval: Math.min(3_000, Math.floor(sessionTimeout / 3)),
      maxWaitTimeInMs: MAX_WAIT_TIME_MS,
      readUncommitted: options.isolation === 'read_uncommitted',
      allowAutoTopicCreation: false,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
    if (cluster === undefined) throw new Error('kafkajs did not hand its Cluster to the partition assigner factory: this kafkajs version is not supported');
    this.#cluster = cluster;
    this.#endFastFetch = decodeFetchesOf(cluster);
    this.#admin = kafka.admin();
    const { GROUP_JOIN, REBALANCING, CRASH, STOP } = this.#consumer.events;
    this.#consumer.on(GROUP_JOIN, ({ payload }) => this.#joined(payload.memberId, payload.memberAssignment));
    this.#consumer.on(REBALANCING, () => this.#rebalancing());
    this.#consumer.on(CRASH, ({ payload }) => {
      if (payload.restart) {
        // kafkajs restarts the consumer (a retriable failure): it rejoins as after a rebalance.
        this.#rebalancing();
      } else {
        this.#fail(payload.error, 'The group consumer');
      }
    });
    // kafkajs stops the consumer also to restart it after a retriable crash: only close() and a fatal crash end it.
    this.#consumer.on(STOP, () => this.#arrived.notify());
  }

  /**
   * kafkajs's subscribe reads the topics' metadata and fails on UNKNOWN_TOPIC_OR_PARTITION. The application checked
   * its source topics and created its internal ones just before, so that answer means a topic still propagating —
   * seen in CI for a repartition topic that `--from-beginning`'s reset had deleted and the run created again: the
   * broker answers it for a moment after the create succeeded. Retried for at most the connect timeout.
   */
  async #subscribeOnceKnown(topics: readonly string[], fromBeginning: boolean): Promise<void> {
    const deadline = Date.now() + this.#policy.timeoutMs;
    for (let backoff = 100; ; backoff = Math.min(backoff * 2, 1_000)) {
      try {
        await this.#consumer.subscribe({ topics: [...topics], fromBeginning });
        return;
      } catch (error) {
        if (toClientError(error, 'Subscribing').reason !== 'unknown-topic' || Date.now() + backoff > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, backoff));
      }
    }
  }

  async subscribe(topics: readonly string[], listener: RebalanceListener): Promise<void> {
    if (this.#listener !== undefined) throw new TypeError('GroupConsumer.subscribe: called twice');
    this.#listener = listener;
    await connectWithin(this.#policy, `Connecting the group consumer of ${this.#options.groupId}`, () => this.#consumer.connect(), () => this.#consumer.disconnect());
    await connectWithin(this.#policy, `Connecting the group consumer of ${this.#options.groupId}`, () => this.#admin.connect(), () => this.#admin.disconnect());
    const earliest = topics.filter((topic) => this.#options.offsetReset(topic) === 'earliest');
    const latest = topics.filter((topic) => this.#options.offsetReset(topic) !== 'earliest');
    try {
      if (earliest.length > 0) await this.#subscribeOnceKnown(earliest, true);
      if (latest.length > 0) await this.#subscribeOnceKnown(latest, false);
      this.#running = true;
      // Resolves once kafkajs joined the group for the first time (GROUP_JOIN was emitted).
      await this.#consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: true,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => this.#eachBatch(payload),
      });
    } catch (error) {
      throw toClientError(error, `Subscribing group ${this.#options.groupId} to ${topics.join(', ')}`);
    }
    const deadline = Date.now() + this.#policy.timeoutMs + (this.#options.rebalanceTimeoutMs ?? 300_000);
    while (!this.#events.some((event) => event.kind === 'joined')) {
      if (this.#fatal !== undefined) throw this.#fatal;
      if (Date.now() > deadline) {
        throw new ClientError(`Group ${this.#options.groupId} did not complete its first join in time`, 'unreachable');
      }
      await this.#arrived.wait(200);
    }
    await this.#runCallbacks();
    if (this.#fatal !== undefined) throw this.#fatal;
  }

  async poll(options: { readonly maxRecords: number; readonly timeoutMs: number }): Promise<readonly FetchedPartition[]> {
    if (this.#closed !== undefined) throw new ClientError(`poll() on the closed group consumer of ${this.#options.groupId}`, 'fatal');
    const deadline = Date.now() + options.timeoutMs;
    const excluded = (tp: TopicPartition) => {
      const key = keyOf(tp);
      return this.#paused.has(key) || !this.#ownedKeys.has(key);
    };
    for (;;) {
      if (this.#fatal !== undefined) throw this.#fatal;
      await this.#runCallbacks();
      if (this.#fatal !== undefined) throw this.#fatal;
      if (this.#closing) return [];
      if (!this.#running) throw new TypeError('GroupConsumer.poll: subscribe() first');
      if (this.#buffer.hasRecords(excluded) || Date.now() >= deadline) {
        const taken = this.#buffer.take(options.maxRecords, excluded);
        for (const entry of taken) {
          const key = keyOf(entry);
          this.#positions.set(key, entry.nextOffset);
          if (entry.lag === 0) this.#caughtUp.add(key);
          else this.#caughtUp.delete(key);
        }
        if (this.#runAhead() < this.#options.maxBufferedRecords) this.#drained.notify();
        return taken;
      }
      this.#probeIdle();
      await this.#arrived.wait(Math.min(deadline - Date.now(), IDLE_PROBE_MS));
    }
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const what = `Committing the offsets of ${offsets.map((o) => `${o.topic}-${o.partition}@${o.offset}`).join(', ')} for group ${this.#options.groupId}`;
    if (!this.#running || (this.#closed !== undefined && !this.#inCallbacks)) {
      throw new ClientError(`${what} failed: the consumer is not in the group`, 'rebalanced', { partitions: offsets });
    }
    if (this.#rebalancePending && !this.#inCallbacks) {
      throw new ClientError(`${what} failed: the group rebalanced; the partitions are handed out again`, 'rebalanced', { partitions: offsets });
    }
    const notOwned = offsets.filter((o) => !this.#current.has(keyOf(o)));
    if (notOwned.length > 0) {
      throw new ClientError(`${what} failed: this member does not own ${notOwned.map((o) => `${o.topic}-${o.partition}`).join(', ')}`, 'rebalanced', {
        partitions: notOwned,
      });
    }
    try {
      await this.#consumer.commitOffsets(offsets.map(({ topic, partition, offset, metadata }) => ({ topic, partition, offset: String(offset), metadata: metadata ?? null })));
    } catch (error) {
      throw toClientError(error, what);
    }
  }

  async committed(partitions: readonly TopicPartition[]): Promise<readonly CommittedOffset[]> {
    if (partitions.length === 0) return [];
    if (this.#options.isolation === 'read_committed') return this.#stableCommitted(partitions);
    let answers: Awaited<ReturnType<Admin['fetchOffsets']>>;
    try {
      answers = await this.#admin.fetchOffsets({ groupId: this.#options.groupId, topics: [...new Set(partitions.map((p) => p.topic))] });
    } catch (error) {
      throw toClientError(error, `Reading the committed offsets of group ${this.#options.groupId}`);
    }
    const found = new Map<string, { offset: number; metadata: string | null }>();
    for (const { topic, partitions: entries } of answers) {
      for (const { partition, offset, metadata } of entries) {
        if (Number(offset) >= 0) found.set(keyOf({ topic, partition }), { offset: Number(offset), metadata });
      }
    }
    return partitions.map(({ topic, partition }) => {
      const c = found.get(keyOf({ topic, partition }));
      return { topic, partition, offset: c?.offset, ...(c?.metadata ? { metadata: c.metadata } : {}) };
    });
  }

  groupMetadata(): ConsumerGroupMetadata {
    const groupId = this.#options.groupId;
    // Inside the callbacks (onRevoked's commit) the member is still in the generation it commits for; outside them, a
    // rebalance the runtime has not been told of means that generation is over.
    const over = !this.#inCallbacks && (this.#rebalancePending || this.#generationEnded);
    const generationId = this.#memberId === undefined ? undefined : generationOf(this.#memberId);
    if (over || !this.#running || generationId === undefined) {
      throw new ClientError(`Group ${groupId}: the member's generation is over (a rebalance is under way): its offsets cannot be committed`, 'rebalanced');
    }
    return { groupId, generationId, memberId: this.#memberId!, groupInstanceId: null };
  }

  /**
   * Under read_committed (exactly-once), the committed offsets as Kafka's consumer reads them then: OffsetFetch v7 with
   * require_stable (KIP-447; kafkajs sends v1–v4, without it), which the coordinator answers UNSTABLE_OFFSET_COMMIT
   * while a transaction that sent offsets for the partition is open — the previous owner's, which may still commit or
   * abort. Asked again until every partition is stable: otherwise this member would start from the offsets before
   * that transaction, and process again what it commits.
   */
  async #stableCommitted(partitions: readonly TopicPartition[]): Promise<readonly CommittedOffset[]> {
    const groupId = this.#options.groupId;
    const what = `Reading the committed offsets of group ${groupId} (require_stable)`;
    const body = encodeOffsetFetchRequest(groupId, partitions, true);
    const deadline = Date.now() + STABLE_OFFSETS_MS;
    let unstable: string[] = [];
    for (let backoff = 50; ; backoff = Math.min(backoff * 2, 1_000)) {
      let answer: ReturnType<typeof decodeOffsetFetchResponse>;
      try {
        const broker = (await this.#cluster.findGroupCoordinator({ groupId })) as unknown as {
          readonly connectionPool: { send(request: unknown): Promise<unknown> };
        };
        answer = (await broker.connectionPool.send({
          request: {
            apiKey: OFFSET_FETCH_API_KEY, apiVersion: OFFSET_FETCH_VERSION, apiName: 'OffsetFetch', expectResponse: () => true,
            encode: async () => ({ buf: body, buffer: body }),
          },
          response: { decode: async (payload: Buffer) => decodeOffsetFetchResponse(payload), parse: async (decoded: unknown) => decoded },
        })) as ReturnType<typeof decodeOffsetFetchResponse>;
      } catch (error) {
        throw toClientError(error, what);
      }
      const failed = answer.errorCode !== 0 ? answer.errorCode : answer.partitions.find((p) => p.errorCode !== 0 && p.errorCode !== UNSTABLE_OFFSET_COMMIT)?.errorCode;
      if (failed !== undefined) throw toClientError(createErrorFromCode(failed), what);
      unstable = answer.partitions.filter((p) => p.errorCode === UNSTABLE_OFFSET_COMMIT).map((p) => `${p.topic}-${p.partition}`);
      if (unstable.length === 0) {
        const found = new Map(answer.partitions.map((p) => [keyOf(p), p]));
        return partitions.map(({ topic, partition }) => {
          const c = found.get(keyOf({ topic, partition }));
          const offset = c !== undefined && c.offset >= 0 ? c.offset : undefined;
          return { topic, partition, offset, ...(offset !== undefined && c?.metadata ? { metadata: c.metadata } : {}) };
        });
      }
      if (Date.now() + backoff > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
    // Retriable: the runtime asks again (up to taskTimeoutMs); the open transaction ends by its timeout at the latest.
    throw new ClientError(
      `${what} failed (unreachable): a transaction of the previous owner of ${unstable.join(', ')} is still open after ${STABLE_OFFSETS_MS} ms (it commits or aborts, at the latest after its transaction.timeout.ms)`,
      'unreachable',
    );
  }

  seek(position: TopicPartitionOffset): void {
    const key = keyOf(position);
    if (!this.#current.has(key)) return;
    this.#buffer.drop(position);
    this.#fetched.set(key, position.offset);
    this.#caughtUp.delete(key);
    this.#positions.set(key, position.offset);
    this.#consumer.seek({ topic: position.topic, partition: position.partition, offset: String(position.offset) });
  }

  pause(partitions: readonly TopicPartition[]): void {
    const toPause = partitions.filter((tp) => this.#ownedKeys.has(keyOf(tp)) && !this.#paused.has(keyOf(tp)));
    if (toPause.length === 0) return;
    for (const tp of toPause) this.#paused.add(keyOf(tp));
    this.#consumer.pause(byTopic(toPause));
    // What they hold no longer counts against the run-ahead: a fetch held on it may go on.
    this.#drained.notify();
  }

  resume(partitions: readonly TopicPartition[]): void {
    const toResume = partitions.filter((tp) => this.#paused.has(keyOf(tp)));
    if (toResume.length === 0) return;
    for (const tp of toResume) this.#paused.delete(keyOf(tp));
    this.#consumer.resume(byTopic(toResume));
    this.#arrived.notify();
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  /** Records in the buffer, fetched and not yet returned by poll (paused partitions' included). */
  get bufferedRecords(): number {
    return this.#buffer.size;
  }

  /**
   * The run-ahead maxBufferedRecords bounds: buffered records of the partitions not paused. A paused partition's
   * records wait in the buffer for its resume (poll does not return them), and kafkajs stops fetching it; counting
   * them would hold the fetch of every other partition in eachBatch — among them the partition the paused one's task
   * waits for (a join's other side, which the task needs before it may process): neither would ever move.
   */
  #runAhead(): number {
    let n = this.#buffer.size;
    if (this.#paused.size > 0) {
      for (const tp of this.#owned) if (this.#paused.has(keyOf(tp))) n -= this.#buffer.sizeOf(tp);
    }
    return n;
  }

  async #close(): Promise<void> {
    await this.#callbacks.catch(() => undefined);
    this.#closing = true;
    // What the runtime was never told of is dropped; what it owns it commits and closes now.
    for (const event of this.#events.splice(0)) if (event.kind === 'revoke') event.release();
    const owned = this.#owned;
    this.#setOwned([]);
    this.#buffer.clear();
    this.#arrived.notify();
    this.#drained.notify();
    try {
      if (owned.length > 0 && this.#listener !== undefined && this.#running) {
        this.#inCallbacks = true;
        try {
          await this.#listener.onRevoked(owned);
        } finally {
          this.#inCallbacks = false;
        }
      }
    } finally {
      this.#running = false;
      this.#endHold?.();
      if (this.#memberId !== undefined) forgetGeneration(this.#memberId);
      await this.#probing;
      await this.#consumer.disconnect().catch(() => undefined);
      await this.#admin.disconnect().catch(() => undefined);
      this.#endFastFetch();
    }
  }

  async #eachBatch({ batch, heartbeat, isStale, isRunning }: EachBatchPayload): Promise<void> {
    const tp = { topic: batch.topic, partition: batch.partition };
    const key = keyOf(tp);
    // A batch fetched before a seek of its partition, or of a partition no longer ours: kafkajs fetches it again.
    // So is one of a generation that ended: once the eachBatch holding a rebalance threw, kafkajs's worker still hands
    // over the other partitions' batches of that fetch; the next generation reads them again from the committed offsets.
    if (this.#closing || this.#generationEnded || isStale() || !this.#current.has(key)) return;
    // Our decoder's records (kafkajs-fast-fetch.ts), or kafkajs's own if it decoded this fetch.
    const records: RecordReader = decodedRecordsOf(batch)?.records ?? new ArrayRecordReader(batch.messages.map(fromKafkajsMessage));
    if (records.remaining > 0) {
      // Whatever path a late fetch takes, no offset is buffered twice in one run of the partition: at-least-once
      // would allow it, but a record handed out twice is counted twice by a task that already processed it.
      const from = this.#fetched.get(key) ?? -1;
      const next = Number(batch.lastOffset()) + 1;
      if (next > from) {
        this.#add(tp, batch, records, from);
        this.#fetched.set(key, next);
        this.#arrived.notify();
      }
    }
    while (this.#runAhead() >= this.#options.maxBufferedRecords && !this.#closing && isRunning()) {
      await this.#drained.wait(HOLD_HEARTBEAT_MS);
      // A rebalance this heartbeat learns of is held until the runtime revoked its partitions (kafkajs-rebalance-hold.ts).
      await heartbeat();
    }
    await heartbeat();
  }

  #add(tp: TopicPartition, batch: Batch, records: RecordReader, from: number): void {
    const key = keyOf(tp);
    records.skipBelow(from);
    this.#buffer.add(tp, records, Number(batch.lastOffset()) + 1, Number(batch.highWatermark));
    this.#caughtUp.delete(key);
    this.#arrivals.set(key, (this.#arrivals.get(key) ?? 0) + 1);
  }

  /**
   * Called by kafkajs's heartbeat that learnt of a rebalance (kafkajs-rebalance-hold.ts), before kafkajs rejoins: the
   * next poll runs onRevoked, then releases it.
   */
  #holdForRevoke(): Promise<void> {
    if (this.#closing || this.#listener === undefined) return Promise.resolve();
    this.#heldRebalance = true;
    this.#generationEnded = true;
    this.#buffer.clear();
    return new Promise((resolve) => {
      // Never past the rebalance timeout: a runtime that stopped polling must not keep the group waiting.
      const cap = setTimeout(resolve, Math.max(1_000, (this.#options.rebalanceTimeoutMs ?? 300_000) / 2));
      this.#events.push({
        kind: 'revoke',
        release: () => {
          clearTimeout(cap);
          resolve();
        },
      });
      this.#arrived.notify();
    });
  }

  /** kafkajs is about to rejoin (REBALANCING, or a restart after a crash). */
  #rebalancing(): void {
    this.#generationEnded = true;
    if (this.#heldRebalance) {
      this.#heldRebalance = false;
      return;
    }
    this.#rebalancePending = true;
    this.#buffer.clear();
    this.#arrived.notify();
  }

  #joined(memberId: string, assigned: Record<string, number[]>): void {
    if (memberId !== this.#memberId) {
      this.#endHold?.();
      if (this.#memberId !== undefined) forgetGeneration(this.#memberId);
      this.#memberId = memberId;
      this.#endHold = holdRebalances(memberId, () => this.#holdForRevoke());
    }
    // A new generation: each partition's run starts again where kafkajs fetches it from (or where #assign seeks).
    this.#fetched.clear();
    const partitions = Object.entries(assigned).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition })));
    this.#current = new Set(partitions.map(keyOf));
    this.#rebalancePending = true;
    this.#heldRebalance = false;
    this.#generationEnded = false;
    // Whatever is buffered was fetched in the generation that ended and never returned by a poll: the new one reads
    // it again from the committed offsets (or the seek of #assign), so keeping it would hand it out twice.
    this.#buffer.clear();
    this.#events.push({ kind: 'joined', assignment: { partitions, userData: takeAssignedUserData(memberId) } });
    this.#arrived.notify();
  }

  #fail(error: unknown, what: string): void {
    this.#fatal ??= toClientError(error, what);
    this.#running = false;
    this.#arrived.notify();
    this.#drained.notify();
  }

  /** Runs the pending rebalance callbacks, one at a time, in the order kafkajs's events came. */
  #runCallbacks(): Promise<void> {
    const run = this.#callbacks.then(async () => {
      while (this.#events.length > 0 && !this.#closing) {
        const event = this.#events.shift()!;
        if (event.kind === 'revoke') {
          try {
            await this.#revoke();
          } finally {
            event.release();
          }
        } else {
          await this.#assign(event.assignment);
        }
      }
    });
    this.#callbacks = run.catch(() => undefined);
    return run;
  }

  async #revoke(): Promise<void> {
    const owned = this.#owned;
    this.#setOwned([]);
    this.#buffer.clear();
    if (owned.length > 0) await this.#inCallback((listener) => listener.onRevoked(owned));
  }

  async #assign(assignment: MemberAssignment): Promise<void> {
    const assigned = new Set(assignment.partitions.map(keyOf));
    if (this.#owned.length > 0) {
      // kafkajs rejoined before the runtime could revoke (see the class comment).
      const kept = this.#owned.filter((tp) => assigned.has(keyOf(tp)));
      const lost = this.#owned.filter((tp) => !assigned.has(keyOf(tp)));
      for (const tp of this.#owned) this.#buffer.drop(tp);
      this.#setOwned([]);
      if (lost.length > 0) await this.#inCallback((listener) => listener.onLost(lost));
      if (kept.length > 0) {
        await this.#inCallback((listener) => listener.onRevoked(kept));
        // Read them again from what was committed in onRevoked, not from where kafkajs's new generation started.
        for (const { topic, partition, offset } of await this.committed(kept)) {
          if (offset !== undefined) this.seek({ topic, partition, offset });
        }
      }
    }
    if (this.#paused.size > 0) {
      const paused = [...this.#paused].map((key) => {
        const [topic, partition] = key.split('\u0000');
        return { topic, partition: Number(partition) };
      });
      this.#paused.clear();
      this.#consumer.resume(byTopic(paused));
    }
    this.#positions.clear();
    this.#caughtUp.clear();
    this.#setOwned(assignment.partitions);
    this.#rebalancePending = false;
    await this.#inCallback((listener) => listener.onAssigned(assignment));
  }

  async #inCallback(call: (listener: RebalanceListener) => Promise<void>): Promise<void> {
    this.#inCallbacks = true;
    try {
      await call(this.#listener!);
    } finally {
      this.#inCallbacks = false;
    }
  }

  #setOwned(partitions: readonly TopicPartition[]): void {
    this.#owned = [...partitions];
    this.#ownedKeys = new Set(partitions.map(keyOf));
  }

  /**
   * Reports idle owned partitions that are at their end as caught up (see the class comment). In the background: the
   * waiting poll picks the entries up when it wakes.
   */
  #probeIdle(): void {
    if (this.#probing !== undefined || this.#closing || Date.now() - this.#lastProbe < IDLE_PROBE_MS) return;
    const idle = this.#owned.filter((tp) => {
      const key = keyOf(tp);
      return !this.#paused.has(key) && !this.#caughtUp.has(key) && this.#buffer.sizeOf(tp) === 0;
    });
    if (idle.length === 0) return;
    this.#lastProbe = Date.now();
    const arrivals = new Map(idle.map((tp) => [keyOf(tp), this.#arrivals.get(keyOf(tp)) ?? 0]));
    this.#probing = this.#probe(idle)
      .then((ends) => {
        for (const { tp, position, end } of ends) {
          const key = keyOf(tp);
          if ((this.#arrivals.get(key) ?? 0) !== arrivals.get(key) || !this.#ownedKeys.has(key) || this.#buffer.sizeOf(tp) > 0) continue;
          if (end <= position) {
            this.#buffer.add(tp, undefined, position, end);
            this.#arrived.notify();
          }
        }
      })
      .catch(() => undefined) // A failed probe only means no caught-up entry this time; kafkajs reports real failures.
      .finally(() => (this.#probing = undefined));
  }

  async #probe(idle: readonly TopicPartition[]): Promise<{ tp: TopicPartition; position: number; end: number }[]> {
    const unknown = idle.filter((tp) => !this.#positions.has(keyOf(tp)));
    const committed = new Map((await this.committed(unknown)).map((c) => [keyOf(c), c.offset]));
    const offsets = new Map<string, { low: number; high: number }>();
    for (const topic of new Set(idle.map((tp) => tp.topic))) {
      for (const o of await this.#admin.fetchTopicOffsets(topic)) offsets.set(keyOf({ topic, partition: o.partition }), { low: Number(o.low), high: Number(o.high) });
    }
    const ends: { tp: TopicPartition; position: number; end: number }[] = [];
    for (const tp of idle) {
      const key = keyOf(tp);
      const range = offsets.get(key);
      if (range === undefined) continue;
      const position =
        this.#positions.get(key) ?? committed.get(key) ?? (this.#options.offsetReset(tp.topic) === 'earliest' ? range.low : range.high);
      ends.push({ tp, position, end: range.high });
    }
    return ends;
  }
}

function byTopic(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const grouped = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    if (!grouped.has(topic)) grouped.set(topic, []);
    grouped.get(topic)!.push(partition);
  }
  return [...grouped].map(([topic, ps]) => ({ topic, partitions: ps }));
}
