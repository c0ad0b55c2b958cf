import type { KafkaAdmin } from '../client/kafka-admin.ts';

/** One input partition of an application: its committed position, its end, and the records between. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  /** undefined: the application never committed on the partition. */
  readonly committed: number | undefined;
  readonly end: number;
  /** end − committed; undefined with no commit. */
  readonly lag: number | undefined;
}

/**
 * The lag of the group `groupId` on the partitions of `topics` that exist (Kafka's consumer-group lag, the seed's
 * lag monitoring): what `streams lag` prints and the status line of `streams run` sums. A topic not created yet (a
 * repartition topic before the first run) has no partitions here.
 */
export async function groupLag(admin: KafkaAdmin, groupId: string, topics: readonly string[]): Promise<PartitionLag[]> {
  const described = await admin.describeTopics(topics);
  const partitions = topics.flatMap((topic) => Array.from({ length: described.get(topic)?.partitions ?? 0 }, (_, partition) => ({ topic, partition })));
  if (partitions.length === 0) return [];
  const [ends, committed] = await Promise.all([
    admin.listOffsets(partitions, 'latest'),
    admin.committedOffsets(groupId, topics.filter((t) => described.get(t) !== undefined)),
  ]);
  const committedOf = new Map(committed.map((c) => [`${c.topic}\u0000${c.partition}`, c.offset]));
  return ends.map(({ topic, partition, offset: end }) => {
    const at = committedOf.get(`${topic}\u0000${partition}`);
    return { topic, partition, committed: at, end, lag: at === undefined ? undefined : Math.max(0, end - at) };
  });
}
