import type { TopicPartition } from '../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';
import type { FetchedPartition } from './fetched-partition.ts';
import type { GroupAssignor, MemberAssignment } from './group-assignor.ts';
import type { ConsumerGroupMetadata } from './consumer-group-metadata.ts';

/** How a group consumer is made (KafkaClient#groupConsumer). */
/** A partition's committed offset as GroupConsumer#committed reads it. */
export interface CommittedOffset extends TopicPartition {
  /** The next offset to read; undefined when the group committed none. */
  readonly offset: number | undefined;
  /**
   * What was committed with it (Kafka Streams' partition time and processor metadata); undefined when none, or the
   * client does not keep it.
   */
  readonly metadata?: string;
}

export interface GroupConsumerOptions {
  /** The consumer group: the application id. */
  readonly groupId: string;
  /** The only assignor offered in JoinGroup (ours): see GroupAssignor. */
  readonly assignor: GroupAssignor;
  /**
   * Where a partition with no committed offset starts, per topic (the source's offsetReset, else the application's
   * default). 'none' is the runtime's own: it reads committed() in onAssigned and fails there, so adapters only get
   * 'earliest' or 'latest'.
   */
  readonly offsetReset: (topic: string) => 'earliest' | 'latest';
  /** read_committed under exactly-once (Kafka Streams sets it then), read_uncommitted otherwise. */
  readonly isolation: 'read_uncommitted' | 'read_committed';
  /** Session timeout and rebalance timeout of the membership (Kafka's session.timeout.ms / max.poll.interval.ms). */
  readonly sessionTimeoutMs?: number;
  readonly rebalanceTimeoutMs?: number;
  /**
   * The most records the adapter holds fetched but not yet returned by poll, across partitions: the bound on how
   * far fetching runs ahead of processing (backpressure). It stops fetching at the bound and fetches again as polls
   * drain it.
   */
  readonly maxBufferedRecords: number;
}

/**
 * What the group consumer tells the runtime about partitions changing hands (Kafka's ConsumerRebalanceListener).
 * The adapter calls it only from inside a pending poll() (as Java's KafkaConsumer calls its listener inside poll),
 * or from close(); one call at a time, each awaited before the next and before poll resolves. So the runtime never
 * sees a rebalance in the middle of a batch.
 */
export interface RebalanceListener {
  /**
   * The member gives these partitions up (eager rebalancing: all it owns) and may still commit their offsets: the
   * runtime commits and closes their tasks cleanly here. Called before the member rejoins, when the client lets the
   * adapter hold the rejoin; an adapter that cannot (its client rejoins on its own) calls onLost instead and says so
   * in its documentation. After it resolves, poll returns nothing more of these partitions (the adapter drops what
   * it buffered of them).
   */
  onRevoked(partitions: readonly TopicPartition[]): Promise<void>;
  /**
   * The partitions are no longer this member's and their offsets can no longer be committed (the session expired,
   * or the member rejoined before onRevoked could run): the runtime closes their tasks dirty. Nothing of them is
   * returned after it is called.
   */
  onLost(partitions: readonly TopicPartition[]): Promise<void>;
  /**
   * The member's assignment after a rebalance: its partitions and the userData our assignor gave it (its tasks).
   * Called on every rebalance, also when nothing changed or nothing is assigned. The runtime opens and restores the
   * tasks here or after; records of these partitions are returned only by polls after it resolves, from the
   * committed offset (or offsetReset), or from a seek made inside the call.
   */
  onAssigned(assignment: MemberAssignment): Promise<void>;
}

/**
 * A member of the application's consumer group (Kafka's KafkaConsumer with subscribe): it owns the input partitions
 * the assignor gives it, fetches them in batches and commits their offsets. Pull-based, as Java's consumer: nothing
 * happens to the runtime between polls; an adapter over a push-based client (kafkajs' eachBatch) buffers up to
 * maxBufferedRecords and holds its client's fetch loop while the buffer is full. Failures reject with a ClientError.
 */
export interface GroupConsumer {
  /**
   * Subscribes to the topics and joins the group; resolves once the first assignment has been delivered
   * (listener.onAssigned awaited). Called once. Rejects with 'unreachable' when no broker answers in time.
   */
  subscribe(topics: readonly string[], listener: RebalanceListener): Promise<void>;

  /**
   * The next batches: resolves as soon as some partition has records, or after `timeoutMs` with what it has (maybe
   * nothing). At most `maxRecords` records in all; never records of a paused partition (they stay buffered and come
   * after resume) nor of a partition revoked or lost. Each assigned, unpaused partition whose fetch answered since
   * the last poll has an entry, an empty one with lag 0 when it is caught up (FetchedPartition#lag). Rebalance
   * callbacks run inside it (see RebalanceListener). One poll at a time.
   */
  poll(options: { readonly maxRecords: number; readonly timeoutMs: number }): Promise<readonly FetchedPartition[]>;

  /**
   * Commits the offsets (each the next offset to read: the last processed + 1), with their metadata, for the group,
   * with this member's generation. Resolves once the coordinator has them. Rejects with 'rebalanced' when the member's generation is
   * gone (nothing committed: the tasks are migrated), 'unreachable' on a timeout (may or may not have happened).
   */
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;

  /**
   * The group's committed offsets of the partitions, in the order asked; `offset` undefined where there is none, and
   * `metadata` the metadata committed with it (Kafka Streams' partition time) where the client keeps it.
   */
  committed(partitions: readonly TopicPartition[]): Promise<readonly CommittedOffset[]>;

  /**
   * The member's group metadata for offsets committed in a transaction (exactly-once): its generation and member id
   * as of the assignment the runtime was last given. Throws a ClientError 'rebalanced' when that generation is known
   * to be over (a rebalance the runtime has not been told of yet).
   */
  groupMetadata(): ConsumerGroupMetadata;

  /** The next poll fetches the partition from this offset (an assigned partition only). */
  seek(position: TopicPartitionOffset): void;

  /**
   * Stops returning (and, once what is buffered is enough, fetching) records of the partitions, keeping what is
   * buffered, until resume (Kafka Streams pauses a partition whose task queue is full: buffered.records.per.partition).
   * Idempotent; a partition not assigned is ignored.
   */
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;

  /**
   * Leaves the group (LeaveGroup, so the others rebalance at once rather than after the session timeout), calling
   * onRevoked for what it owns first. Idempotent; a pending poll resolves with nothing.
   */
  close(): Promise<void>;
}
