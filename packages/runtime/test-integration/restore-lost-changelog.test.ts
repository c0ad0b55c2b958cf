// KafkaStreams restoring a store whose changelog no longer has the checkpointed offset: the changelog deleted and
// recreated (the checkpoint is past its end), or its records deleted past the checkpoint (the fetch is out of
// range). Either way the store is wiped, with a log line, and restored from what the changelog holds — no crash,
// no stale state. Each test has topics, a group and state directories of its own.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { Admin, Kafka } from 'kafkajs';
import { KafkaStreams, type StreamsConfig } from '@ts-streams/runtime';
import { kafkaTest, type TestBroker } from './kafka-test.ts';
import { createTopics } from './app-fixture.ts';
import { countsOf, eventually, latestCounts, produceWords, sorted, wordCounts, wordsFor } from './word-count-kit.ts';

const PARTITIONS = 4;

interface Setup {
  kafka: Kafka;
  admin: Admin;
  input: string;
  output: string;
  applicationId: string;
  changelog: string;
  /** A state directory per application instance. */
  stateDir(): string;
}

async function setup(t: ExecutionContext, broker: TestBroker): Promise<Setup> {
  const id = randomUUID().slice(0, 8);
  const kafka = broker.kafka(`restore-${id}`);
  const admin = kafka.admin();
  await admin.connect();
  const dirs: string[] = [];
  const applicationId = `restore-${id}`;
  const s: Setup = {
    kafka, admin, input: `words-${id}`, output: `counts-${id}`, applicationId, changelog: `${applicationId}-word-counts-changelog`,
    stateDir: () => {
      const dir = mkdtempSync(join(tmpdir(), 'ts-streams-restore-'));
      dirs.push(dir);
      return dir;
    },
  };
  t.teardown(async () => {
    await admin.deleteTopics({ topics: (await admin.listTopics()).filter((x) => x.includes(id)) }).catch(() => undefined);
    await admin.deleteGroups([applicationId]).catch(() => undefined);
    await admin.disconnect();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  await createTopics(admin, [[s.input, PARTITIONS], [s.output, PARTITIONS]]);
  return s;
}

/** Runs the word count over what the input holds until the output shows `expected`, then closes it cleanly. */
async function runUntil(t: ExecutionContext, s: Setup, config: StreamsConfig, expected: ReadonlyMap<string, number>, name: string, changelogConfigs: Record<string, string> = {}): Promise<string[]> {
  const lines: string[] = [];
  const app = new KafkaStreams(wordCounts(s.input, s.output, changelogConfigs), config, { log: (l) => { lines.push(l); t.log(`${name}: ${l}`); } });
  t.teardown(() => app.close());
  await app.start();
  t.deepEqual(sorted(await latestCounts(s.kafka, s.output, expected)), sorted(expected), `${name}: counts`);
  await app.close();
  t.is(app.state, 'NOT_RUNNING', `${name}: ${String(app.error)}`);
  return lines;
}

/** The end offset of each partition of `topic`, by partition. */
async function ends(admin: Admin, topic: string): Promise<number[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
}

/** The latest count per word the changelog still holds, read from its log start to `end` (per partition). */
async function changelogContent(kafka: Kafka, topic: string, end: readonly number[]): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  const next = end.map(() => 0);
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let reached!: () => void;
    const done = new Promise<void>((resolve) => (reached = resolve));
    const check = () => {
      if (next.every((n, p) => n >= end[p]!)) reached();
    };
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          if (Number(m.offset) >= end[batch.partition]!) continue;
          latest.set(m.key!.toString(), m.value === null ? NaN : Number(m.value.readBigInt64BE()));
        }
        // The next offset after the batch, as far as the batch tells (a truncated log starts past 0).
        next[batch.partition] = Math.max(next[batch.partition]!, Number(batch.lastOffset()) + 1);
        check();
      },
    });
    // A partition with nothing left to read has nothing to wait for.
    const low = (await kafkaAdminOffsets(kafka, topic)).map((o) => Number(o.low));
    low.forEach((l, p) => {
      if (l >= end[p]!) next[p] = end[p]!;
    });
    check();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([done.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 30_000)))]);
    clearTimeout(timer);
    if (timedOut) throw new Error(`reading ${topic} to ${end.join(',')} timed out at ${next.join(',')}`);
  } finally {
    await consumer.disconnect();
  }
  return latest;
}

async function kafkaAdminOffsets(kafka: Kafka, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}

/** `base` plus `more`, per word. */
function plus(base: ReadonlyMap<string, number>, more: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map(base);
  for (const [k, n] of more) out.set(k, (out.get(k) ?? 0) + n);
  return out;
}

