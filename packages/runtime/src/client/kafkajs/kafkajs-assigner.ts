import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import { assignEveryMember, type GroupAssignor, type GroupSnapshot, type MemberSubscription } from '../group-assignor.ts';
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from './consumer-protocol.ts';

// Our GroupAssignor as a kafkajs partition assigner: kafkajs calls protocol() at every JoinGroup and, on the leader,
// assign() with every member's JoinGroup metadata; both speak Kafka's consumer protocol bytes (consumer-protocol.ts),
// with our assignor's userData inside.
//
// kafkajs decodes the member's own SyncGroup assignment and keeps only the partitions: the userData our assignor gave
// the member (its tasks) is dropped. To hand it to RebalanceListener#onAssigned, the leader wraps each member's
// userData in an envelope naming the member, and the one function kafkajs decodes assignments with (its exported
// AssignerProtocol.MemberAssignment.decode, which its consumer group looks up at each call) is wrapped, once per
// process, to keep the envelope's content per member id until the member's GROUP_JOIN event takes it
// (takeAssignedUserData). Only our assignor's members read the envelope: the protocol name keeps other clients out.

/** The bytes that start an envelope: "tss" and the envelope's version. */
const ENVELOPE_MAGIC = Buffer.from('tss\u0001', 'latin1');

const userDataByMember = new Map<string, Uint8Array>();
let decodeWrapped = false;

/** Exported for the kafkats adapter, which reads and writes the same bytes (a group may mix both adapters). */
export function wrapEnvelope(memberId: string, userData: Uint8Array): Buffer {
  const id = Buffer.from(memberId, 'utf8');
  const length = Buffer.allocUnsafe(2);
  length.writeUInt16BE(id.length);
  return Buffer.concat([ENVELOPE_MAGIC, length, id, userData]);
}

export function openEnvelope(bytes: Uint8Array): { memberId: string; userData: Uint8Array } | undefined {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.length < ENVELOPE_MAGIC.length + 2 || !data.subarray(0, ENVELOPE_MAGIC.length).equals(ENVELOPE_MAGIC)) return undefined;
  const idLength = data.readUInt16BE(ENVELOPE_MAGIC.length);
  const idEnd = ENVELOPE_MAGIC.length + 2 + idLength;
  if (data.length < idEnd) return undefined;
  return { memberId: data.toString('utf8', ENVELOPE_MAGIC.length + 2, idEnd), userData: Uint8Array.prototype.slice.call(data, idEnd) };
}

function captureAssignedUserData(): void {
  if (decodeWrapped) return;
  decodeWrapped = true;
  const serializer = AssignerProtocol.MemberAssignment as { decode(buffer: Buffer): unknown };
  const decode = serializer.decode.bind(serializer);
  serializer.decode = (buffer: Buffer) => {
    const decoded = decode(buffer);
    try {
      const opened = openEnvelope(decodeAssignment(buffer).userData);
      if (opened !== undefined) userDataByMember.set(opened.memberId, opened.userData);
    } catch {
      // Not an assignment of ours: kafkajs's own decoding above decides what it is.
    }
    return decoded;
  };
}

/** The userData our assignor gave `memberId` in the SyncGroup kafkajs just completed (empty if none was captured). */
export function takeAssignedUserData(memberId: string): Uint8Array {
  const userData = userDataByMember.get(memberId);
  userDataByMember.delete(memberId);
  return userData ?? new Uint8Array(0);
}

/**
 * The kafkajs PartitionAssigner carrying `assignor`. `failed` hears of an assign() that threw (kafkajs then fails the
 * rebalance and crashes the consumer with that error).
 */
export function kafkajsAssigner(assignor: GroupAssignor, failed: (error: unknown) => void): PartitionAssigner {
  captureAssignedUserData();
  return ({ cluster }) => ({
    name: assignor.name,
    version: assignor.version,

    protocol({ topics }) {
      const userData = assignor.subscriptionUserData(topics);
      return { name: assignor.name, metadata: encodeSubscription({ version: assignor.version, topics, userData }) };
    },

    async assign({ members }) {
      try {
        const subscriptions: MemberSubscription[] = members.map(({ memberId, memberMetadata }) => {
          const { topics, userData } = decodeSubscription(memberMetadata);
          return { memberId, topics, userData };
        });
        // Every topic some member subscribed to; kafkajs refreshed the leader's metadata before calling assign.
        const partitionsPerTopic = new Map<string, number>();
        for (const topic of new Set(subscriptions.flatMap((s) => s.topics))) {
          let count = 0;
          try {
            count = cluster.findTopicPartitionMetadata(topic).length;
          } catch {
            count = 0;
          }
          if (count > 0) partitionsPerTopic.set(topic, count);
        }
        const group: GroupSnapshot = { members: subscriptions, partitionsPerTopic };
        return (await assignEveryMember(assignor, group)).map(({ memberId, assignment }) => ({
          memberId,
          memberAssignment: encodeAssignment({
            version: assignor.version,
            partitions: assignment.partitions,
            userData: wrapEnvelope(memberId, assignment.userData),
          }),
        }));
      } catch (error) {
        failed(error);
        throw error;
      }
    },
  });
}
