import type { Admin } from 'kafkajs';

/** Every benchmark topic has 4 partitions (issue 17: the input over 4 partitions; outputs alike). */
export const PARTITIONS = 4;

/**
 * Creates a topic and waits until every partition has a leader and that leader serves it. kafkajs's own wait
 * (waitForLeaders) fails when a metadata answer does not list the new topic yet (UNKNOWN_TOPIC_OR_PARTITION while it
 * propagates): retried here. A leader in the metadata is not yet a partition the broker has loaded (under load, the
 * logs of a new topic's partitions were loaded up to 0.5 s after the metadata named their leader). Kafka Streams'
 * producer began writing W2's output in that gap once, and the broker then refused a batch of it as out of order
 * (sequence 0 after 468, OutOfOrderSequenceException in its log) every second until the close timed out: the smoke
 * run's W2 on Kafka Streams. So it also waits until the broker answers ListOffsets for every partition.
 */
export async function createTopic(admin: Admin, topic: string): Promise<void> {
  // Kept whatever the records' timestamps: the broker's time retention (7 days) must not empty a topic mid-run.
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, configEntries: [{ name: 'retention.ms', value: '-1' }] }], waitForLeaders: false });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions ?? [];
      if (partitions.length === PARTITIONS && partitions.every((p) => p.leader >= 0)) {
        if ((await admin.fetchTopicOffsets(topic)).length === PARTITIONS) return;
      }
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    if (Date.now() > deadline) throw new Error(`Topic ${topic} has no leader serving each of its partitions after 60 s.`);
    // Short: the topic is usually served at the first or second look, and every run of the suite creates one.
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The records a topic holds (end minus start offsets, over its partitions). */
export async function topicRecords(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
}

/** Deletes what a run left: its output topic, its internal topics (`<applicationId>-…`) and its group. */
export async function dropRun(admin: Admin, run: { readonly applicationId: string; readonly output: string }): Promise<void> {
  const topics = (await admin.listTopics()).filter((t) => t === run.output || (run.applicationId !== '' && t.startsWith(`${run.applicationId}-`)));
  if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  if (run.applicationId !== '') await admin.deleteGroups([run.applicationId]).catch(() => undefined);
}