kafkaTest.serial('the changelog deleted and recreated (the checkpoint is past its end): the store is wiped and restored from the start, nothing stale kept', async (t, broker) => {
  const s = await setup(t, broker);
  const stateDir = s.stateDir();
  const config = { applicationId: s.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir, commitIntervalMs: 200 };
  const first = wordsFor(1_000, 1);
  await produceWords(s.kafka, s.input, first);
  await runUntil(t, s, config, countsOf(first), '1st');
  const checkpointed = await ends(s.admin, s.changelog);
  t.true(checkpointed.every((o) => o > 0), `every changelog partition had records: ${checkpointed.join(',')}`);

  // The changelog goes away with the counts of the first run; the application recreates it, empty.
  await s.admin.deleteTopics({ topics: [s.changelog] });
  t.true(await eventually(async () => !(await s.admin.listTopics()).includes(s.changelog), 30_000), 'the changelog is deleted');

  const second = wordsFor(1_000, 2);
  await produceWords(s.kafka, s.input, second, first.length);
  // The stores start from what the (new, empty) changelog holds: nothing. The second run counts the second words only.
  const lines = await runUntil(t, s, config, countsOf(second), '2nd');
  t.true(lines.some((l) => l.startsWith(`Created internal topics ${s.changelog}`)), 'the changelog was recreated');
  for (let p = 0; p < PARTITIONS; p++) {
    const wiped = lines.filter((l) => l.startsWith(`Changelog ${s.changelog}-${p} ends at offset 0, before offset ${checkpointed[p]} that store 'word-counts' of task 1_${p} is checkpointed at`));
    t.is(wiped.length, 1, `one line says why store word-counts of task 1_${p} is wiped`);
    t.regex(wiped[0] ?? '', /wiping the store and restoring it from the start of the changelog\.$/);
  }
  t.false(lines.some((l) => l.includes('State store word-counts: wiped') || l.includes('was missing')), 'no second, misleading warning from opening the wiped store');
});

kafkaTest.serial('changelog records deleted past the checkpoint (the fetch is out of range): the store is wiped and restored from what is left, nothing stale kept', async (t, broker) => {
  const s = await setup(t, broker);
  // A changelog whose records may be deleted (DeleteRecords is refused on a compact-only topic).
  const deletable = { 'cleanup.policy': 'compact,delete', 'retention.ms': '-1' };
  const stale = s.stateDir();
  const config = (stateDir: string) => ({ applicationId: s.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir, commitIntervalMs: 200 });
  const first = wordsFor(1_000, 1);
  await produceWords(s.kafka, s.input, first);
  await runUntil(t, s, config(stale), countsOf(first), '1st', deletable);
  const checkpointed = await ends(s.admin, s.changelog);

  // Another instance (state directory of its own) counts more words, a few of them, and writes their counts on.
  const second = wordsFor(400, 2, 8);
  await produceWords(s.kafka, s.input, second, first.length);
  await runUntil(t, s, config(s.stateDir()), plus(countsOf(first), countsOf(second)), '2nd', deletable);
  const end = await ends(s.admin, s.changelog);

  // Records up to just past the first instance's checkpoint are deleted where the second one wrote more.
  const truncated = [...end.keys()].filter((p) => end[p]! > checkpointed[p]!);
  t.true(truncated.length > 0, `the second run wrote to the changelog: ${checkpointed.join(',')} → ${end.join(',')}`);
  await s.admin.deleteTopicRecords({ topic: s.changelog, partitions: truncated.map((p) => ({ partition: p, offset: String(checkpointed[p]! + 1) })) });
  // What a store may hold from now on: what the changelog holds. Words whose last count is gone count from 0 again.
  const held = await changelogContent(s.kafka, s.changelog, end);
  const lost = [...countsOf(first).keys()].filter((w) => !held.has(w));
  t.true(lost.length > 0, 'some words lost their count with the deleted records (a store kept as it was would still have them)');

  // The first instance's directory: its checkpoint is before the log start now.
  const third = wordsFor(1_000, 3);
  await produceWords(s.kafka, s.input, third, first.length + second.length);
  const lines: string[] = [];
  const app = new KafkaStreams(wordCounts(s.input, s.output, deletable), config(stale), { log: (l) => { lines.push(l); t.log(`3rd: ${l}`); } });
  t.teardown(() => app.close());
  await app.start();
  const expected = plus(held, countsOf(third));
  t.deepEqual(sorted(await latestCounts(s.kafka, s.output, expected)), sorted(expected));
  for (const p of truncated) {
    t.true(lines.some((l) => l.startsWith(`Changelog ${s.changelog}-${p} no longer has offset ${checkpointed[p]} that store 'word-counts' of task 1_${p} restores from`)), `a line says why the store of task 1_${p} is wiped`);
    // Restored again from the log start: every record the changelog still has.
    const restored = app.metrics().restored.filter((r) => r.task === `1_${p}`);
    t.is(restored.at(-1)?.records, end[p]! - (checkpointed[p]! + 1), `task 1_${p} restored what is left: ${JSON.stringify(restored)}`);
  }
  t.is(app.state, 'RUNNING');
  await app.close();
});
