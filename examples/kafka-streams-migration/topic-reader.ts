// Reads topics from their start to the end offsets they have now, every partition, with kafkajs (the test's own
// client, the same for both adapter passes): what the migration test compares.
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';

export interface ReadRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly headers: number;
}

/** Per topic, per partition, the records in offset order. */
export type TopicContents = Map<string, Map<number, ReadRecord[]>>;

export async function readTopics(kafka: Kafka, admin: Admin, topics: readonly string[], timeoutMs: number): Promise<TopicContents> {
  const end = new Map<string, number>();
  const next = new Map<string, number>();
  const out: TopicContents = new Map();
  for (const topic of topics) {
    const partitions = new Map<number, ReadRecord[]>();
    out.set(topic, partitions);
    for (const p of await admin.fetchTopicOffsets(topic)) {
      end.set(`${topic}/${p.partition}`, Number(p.high));
      next.set(`${topic}/${p.partition}`, Number(p.low));
      partitions.set(p.partition, []);
    }
  }
  const atEnd = () => [...end].every(([tp, e]) => next.get(tp)! >= e);
  if (atEnd()) return out;
  const groupId = `reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    let reached!: () => void;
    const done = new Promise<void>((resolve) => (reached = resolve));
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const records = out.get(batch.topic)!.get(batch.partition)!;
        for (const m of batch.messages) {
          records.push({ key: m.key, value: m.value, timestamp: Number(m.timestamp), headers: Object.keys(m.headers ?? {}).length });
          next.set(`${batch.topic}/${batch.partition}`, Number(m.offset) + 1);
        }
        if (atEnd()) reached();
      },
    });
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${topics.join(', ')} not read to their ends within ${timeoutMs} ms: at ${JSON.stringify([...next])} of ${JSON.stringify([...end])}`)), timeoutMs);
    });
    await Promise.race([done, timedOut]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return out;
}
