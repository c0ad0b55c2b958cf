import type { KafkaClient } from '../client/kafka-client.ts';
import type { KafkaAdmin } from '../client/kafka-admin.ts';
import type { AssignedConsumer } from '../client/assigned-consumer.ts';

/**
 * A consumer outside any group reading every partition of a topic from its beginning or its end (what `tail` and
 * `run --print` read with; nothing is committed). undefined when the topic does not exist.
 */
export async function openTopicReader(client: KafkaClient, admin: KafkaAdmin, topic: string, from: 'earliest' | 'latest'): Promise<AssignedConsumer | undefined> {
  const described = (await admin.describeTopics([topic])).get(topic);
  if (described === undefined) return undefined;
  const reader = client.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 2_000 });
  await reader.connect();
  const partitions = Array.from({ length: described.partitions }, (_, partition) => ({ topic, partition }));
  reader.assign(partitions);
  for (const p of partitions) reader.seek(p, from);
  return reader;
}
