import { ErrorCode, type Broker, type Cluster } from '@kafkats/client';
import { ClientError } from '../../errors/client-error.ts';
import type { ConsumerGroupMetadata } from '../consumer-group-metadata.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { FetchedPartition } from '../fetched-partition.ts';
import { assignEveryMember, type GroupSnapshot, type MemberAssignment, type MemberSubscription } from '../group-assignor.ts';
import type { CommittedOffset, GroupConsumer, GroupConsumerOptions, RebalanceListener } from '../group-consumer.ts';
// Kafka's consumer protocol bytes (client-neutral: the kafkajs adapter's assigner speaks them too).
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '../kafkajs/consumer-protocol.ts';
// The kafkajs adapter's envelope around each member's assignment userData: written and read here too, so that the
// members of one application may run on either adapter (moving an application from one client to the other).
import { openEnvelope, wrapEnvelope } from '../kafkajs/kafkajs-assigner.ts';
import { codeError, errorCodeOf, reasonOf, toClientError } from './kafkats-errors.ts';
import { connectCluster, newCluster, type KafkatsConnection } from './kafkats-connection.ts';
import { KafkatsFetcher, keyOf } from './kafkats-fetcher.ts';
import { retrying } from './kafkats-retry.ts';

/**
 * How often the member heartbeats. A member learns that the group rebalances from a heartbeat answer, so this bounds
 * how long a rebalance waits for it (Java's heartbeat.interval.ms is 3 s; kafkajs's adapter learns within ~0.5 s, and
 * so does this one): two small requests a second.
 */
const HEARTBEAT_INTERVAL_MS = 500;
/** Kafka's consumer protocol type: the coordinator checks that every member of the group speaks it. */
const PROTOCOL_TYPE = 'consumer';
const FIRST_BACKOFF_MS = 100;
/** How long a read of the committed offsets waits for open transactions to end before it fails (retriably). */
const STABLE_OFFSETS_MS = 30_000;
const MAX_BACKOFF_MS = 1_000;

/**
 * GroupConsumer over @kafkats/client's connections, with the group membership done here (JoinGroup, SyncGroup,
 * Heartbeat, LeaveGroup, OffsetCommit through its Broker): @kafkats/client's own consumer offers only its built-in
 * assignors (cooperative-sticky, sticky, range) and keeps the assignment's userData to itself, while the runtime's
 * assignor hands out whole tasks, sticky and balanced, and tells each member its tasks in the userData. Speaking the
 * classic protocol directly carries our GroupAssignor as it is (the only protocol offered: a member of another
 * assignor fails to join with InconsistentGroupProtocol), with no patch to the client.
 *
 * **Eager rebalancing, as Java's consumer.** A heartbeat answered REBALANCE_IN_PROGRESS marks a rejoin due; the next
 * poll runs onRevoked for everything owned — the member is still in its generation, so the commits made there are
 * accepted (the coordinator takes a generation's commits while it prepares the rebalance) — then joins, the leader
 * runs our assignor over every member's subscription, SyncGroup hands each member its assignment and userData, and
 * onAssigned follows, from the committed offsets (or offsetReset, or a seek made inside it). A member whose
 * generation is gone (the coordinator answers UNKNOWN_MEMBER_ID or ILLEGAL_GENERATION) gets onLost instead: its
 * commits would be refused. So no partition moves before its owner committed it, and nothing is
 * returned twice within a partition's run; across owners, at-least-once.
 *
 * **Fetching** is the KafkatsFetcher's (one Fetch in flight per leader, bounded by maxBufferedRecords); a partition
 * whose fetch answered with nothing is reported as an empty entry with its lag, 0 when caught up.
 */
