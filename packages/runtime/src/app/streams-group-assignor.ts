import type { Topology } from '@ts-streams/dsl';
import type { GroupAssignor, GroupSnapshot, MemberAssignment } from '../client/group-assignor.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import { assignGroup } from '../assignment/group-assignment.ts';
import { encodeSubscriptionInfo, decodeSubscriptionInfo, type TaskOffsetSum } from '../assignment/subscription-info.ts';
import { encodeAssignmentInfo } from '../assignment/assignment-info.ts';
import { LATEST_PROTOCOL_VERSION } from '../assignment/protocol-version.ts';
import type { TaskAssignment } from '../assignment/task-assignor.ts';
import type { TaskId } from '../assignment/task-id.ts';

/** What this member tells the leader at each join: read at that moment, so it must be known without I/O. */
export interface MemberTasks {
  /** The active tasks it ran until this rebalance. */
  readonly ownedTasks: readonly TaskId[];
  /** Tasks it has state for on disk with a checkpoint, other than the owned ones. */
  readonly taskOffsetSums: readonly TaskOffsetSum[];
}

export interface StreamsGroupAssignorOptions {
  readonly topology: Topology;
  readonly applicationId: string;
  /** This instance's process id (stable across restarts: kept in the state directory). */
  readonly processId: string;
  /** Where it answers interactive queries (application.server), '' when nowhere. */
  readonly userEndpoint?: string;
  /** What it owns and has on disk now. */
  readonly memberTasks: () => MemberTasks;
  /** Told the leader's task assignment after each rebalance it leads (kept, warm, cold), for the log. */
  readonly onAssigned?: (tasks: TaskAssignment) => void;
}

/**
 * The application's partition assignor on the client seam (Kafka Streams' StreamsPartitionAssignor): every
 * member's subscription carries our SubscriptionInfo (process, owned tasks, state on disk); the leader decodes
 * them, runs assignGroup over the partition counts its metadata knows, and sends each member whole tasks' partitions
 * with an AssignmentInfo naming them (or, when a source topic is missing, the same error to every member).
 *
 * Its protocol name is 'ts-streams', not Kafka Streams' 'stream': the userData formats differ, so a Java Kafka
 * Streams instance and a ts-streams one in the same group fail to join (InconsistentGroupProtocol) rather than
 * misread each other's bytes.
 */
export class StreamsGroupAssignor implements GroupAssignor {
  readonly name = 'ts-streams';
  readonly version = LATEST_PROTOCOL_VERSION;

  constructor(private readonly options: StreamsGroupAssignorOptions) {}

  subscriptionUserData(): Uint8Array {
    const { ownedTasks, taskOffsetSums } = this.options.memberTasks();
    return encodeSubscriptionInfo({ processId: this.options.processId, userEndpoint: this.options.userEndpoint ?? '', ownedTasks, taskOffsetSums });
  }

  assign(group: GroupSnapshot): ReadonlyMap<string, MemberAssignment> {
    const { topology, applicationId } = this.options;
    // A member whose bytes are not a subscription of ours throws an AssignmentProtocolError naming what is wrong:
    // the rebalance fails rather than hand tasks to a member that cannot read its assignment.
    const members = group.members.map((m) => ({ memberId: m.memberId, subscription: decodeSubscriptionInfo(Buffer.from(m.userData.buffer, m.userData.byteOffset, m.userData.byteLength)) }));
    const result = assignGroup({ topology, applicationId, partitionCount: (t) => group.partitionsPerTopic.get(t), members });
    if (result.tasks !== undefined) this.options.onAssigned?.(result.tasks);
    const out = new Map<string, MemberAssignment>();
    for (const m of result.members) {
      const partitions: TopicPartition[] = [];
      for (const [topic, ps] of Object.entries(m.partitions)) for (const partition of ps) partitions.push({ topic, partition });
      out.set(m.memberId, { partitions, userData: encodeAssignmentInfo(m.info) });
    }
    return out;
  }
}
