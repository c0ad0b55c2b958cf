// Reading a topic as a read_committed consumer sees it, for the exactly-once tests: every partition from its log start
// until the fetch reports it caught up with the last stable offset (lag 0). Plain kafkajs's consumer cannot tell
// when it reached the end under read_committed (the last offsets before the end are transaction markers, never
// delivered), so this reads through the client seam's assigned consumer of the kafkajs adapter (its Fetch decoding
// of transactions is checked against kafkajs's own transactions in kafkajs-fetch-decoding.test.ts).
import { KafkajsClient } from '../src/client/kafkajs/kafkajs-client.ts';

/** A record as read back: key as a string, value as bytes. */
export interface CommittedRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: Buffer | null;
}

export async function readCommitted(
  brokers: readonly string[],
  topic: string,
  partitions: number,
  timeoutMs = 60_000,
  isolation: 'read_committed' | 'read_uncommitted' = 'read_committed',
): Promise<CommittedRecord[]> {
  const client = new KafkajsClient({ bootstrapServers: brokers, clientId: `committed-reader-${topic}`, connectTimeoutMs: 10_000 });
  const consumer = client.assignedConsumer({ isolation, maxBufferedRecords: 20_000 });
  const records: CommittedRecord[] = [];
  try {
    await consumer.connect();
    const tps = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
    consumer.assign(tps);
    for (const tp of tps) consumer.seek(tp, 'earliest');
    const caughtUp = new Set<number>();
    const deadline = Date.now() + timeoutMs;
    while (caughtUp.size < partitions) {
      if (Date.now() > deadline) throw new Error(`${topic} not read to its last stable offset within ${timeoutMs} ms (caught up: ${[...caughtUp].join(',')})`);
      let polled;
      try {
        polled = await consumer.poll({ maxRecords: 10_000, timeoutMs: 500 });
      } catch (e) {
        // A repartition topic's consumed records are deleted as the application runs (its purge): read on from the new log start.
        const lost = (e as { reason?: string; partitions?: readonly { topic: string; partition: number }[] });
        if (lost.reason !== 'offset-out-of-range' || lost.partitions === undefined) throw e;
        for (const tp of lost.partitions) consumer.seek(tp, 'earliest');
        continue;
      }
      for (const f of polled) {
        for (const r of f.records) {
          records.push({
            partition: f.partition, offset: r.offset!, key: r.key === null ? null : Buffer.from(r.key).toString(),
            value: r.value === null ? null : Buffer.from(r.value),
          });
        }
        if (f.lag === 0) caughtUp.add(f.partition);
        else caughtUp.delete(f.partition);
      }
    }
  } finally {
    await consumer.close().catch(() => undefined);
    await client.close();
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}
