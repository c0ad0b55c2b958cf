import { KafkajsClient } from '@ts-streams/runtime';
import type { Admin } from 'kafkajs';
import { topicRecords } from './bench-topics.ts';
import type { RunResult } from './run-result.ts';

/** What a run must have done, checked after it (a run that lost or dropped records has no figure). */
export interface RunExpectation {
  /** Names the run in the error: workload, system, application id. */
  readonly name: string;
  /** Records it must have processed: every record of its inputs. */
  readonly processed: number;
  /** Its group must have committed every input offset: per topic, the records it holds. */
  readonly committed?: { readonly groupId: string; readonly topics: readonly { readonly topic: string; readonly records: number }[] };
  /**
   * What the output topic must hold: `records` records (every-record, join-pairs), or final counts per key (or
   * window) summing to `records` (final-counts).
   */
  readonly output?: { readonly topic: string; readonly kind: 'every-record' | 'final-counts' | 'join-pairs'; readonly records: number };
  /** W7: orders that must have found their table row. */
  readonly matched?: number;
}

/** Where a run's group offsets and outputs are read: the broker (kafkaInspector), or the embedded log of an embedded run. */
export interface RunInspector {
  /** The group's committed offsets of the topic, summed over its partitions (a partition without one counts 0). */
  committed(groupId: string, topic: string): Promise<number>;
  /** The records a topic holds (end minus start offsets, over its partitions). */
  records(topic: string): Promise<number>;
  /** A count topic read to its end: the last count per key (the key's bytes, windowed or not), summed. */
  finalCounts(topic: string): Promise<number>;
}

/**
 * The broker's inspector. A count topic's final counts are read by `finalCounts` (the suite's: the Java program's
 * final-counts mode, which reads W6H's millions of output records fastest), else in this process (sumOfFinalCounts).
 * `exactlyOnce`: the run wrote transactionally (--exactly-once), so its output topic's offsets count transaction
 * markers (and aborted records) too: records are counted as a read_committed consumer reads them, from `brokers`.
 */
export function kafkaInspector(
  admin: Admin, brokers: readonly string[], finalCounts: (topic: string) => Promise<number> = (topic) => sumOfFinalCounts(admin, topic, brokers),
  exactlyOnce = false,
): RunInspector {
  return {
    committed: async (groupId, topic) => {
      const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (offsets.find((t) => t.topic === topic)?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    },
    records: (topic) => (exactlyOnce ? committedRecords(brokers, topic) : topicRecords(admin, topic)),
    finalCounts,
  };
}

/** Throws, naming every problem, when the run did not do what it must; the run then has no figure. */
export async function checkRun(inspect: RunInspector, e: RunExpectation, r: RunResult): Promise<void> {
  const problems: string[] = [];
  if (r.processed !== e.processed) problems.push(`processed ${r.processed} records, not ${e.processed}`);
  if (r.dropped !== 0) problems.push(`dropped ${r.dropped} records`);
  if (e.matched !== undefined && r.matched !== e.matched) problems.push(`matched ${r.matched ?? 'no'} records with the table, not ${e.matched}`);
  if (e.committed !== undefined) {
    for (const { topic, records } of e.committed.topics) {
      const committed = await inspect.committed(e.committed.groupId, topic);
      if (committed !== records) problems.push(`its group committed offsets of ${topic} summing to ${committed}, not ${records}`);
    }
  }
  if (e.output !== undefined) {
    const { topic, kind, records } = e.output;
    if (kind === 'final-counts') {
      const total = await inspect.finalCounts(topic);
      if (total !== records) problems.push(`its final counts sum to ${total}, not ${records}`);
    } else {
      const written = await inspect.records(topic);
      if (written !== records) problems.push(`wrote ${written} output records, not ${records}${kind === 'join-pairs' ? ' (the pairs of the generated input)' : ''}`);
    }
  }
  if (problems.length > 0) throw new Error(`${e.name}: ${problems.join('; ')}. This run has no figure.`);
}

/** How long reading a count topic to its end may take before the check fails (it reads millions of records in seconds). */
const READ_DEADLINE_MS = 120_000;

/**
 * Reads a count topic to its end: the last count per key (the key's bytes, windowed or not), summed. Through the
 * runtime's assigned consumer on kafkajs (no group to join; our Fetch decoder: kafkajs-fast-fetch.ts), from each
 * partition's start to the end offset it had when the check began (the run has closed: nothing is written after).
 */
export async function sumOfFinalCounts(admin: Admin, topic: string, brokers: readonly string[]): Promise<number> {
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
  const remaining = new Set([...ends].filter(([, high]) => high > 0).map(([p]) => p));
  if (remaining.size === 0) return 0;
  const client = new KafkajsClient({ bootstrapServers: brokers, clientId: 'bench-verify' });
  const consumer = client.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 100_000 });
  const last = new Map<string, bigint>();
  try {
    await consumer.connect();
    const partitions = [...remaining].map((partition) => ({ topic, partition }));
    consumer.assign(partitions);
    for (const tp of partitions) consumer.seek(tp, 'earliest');
    const deadline = Date.now() + READ_DEADLINE_MS;
    while (remaining.size > 0) {
      if (Date.now() > deadline) throw new Error(`Reading ${topic} to its end took more than ${READ_DEADLINE_MS / 1000} s (partitions ${[...remaining].join(', ')} not read to their end).`);
      for (const f of await consumer.poll({ maxRecords: 100_000, timeoutMs: 500 })) {
        for (const r of f.records) last.set(Buffer.from(r.key!.buffer, r.key!.byteOffset, r.key!.byteLength).toString('latin1'), readCount(r.value!));
        if (f.nextOffset >= ends.get(f.partition)!) remaining.delete(f.partition);
      }
    }
  } finally {
    // Not awaited: the close waits out the fetch in flight (a long poll of up to 500 ms on partitions read to their
    // end), which was most of a check's time; the connections close when it answers, while the suite goes on.
    void consumer.close().then(() => client.close()).catch(() => undefined);
  }
  let sum = 0n;
  for (const v of last.values()) sum += v;
  return Number(sum);
}

/** The records of a topic a read_committed consumer reads, every partition to its last stable offset. */
async function committedRecords(brokers: readonly string[], topic: string): Promise<number> {
  const client = new KafkajsClient({ bootstrapServers: brokers, clientId: 'bench-verify', connectTimeoutMs: 10_000 });
  const admin = client.admin();
  const consumer = client.assignedConsumer({ isolation: 'read_committed', maxBufferedRecords: 50_000 });
  try {
    const partitions = (await admin.describeTopics([topic])).get(topic)?.partitions ?? 0;
    const tps = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
    await consumer.connect();
    consumer.assign(tps);
    for (const tp of tps) consumer.seek(tp, 'earliest');
    const caughtUp = new Set<number>();
    let n = 0;
    const deadline = Date.now() + 120_000;
    while (caughtUp.size < partitions && Date.now() < deadline) {
      for (const f of await consumer.poll({ maxRecords: 50_000, timeoutMs: 500 })) {
        n += f.records.length;
        if (f.lag === 0) caughtUp.add(f.partition);
      }
    }
    return n;
  } finally {
    await consumer.close().catch(() => undefined);
    await admin.close().catch(() => undefined);
    await client.close();
  }
}

/** A count's value: a big-endian 64-bit integer (LongSerde). */
function readCount(v: Uint8Array): bigint {
  return new DataView(v.buffer, v.byteOffset, v.byteLength).getBigInt64(0);
}
