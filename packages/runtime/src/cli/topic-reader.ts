import type { KafkaClient } from '../client/kafka-client.ts';
import type { KafkaAdmin } from '../client/kafka-admin.ts';
import { setTimeout as delay } from 'node:timers/promises';
import type { AssignedConsumer } from '../client/assigned-consumer.ts';
import type { FetchedPartition } from '../client/fetched-partition.ts';

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
  if (from === 'latest') {
    // The end as of now, before the caller starts what writes there (`run --print` opens its reader, then starts the
    // application): a symbolic 'latest' is looked up at the reader's first fetch, which a fast application's first
    // outputs can precede (seen with the kafkats adapter: nothing printed).
    for (const { topic: t, partition, offset } of await admin.listOffsets(partitions, 'latest')) reader.seek({ topic: t, partition }, offset);
  } else {
    for (const p of partitions) reader.seek(p, from);
  }
  return reader;
}

/** How long a reader that got nothing waits before polling again (see pollRecords). */
const IDLE_WAIT_MS = 100;

/**
 * One poll of a topic reader, for a reader that only wants records: when the poll returns none before its timeout,
 * waits a little (a timer) before returning. The embedded log answers a caught-up partition at once (restoration
 * relies on that to learn it reached the end); a print loop polling it again at once would spin on microtasks and
 * starve the event loop — timers, signals, the application itself.
 */
export async function pollRecords(reader: AssignedConsumer, options: { readonly maxRecords: number; readonly timeoutMs: number }): Promise<readonly FetchedPartition[]> {
  const started = Date.now();
  const batches = await reader.poll(options);
  if (batches.some((b) => b.records.length > 0)) return batches;
  const left = options.timeoutMs - (Date.now() - started);
  if (left > 0) await delay(Math.min(left, IDLE_WAIT_MS));
  return batches;
}