export class KafkatsGroupConsumer implements GroupConsumer {
  readonly #connection: KafkatsConnection;
  readonly #options: GroupConsumerOptions;
  readonly #cluster: Cluster;
  readonly #fetcher: KafkatsFetcher;
  readonly #sessionTimeoutMs: number;
  readonly #rebalanceTimeoutMs: number;
  #topics: readonly string[] = [];
  #listener: RebalanceListener | undefined;
  #memberId = '';
  #generationId = -1;
  /** The partitions the runtime was given (onAssigned) and not yet revoked or lost. */
  #owned: TopicPartition[] = [];
  /** A heartbeat (or a commit) learnt that the group rebalances: the next poll rejoins. */
  #rejoinDue = false;
  /**
   * In onRevoked of a rebalance: the member is still in the generation it commits for (the coordinator takes its
   * commits while it prepares the rebalance), though a rejoin is due.
   */
  #revoking = false;
  /** The member's generation is gone: what it owns is lost, not revoked. */
  #generationLost = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #rebalancing: Promise<void> | undefined;
  #fatal: ClientError | undefined;
  #closing = false;
  #closed: Promise<void> | undefined;
  #connected: Promise<void> | undefined;

  constructor(connection: KafkatsConnection, options: GroupConsumerOptions) {
    this.#connection = connection;
    this.#options = options;
    this.#sessionTimeoutMs = options.sessionTimeoutMs ?? 45_000;
    this.#rebalanceTimeoutMs = options.rebalanceTimeoutMs ?? 300_000;
    this.#cluster = newCluster(connection);
    this.#fetcher = new KafkatsFetcher(this.#cluster, {
      isolation: options.isolation,
      maxBufferedRecords: options.maxBufferedRecords,
      failureTimeoutMs: connection.connectTimeoutMs,
      // As Java's consumer under auto.offset.reset: a position outside the log moves to the reset policy's end.
      outOfRange: (tp) => options.offsetReset(tp.topic),
      name: `the group consumer of ${options.groupId}`,
    });
  }

  async subscribe(topics: readonly string[], listener: RebalanceListener): Promise<void> {
    if (this.#listener !== undefined) throw new TypeError('GroupConsumer.subscribe: called twice');
    this.#listener = listener;
    this.#topics = [...topics];
    await this.#connect();
    this.#fetcher.start();
    this.#rejoinDue = true;
    await this.#rebalance();
  }

  async poll(options: { readonly maxRecords: number; readonly timeoutMs: number }): Promise<readonly FetchedPartition[]> {
    if (this.#closed !== undefined) throw new ClientError(`poll() on the closed group consumer of ${this.#options.groupId}`, 'fatal');
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      if (this.#fatal !== undefined) throw this.#fatal;
      if (this.#closing) return [];
      if (this.#rejoinDue || this.#generationLost) await this.#rebalance();
      if (this.#closing) return [];
      const batches = await this.#fetcher.poll(
        { maxRecords: options.maxRecords, timeoutMs: Math.max(0, deadline - Date.now()) },
        () => this.#rejoinDue || this.#generationLost || this.#closing || this.#fatal !== undefined,
      );
      if (batches.length > 0 || Date.now() >= deadline) return batches;
    }
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const what = `Committing offsets of group ${this.#options.groupId}`;
    if (this.#generationLost || this.#generationId < 0) {
      throw new ClientError(`${what} failed (rebalanced): the member's generation is gone (a rebalance moved its partitions)`, 'rebalanced');
    }
    const byTopic = new Map<string, { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; committedMetadata: string | null }[]>();
    for (const { topic, partition, offset, metadata } of offsets) {
      let ps = byTopic.get(topic);
      if (ps === undefined) byTopic.set(topic, (ps = []));
      ps.push({ partitionIndex: partition, committedOffset: BigInt(offset), committedLeaderEpoch: -1, committedMetadata: metadata ?? null });
    }
    let response;
    try {
      const coordinator = await this.#coordinator();
      response = await coordinator.offsetCommit({
        groupId: this.#options.groupId,
        generationId: this.#generationId,
        memberId: this.#memberId,
        groupInstanceId: null,
        topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })),
      });
    } catch (error) {
      this.#coordinatorFailed(error);
      throw toClientError(error, what);
    }
    for (const topic of response.topics) {
      for (const p of topic.partitions) {
        if (p.errorCode === ErrorCode.None) continue;
        this.#groupError(p.errorCode);
        throw codeError(p.errorCode, `${what} (${topic.name}-${p.partitionIndex})`, [{ topic: topic.name, partition: p.partitionIndex }]);
      }
    }
  }

  async committed(partitions: readonly TopicPartition[]): Promise<readonly CommittedOffset[]> {
    if (partitions.length === 0) return [];
    const what = `Reading the committed offsets of group ${this.#options.groupId}`;
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of partitions) {
      let ps = byTopic.get(topic);
      if (ps === undefined) byTopic.set(topic, (ps = []));
      ps.push(partition);
    }
    const deadline = Date.now() + STABLE_OFFSETS_MS;
    let response;
    for (let backoff = 50; ; backoff = Math.min(backoff * 2, 1_000)) {
      try {
        const coordinator = await this.#coordinator();
        response = await coordinator.offsetFetch({
          groupId: this.#options.groupId,
          // Wait for offsets a transaction is about to commit (KIP-447), as Java's consumer does: the coordinator
          // answers UNSTABLE_OFFSET_COMMIT while a transaction that sent offsets for the partition is open (the
          // previous owner's, under exactly-once), which may still commit or abort.
          requireStable: true,
          topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps.map((partitionIndex) => ({ partitionIndex })) })),
        });
      } catch (error) {
        this.#coordinatorFailed(error);
        throw toClientError(error, what);
      }
      if (response.errorCode !== ErrorCode.None) {
        this.#groupError(response.errorCode);
        throw codeError(response.errorCode, what);
      }
      const unstable = response.topics.flatMap((t) => t.partitions.filter((p) => p.errorCode === ErrorCode.UnstableOffsetCommit).map((p) => `${t.name}-${p.partitionIndex}`));
      if (unstable.length === 0) break;
      if (Date.now() + backoff > deadline) {
        // Retriable: asked again (up to taskTimeoutMs); the open transaction ends by its timeout at the latest.
        throw new ClientError(
          `${what} failed (unreachable): a transaction of the previous owner of ${unstable.join(', ')} is still open after ${STABLE_OFFSETS_MS} ms (it commits or aborts, at the latest after its transaction.timeout.ms)`,
          'unreachable',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
    const found = new Map<string, { offset: number; metadata: string | null }>();
    for (const topic of response.topics) {
      for (const p of topic.partitions) {
        if (p.errorCode !== ErrorCode.None) throw codeError(p.errorCode, `${what} (${topic.name}-${p.partitionIndex})`, [{ topic: topic.name, partition: p.partitionIndex }]);
        // -1: nothing committed on the partition.
        if (p.committedOffset >= 0n) found.set(keyOf({ topic: topic.name, partition: p.partitionIndex }), { offset: Number(p.committedOffset), metadata: p.metadata });
      }
    }
    return partitions.map(({ topic, partition }) => {
      const c = found.get(keyOf({ topic, partition }));
      return { topic, partition, offset: c?.offset, ...(c?.metadata ? { metadata: c.metadata } : {}) };
    });
  }

  groupMetadata(): ConsumerGroupMetadata {
    if (this.#generationLost || (this.#rejoinDue && !this.#revoking) || this.#generationId < 0) {
      throw new ClientError(`Group ${this.#options.groupId}: the member's generation is over (a rebalance is under way)`, 'rebalanced');
    }
    return { groupId: this.#options.groupId, generationId: this.#generationId, memberId: this.#memberId, groupInstanceId: null };
  }

  seek(position: TopicPartitionOffset): void {
    this.#fetcher.seek(position, position.offset);
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.#fetcher.pause(partitions);
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.#fetcher.resume(partitions);
  }

  /** Records in the buffer, fetched and not yet returned by poll (the run-ahead that maxBufferedRecords bounds). */
  get bufferedRecords(): number {
    return this.#fetcher.bufferedRecords;
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#closing = true;
    this.#fetcher.wake();
    await this.#rebalancing?.catch(() => undefined);
    this.#stopHeartbeats();
    const owned = this.#owned;
    this.#owned = [];
    try {
      if (owned.length > 0 && this.#listener !== undefined && this.#fatal === undefined) {
        this.#fetcher.assign([]);
        if (this.#generationLost) await this.#listener.onLost(owned);
        else await this.#listener.onRevoked(owned);
      }
    } finally {
      if (this.#memberId !== '') {
        // LeaveGroup, so that the others rebalance at once rather than after the session timeout.
        try {
          const coordinator = await this.#coordinator();
          await coordinator.leaveGroup({ groupId: this.#options.groupId, members: [{ memberId: this.#memberId, groupInstanceId: null, reason: 'the application closes' }] });
        } catch {
          // Gone already (the broker is away, or the session expired): the coordinator drops the member on its own.
        }
      }
      this.#memberId = '';
      this.#generationId = -1;
      await this.#fetcher.close();
      await this.#cluster.disconnect().catch(() => undefined);
    }
  }

  /** Revokes (or loses) what is owned, joins, and assigns — until no new rebalance came meanwhile. One at a time. */
  #rebalance(): Promise<void> {
    this.#rebalancing ??= this.#runRebalance().finally(() => (this.#rebalancing = undefined));
    return this.#rebalancing;
  }

  async #runRebalance(): Promise<void> {
    const listener = this.#listener!;
    while ((this.#rejoinDue || this.#generationLost) && !this.#closing) {
      this.#stopHeartbeats();
      const owned = this.#owned;
      this.#owned = [];
      // Nothing more of them is returned: the buffer goes with them (eager: every partition is given up).
      this.#fetcher.assign([]);
      if (owned.length > 0) {
        if (this.#generationLost) {
          await listener.onLost(owned);
        } else {
          this.#revoking = true;
          try {
            await listener.onRevoked(owned);
          } finally {
            this.#revoking = false;
          }
        }
      }
      this.#rejoinDue = false;
      this.#generationLost = false;
      const assignment = await this.#join();
      if (assignment === undefined) continue;
      // Heartbeats first: reading the committed offsets may wait for the previous owner's transaction to end.
      this.#startHeartbeats();
      const committed = await retrying(() => this.committed(assignment.partitions));
      const start = new Map(committed.map((c) => [keyOf(c), c.offset ?? this.#options.offsetReset(c.topic)]));
      this.#owned = [...assignment.partitions];
      this.#fetcher.assign(assignment.partitions, (tp) => start.get(keyOf(tp)));
      await listener.onAssigned(assignment);
    }
  }

  /**
   * JoinGroup then SyncGroup, retried until the member is in a generation with its assignment (the leader runs our
   * assignor); undefined when the group moved on during the SyncGroup (join again).
   */
  async #join(): Promise<MemberAssignment | undefined> {
    const { groupId, assignor } = this.#options;
    const deadline = Date.now() + this.#connection.connectTimeoutMs + this.#rebalanceTimeoutMs;
    let backoff = FIRST_BACKOFF_MS;
    for (;;) {
      if (this.#closing) return undefined;
      const retry = async (error: unknown) => {
        if (Date.now() > deadline) throw (this.#fatal ??= toClientError(error, `Joining group ${groupId}`));
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      };
      try {
        const coordinator = await this.#coordinator();
        const metadata = encodeSubscription({ version: assignor.version, topics: this.#topics, userData: assignor.subscriptionUserData(this.#topics) });
        const joined = await coordinator.joinGroup({
          groupId,
          sessionTimeoutMs: this.#sessionTimeoutMs,
          rebalanceTimeoutMs: this.#rebalanceTimeoutMs,
          memberId: this.#memberId,
          groupInstanceId: null,
          protocolType: PROTOCOL_TYPE,
          protocols: [{ name: assignor.name, metadata }],
          reason: null,
        });
        if (joined.errorCode === ErrorCode.MemberIdRequired) {
          // The coordinator gives a new member its id and expects it back (KIP-394).
          this.#memberId = joined.memberId;
          continue;
        }
        if (joined.errorCode !== ErrorCode.None) {
          const failure = this.#joinError(joined.errorCode, 'JoinGroup');
          if (failure !== undefined) throw failure;
          await retry(codeError(joined.errorCode, `Joining group ${groupId}`));
          continue;
        }
        this.#memberId = joined.memberId;
        this.#generationId = joined.generationId;
        const assignments = joined.leader === joined.memberId ? await this.#assign(joined.members) : [];
        const synced = await coordinator.syncGroup(
          { groupId, generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null, protocolType: PROTOCOL_TYPE, protocolName: assignor.name, assignments },
          this.#rebalanceTimeoutMs,
        );
        if (synced.errorCode !== ErrorCode.None) {
          const failure = this.#joinError(synced.errorCode, 'SyncGroup');
          if (failure !== undefined) throw failure;
          await retry(codeError(synced.errorCode, `Joining group ${groupId}`));
          continue;
        }
        const { partitions, userData } = decodeAssignment(synced.assignment);
        return { partitions, userData: openEnvelope(userData)?.userData ?? userData };
      } catch (error) {
        if (error instanceof ClientError && error === this.#fatal) throw error;
        if (reasonOf(error) === 'fatal') throw (this.#fatal ??= toClientError(error, `Joining group ${groupId}`));
        this.#coordinatorFailed(error);
        await retry(error);
      }
    }
  }

  /** What a JoinGroup / SyncGroup error code means: a fatal ClientError, or undefined (join again). */
  #joinError(code: number, request: string): ClientError | undefined {
    switch (code) {
      case ErrorCode.UnknownMemberId:
        this.#memberId = '';
        this.#generationId = -1;
        return undefined;
      case ErrorCode.IllegalGeneration:
      case ErrorCode.RebalanceInProgress:
        return undefined;
      case ErrorCode.NotCoordinator:
      case ErrorCode.CoordinatorNotAvailable:
      case ErrorCode.CoordinatorLoadInProgress:
        this.#cluster.invalidateCoordinator('GROUP', this.#options.groupId);
        return undefined;
      case ErrorCode.InconsistentGroupProtocol:
        return (this.#fatal ??= new ClientError(
          `Group ${this.#options.groupId} has members of another kind (${request} answered INCONSISTENT_GROUP_PROTOCOL): every member must offer ` +
            `the assignor '${this.#options.assignor.name}' — another application (or a Kafka Streams instance) uses this application id as its group`,
          'fatal',
        ));
      default:
        return (this.#fatal ??= codeError(code, `Joining group ${this.#options.groupId} (${request})`));
    }
  }

  /** The leader's part: our assignor over every member's subscription, each member's assignment encoded. */
  async #assign(members: readonly { memberId: string; metadata: Buffer }[]): Promise<{ memberId: string; assignment: Buffer }[]> {
    const { assignor } = this.#options;
    try {
      const subscriptions: MemberSubscription[] = members.map(({ memberId, metadata }) => {
        const { topics, userData } = decodeSubscription(metadata);
        return { memberId, topics, userData };
      });
      const topics = [...new Set(subscriptions.flatMap((s) => s.topics))];
      const metadata = await this.#cluster.refreshMetadata(topics);
      const partitionsPerTopic = new Map<string, number>();
      for (const topic of topics) {
        const count = metadata.topics.get(topic)?.partitions.size ?? 0;
        if (count > 0) partitionsPerTopic.set(topic, count);
      }
      const group: GroupSnapshot = { members: subscriptions, partitionsPerTopic };
      return (await assignEveryMember(assignor, group)).map(({ memberId, assignment }) => {
        const userData = wrapEnvelope(memberId, assignment.userData);
        return { memberId, assignment: encodeAssignment({ version: assignor.version, partitions: assignment.partitions, userData }) };
      });
    } catch (error) {
      if (reasonOf(error) === 'unreachable') throw error;
      // A throw of the assignor fails the rebalance: the next poll rejects with it.
      throw (this.#fatal ??= toClientError(error, `The assignor ${assignor.name}`));
    }
  }

  /** Connects the cluster once (committed() may come before subscribe()). */
  #connect(): Promise<void> {
    this.#connected ??= connectCluster(this.#cluster, this.#connection, `Connecting the group consumer of ${this.#options.groupId}`);
    this.#connected.catch(() => (this.#connected = undefined));
    return this.#connected;
  }

  async #coordinator(): Promise<Broker> {
    await this.#connect();
    return this.#cluster.getCoordinator('GROUP', this.#options.groupId);
  }

  /** A request to the coordinator failed: find it again next time (it may have moved, or the connection dropped). */
  #coordinatorFailed(error: unknown): void {
    const code = errorCodeOf(error);
    if (reasonOf(error) === 'unreachable' || code === ErrorCode.NotCoordinator || code === ErrorCode.CoordinatorNotAvailable) {
      this.#cluster.invalidateCoordinator('GROUP', this.#options.groupId);
    }
  }

  /** What a group error code a heartbeat, a commit or an offset fetch got means for the membership. */
  #groupError(code: number): void {
    switch (code) {
      case ErrorCode.RebalanceInProgress:
        this.#rejoinDue = true;
        break;
      case ErrorCode.UnknownMemberId:
        this.#memberId = '';
        this.#generationLost = true;
        break;
      case ErrorCode.IllegalGeneration:
        this.#generationLost = true;
        break;
      case ErrorCode.FencedInstanceId:
        this.#fatal ??= codeError(code, `The membership of group ${this.#options.groupId}`);
        break;
      case ErrorCode.NotCoordinator:
      case ErrorCode.CoordinatorNotAvailable:
        this.#cluster.invalidateCoordinator('GROUP', this.#options.groupId);
        return;
      default:
        return;
    }
    this.#stopHeartbeats();
    this.#fetcher.wake();
  }

  #startHeartbeats(): void {
    this.#stopHeartbeats();
    const generation = this.#generationId;
    const beat = async () => {
      if (this.#closing || this.#generationId !== generation || this.#rejoinDue || this.#generationLost) return;
      try {
        const coordinator = await this.#coordinator();
        const { errorCode } = await coordinator.heartbeat({ groupId: this.#options.groupId, generationId: generation, memberId: this.#memberId, groupInstanceId: null });
        if (this.#generationId !== generation) return;
        if (errorCode !== ErrorCode.None) this.#groupError(errorCode);
      } catch (error) {
        // No answer (the coordinator is away, or moved): find it again and keep the generation, as Java's consumer
        // does; whether the member outlived its session is the coordinator's to say when it answers again
        // (UNKNOWN_MEMBER_ID) — a broker restarted within the session keeps it, and its commits are taken.
        this.#coordinatorFailed(error);
      }
      if (this.#heartbeat !== undefined && this.#generationId === generation && !this.#rejoinDue && !this.#generationLost && !this.#closing) {
        this.#heartbeat = setTimeout(() => void beat(), this.#heartbeatIntervalMs());
      }
    };
    this.#heartbeat = setTimeout(() => void beat(), this.#heartbeatIntervalMs());
  }

  #heartbeatIntervalMs(): number {
    return Math.min(HEARTBEAT_INTERVAL_MS, Math.floor(this.#sessionTimeoutMs / 3));
  }

  #stopHeartbeats(): void {
    clearTimeout(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}
