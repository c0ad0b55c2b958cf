import type { Topology } from '@ts-streams/dsl';
import { AssignorError } from './assignor-error.ts';
import type { AssignmentInfo, TaskHost } from './assignment-info.ts';
import { LATEST_PROTOCOL_VERSION } from './protocol-version.ts';
import type { SubscriptionInfo } from './subscription-info.ts';
import { assignTasks, type TaskAssignment } from './task-assignor.ts';
import { TaskId } from './task-id.ts';
import { missingSourceTopics, taskPartitions, type PartitionCount } from './task-partitions.ts';

/** A member of the consumer group with its decoded subscription userData. */
export interface GroupMember {
  readonly memberId: string;
  readonly subscription: SubscriptionInfo;
}

/** What the leader sends one member. */
export interface MemberAssignment {
  readonly memberId: string;
  /** Its partitions by topic, each list ascending (the shape of a kafkajs MemberAssignment's `assignment`). */
  readonly partitions: Readonly<Record<string, readonly number[]>>;
  /** Its userData (encode with encodeAssignmentInfo). */
  readonly info: AssignmentInfo;
}

export interface GroupAssignment {
  /** One per member, in member id order. */
  readonly members: readonly MemberAssignment[];
  /** The task assignment (absent when the leader sends an error instead), for the leader's log. */
  readonly tasks?: TaskAssignment;
}

/**
 * The group leader's whole job in a rebalance, independent of the Kafka client: the topology's tasks over the
 * cluster's partition counts, assigned with assignTasks, turned into each member's partitions and userData.
 * A source topic the cluster lacks sends every member INCOMPLETE_SOURCE_TOPIC_METADATA naming it, as Kafka
 * Streams does, so every instance stops with the same clear error instead of running part of the topology.
 * The userData is written in the highest protocol version every member reads.
 */
export function assignGroup(input: {
  readonly topology: Topology;
  readonly applicationId: string;
  readonly partitionCount: PartitionCount;
  readonly members: readonly GroupMember[];
}): GroupAssignment {
  const { topology, applicationId, partitionCount, members } = input;
  const version = Math.min(LATEST_PROTOCOL_VERSION, ...members.map((m) => m.subscription.latestSupportedVersion));
  const header = { version, latestSupportedVersion: LATEST_PROTOCOL_VERSION };
  const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const missing = missingSourceTopics(topology, applicationId, partitionCount);
  if (missing.length > 0) {
    const errorMessage = `Source topic${missing.length > 1 ? 's' : ''} ${missing.map((t) => `'${t}'`).join(', ')} of application '${applicationId}' ${missing.length > 1 ? 'do' : 'does'} not exist; create ${missing.length > 1 ? 'them' : 'it'} before starting the application.`;
    const info: AssignmentInfo = { ...header, errorCode: AssignorError.INCOMPLETE_SOURCE_TOPIC_METADATA, errorMessage, activeTasks: [], hosts: [] };
    return { members: sorted.map((m) => ({ memberId: m.memberId, partitions: {}, info })) };
  }
  const all = taskPartitions(topology, applicationId, partitionCount);
  const partitionsOf = new Map(all.map((tp) => [tp.task.toString(), tp.partitions]));
  const tasks = assignTasks(
    all.map((tp) => tp.task),
    sorted.map((m) => ({ memberId: m.memberId, ownedTasks: m.subscription.ownedTasks, taskOffsetSums: m.subscription.taskOffsetSums })),
  );
  // The task → instance map, one host per process (a process may run several members).
  const hostOf = new Map<string, { readonly processId: string; readonly userEndpoint: string; readonly tasks: TaskId[] }>();
  for (const m of sorted) {
    const { processId, userEndpoint } = m.subscription;
    let h = hostOf.get(processId);
    if (!h) hostOf.set(processId, (h = { processId, userEndpoint, tasks: [] }));
    h.tasks.push(...tasks.tasksByMember.get(m.memberId)!);
  }
  for (const h of hostOf.values()) h.tasks.sort(TaskId.compare);
  const hosts: TaskHost[] = [...hostOf.values()].sort((a, b) => (a.processId < b.processId ? -1 : a.processId > b.processId ? 1 : 0));
  return {
    tasks,
    members: sorted.map((m) => {
      const activeTasks = tasks.tasksByMember.get(m.memberId)!;
      const partitions: Record<string, number[]> = {};
      for (const t of activeTasks) {
        for (const tp of partitionsOf.get(t.toString())!) (partitions[tp.topic] ??= []).push(tp.partition);
      }
      for (const list of Object.values(partitions)) list.sort((a, b) => a - b);
      return { memberId: m.memberId, partitions, info: { ...header, errorCode: AssignorError.NONE, errorMessage: '', activeTasks, hosts } };
    }),
  };
}
