import type { TopicPartition } from '../io/topic-partition.ts';

/** What one member sent when it joined: its subscription (JoinGroup protocol metadata). */
export interface MemberSubscription {
  readonly memberId: string;
  readonly topics: readonly string[];
  /** The bytes its assignor's subscriptionUserData() returned (empty when none). */
  readonly userData: Uint8Array;
}

/** What one member is given: its partitions and the bytes only our assignor reads (SyncGroup member assignment). */
export interface MemberAssignment {
  readonly partitions: readonly TopicPartition[];
  readonly userData: Uint8Array;
}

/** The group as the leader sees it when it assigns. */
export interface GroupSnapshot {
  /** Every member, in the order the coordinator listed them. */
  readonly members: readonly MemberSubscription[];
  /**
   * The partition count of every topic some member subscribed to, as the leader's metadata knows it; a topic the
   * broker does not have is absent.
   */
  readonly partitionsPerTopic: ReadonlyMap<string, number>;
}

/**
 * A partition assignor the group consumer carries (Kafka's ConsumerPartitionAssignor; kafkajs' custom `assigners`):
 * ours hands out whole tasks, sticky and balanced (src/assignment/). Client-neutral on purpose: plain bytes in and
 * out, no client type; an adapter wraps it in its client's own assigner shape (kafkajs: `{ name, version,
 * protocol({ topics }), assign({ members, topics }) }` with MemberMetadata / MemberAssignment encoded around
 * `userData`; the kafkats adapter runs the group protocol itself around it). An adapter whose client cannot carry a
 * custom assignor must say so when the group consumer is created, never fall back silently to another strategy:
 * co-partitioned tasks would split.
 */
export interface GroupAssignor {
  /**
   * The protocol name sent in JoinGroup. Every member of the group must offer it (the coordinator picks a protocol
   * all members support): a member without it fails to join with InconsistentGroupProtocol.
   */
  readonly name: string;
  /** The assignor's version, sent beside the name (kafkajs and Kafka's subscription carry one). */
  readonly version: number;
  /**
   * The bytes this member sends with every (re)join: what the leader needs to be sticky (the tasks it owns and
   * those it has state for on disk). Called at each join, synchronously (kafkajs builds its JoinGroup from
   * `protocol()` without awaiting), so it must be cheap and read only what the member already knows.
   */
  subscriptionUserData(topics: readonly string[]): Uint8Array;
  /**
   * Runs on the leader only, once per rebalance: every member's subscription → each member's assignment, keyed by
   * memberId, with an entry for every member (an empty assignment is an entry with no partitions). Pure: the same
   * snapshot gives the same assignment. A throw fails the rebalance (the adapter rejects the next poll with it).
   */
  assign(group: GroupSnapshot): ReadonlyMap<string, MemberAssignment> | Promise<ReadonlyMap<string, MemberAssignment>>;
}

/**
 * Runs the assignor on the leader and pairs every member, in the coordinator's order, with its assignment. A member
 * the assignor left out fails the rebalance (the assignor's contract: an entry for every member, maybe empty).
 */
export async function assignEveryMember(assignor: GroupAssignor, group: GroupSnapshot): Promise<{ memberId: string; assignment: MemberAssignment }[]> {
  const assignments = await assignor.assign(group);
  return group.members.map(({ memberId }) => {
    const assignment = assignments.get(memberId);
    if (assignment === undefined) {
      throw new Error(`the assignor ${assignor.name} gave member ${memberId} no entry (every member needs one, maybe empty)`);
    }
    return { memberId, assignment };
  });
}
