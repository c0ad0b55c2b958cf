import { ErrorCode, type Cluster } from '@kafkats/client';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import { codeError, toClientError } from './kafkats-errors.ts';

/** ListOffsets' special timestamps: the log start (-2) and the end (-1: under read_committed, the last stable offset). */
const EARLIEST = -2n;
const LATEST = -1n;

/**
 * The earliest or latest offset of each partition, in the order asked (ListOffsets to each partition's leader, one
 * request per leader). A partition the cluster's metadata does not have rejects with 'unknown-topic'; an error a
 * leader answers for a partition rejects with that error's kind.
 */
export async function listOffsets(
  cluster: Cluster,
  partitions: readonly TopicPartition[],
  which: 'earliest' | 'latest',
  isolation: 'read_uncommitted' | 'read_committed',
  what: string,
): Promise<TopicPartitionOffset[]> {
  if (partitions.length === 0) return [];
  const byLeader = new Map<number, Map<string, number[]>>();
  try {
    const topics = [...new Set(partitions.map((tp) => tp.topic))];
    const metadata = await cluster.refreshMetadata(topics);
    for (const { topic, partition } of partitions) {
      const leader = metadata.topics.get(topic)?.partitions.get(partition)?.leaderId;
      if (leader === undefined) {
        throw new ClientError(`${what} failed: topic ${topic} has no partition ${partition}`, 'unknown-topic', { partitions: [{ topic, partition }] });
      }
      if (leader < 0) throw new ClientError(`${what} failed: ${topic}-${partition} has no leader`, 'unreachable', { partitions: [{ topic, partition }] });
      let ofLeader = byLeader.get(leader);
      if (ofLeader === undefined) byLeader.set(leader, (ofLeader = new Map()));
      let ps = ofLeader.get(topic);
      if (ps === undefined) ofLeader.set(topic, (ps = []));
      ps.push(partition);
    }
    const found = new Map<string, number>();
    await Promise.all(
      [...byLeader].map(async ([nodeId, byTopic]) => {
        const broker = await cluster.getBroker(nodeId);
        const response = await broker.listOffsets({
          replicaId: -1,
          isolationLevel: isolation === 'read_committed' ? 1 : 0,
          topics: [...byTopic].map(([name, ps]) => ({
            name,
            partitions: ps.map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp: which === 'earliest' ? EARLIEST : LATEST })),
          })),
        });
        for (const topic of response.topics) {
          for (const p of topic.partitions) {
            const tp = { topic: topic.name, partition: p.partitionIndex };
            if (p.errorCode !== ErrorCode.None) throw codeError(p.errorCode, `${what} (${tp.topic}-${tp.partition})`, [tp]);
            found.set(`${tp.topic}\u0000${tp.partition}`, Number(p.offset));
          }
        }
      }),
    );
    return partitions.map(({ topic, partition }) => {
      const offset = found.get(`${topic}\u0000${partition}`);
      if (offset === undefined) throw new ClientError(`${what} failed: the broker did not answer for ${topic}-${partition}`, 'unreachable', { partitions: [{ topic, partition }] });
      return { topic, partition, offset };
    });
  } catch (error) {
    throw toClientError(error, what);
  }
}
