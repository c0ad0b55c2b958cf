// KafkaStreams on the real broker: a groupBy through a repartition topic counted exactly, and a clean stop and
// restart that resumes from the committed offsets and the checkpoint. Each test has topics, a group and a state
// directory of its own.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { Admin, Kafka } from 'kafkajs';
import { StreamsBuilder, Serdes, Consumed, Grouped, Materialized, Produced, type Topology } from '@ts-streams/dsl';
import { KafkaStreams } from '@ts-streams/runtime';
import { kafkaTest, type TestBroker } from './kafka-test.ts';
import { createTopics } from './app-fixture.ts';

const PARTITIONS = 4;

/** words → groupBy(word) → count → out: the counts per word go through `<app>-by-word-repartition`. */
function wordCounts(input: string, output: string): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream(input, Consumed.with(s, s))
    .groupBy((_line, word) => word, Grouped.with(s, s, 'by-word'))
    .count(Materialized.as('word-counts'))
    .toStream()
    .to(output, Produced.with(s, Serdes.Long()));
  return b.build();
}

interface Setup {
  kafka: Kafka;
  admin: Admin;
  input: string;
  output: string;
  applicationId: string;
  stateDir: string;
}

async function setup(t: ExecutionContext, broker: TestBroker): Promise<Setup> {
  const id = randomUUID().slice(0, 8);
  const kafka = broker.kafka(`kafka-streams-test-${id}`);
  const admin = kafka.admin();
  await admin.connect();
  const s: Setup = { kafka, admin, input: `words-${id}`, output: `word-counts-${id}`, applicationId: `wc-${id}`, stateDir: mkdtempSync(join(tmpdir(), 'ts-streams-kafka-')) };
  t.teardown(async () => {
    const topics = (await admin.listTopics()).filter((x) => x.includes(id));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.deleteGroups([s.applicationId]).catch(() => undefined);
    await admin.disconnect();
    rmSync(s.stateDir, { recursive: true, force: true });
  });
  await createTopics(admin, [[s.input, PARTITIONS], [s.output, PARTITIONS]]);
  return s;
}

/** Sends `words` (keyed by line number, so they spread over the partitions) in sends of 500. */
async function produce(kafka: Kafka, topic: string, words: readonly string[], firstLine = 0): Promise<void> {
  // Idempotent: a send retried after a timeout on a loaded machine must not write the input twice.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < words.length; i += 500) {
    await producer.send({ topic, messages: words.slice(i, i + 500).map((w, j) => ({ key: `line-${firstLine + i + j}`, value: w, timestamp: String(1_700_000_000_000 + i + j) })) });
  }
  await producer.disconnect();
}

/** Reads `topic` from the start until the latest count of every key equals `expected` (or the timeout). */
async function latestCounts(kafka: Kafka, topic: string, expected: ReadonlyMap<string, number>, timeoutMs = 60_000): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let reached!: () => void;
  const done = new Promise<void>((resolve) => (reached = resolve));
  const matches = () => expected.size === latest.size && [...expected].every(([k, v]) => latest.get(k) === v);
  await consumer.run({
    eachMessage: async ({ message }) => {
      latest.set(message.key!.toString(), Number(message.value!.readBigInt64BE()));

      if (matches()) reached();
    },
  });
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  await consumer.disconnect();
  return latest;
}

/** Records in the topic (end offsets summed over its partitions; nothing is deleted in these tests). */
async function topicSize(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
}

/** Records processed by the tasks of sub-topology `sub` (metrics), summed. */
function processedBy(app: KafkaStreams, sub: number): number {
  return Object.entries(app.metrics().tasks).filter(([id]) => id.startsWith(`${sub}_`)).reduce((n, [, x]) => n + x.processed, 0);
}

/** A map in key order, to compare maps built in different orders. */
function sorted<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function countsOf(words: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of words) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

function wordsFor(n: number, seed: number): string[] {
  return Array.from({ length: n }, (_, i) => `w${(i * 7919 + seed) % 37}`);
}

kafkaTest.serial('a groupBy through a repartition topic counts every word exactly, over 4 partitions', async (t, broker) => {
  const s = await setup(t, broker);
  const words = wordsFor(3_000, 1);
  await produce(s.kafka, s.input, words);
  const app = new KafkaStreams(wordCounts(s.input, s.output), {
    applicationId: s.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: s.stateDir, commitIntervalMs: 500,
  }, { log: (l) => t.log(l) });
  const states: string[] = [];
  app.state$.subscribe((x) => states.push(x));
  await app.start();
  t.is(app.state, 'RUNNING');
  const expected = countsOf(words);
  t.teardown(() => app.close());
  t.deepEqual(sorted(await latestCounts(s.kafka, s.output, expected)), sorted(expected));
  // The internal topics exist as Kafka Streams names and sizes them.
  const meta = await s.admin.fetchTopicMetadata({ topics: [`${s.applicationId}-by-word-repartition`, `${s.applicationId}-word-counts-changelog`] });
  t.deepEqual(meta.topics.map((x) => [x.name, x.partitions.length]).sort(), [[`${s.applicationId}-by-word-repartition`, 4], [`${s.applicationId}-word-counts-changelog`, 4]]);
  const m = app.metrics();
  t.is(Object.keys(m.tasks).sort().join(','), '0_0,0_1,0_2,0_3,1_0,1_1,1_2,1_3');
  const processed = (sub: string) => Object.entries(m.tasks).filter(([id]) => id.startsWith(sub)).reduce((n, [, x]) => n + x.processed, 0);
  t.is(processed('0_'), words.length, 'every input record processed once');
  t.is(processed('1_'), words.length, 'every repartitioned record processed once');
  // Per node (process-total): each sub-topology's nodes saw every record once, summed over its tasks.
  const byNode = new Map<string, number>();
  for (const x of Object.values(m.tasks)) for (const [node, n] of Object.entries(x.nodes)) byNode.set(node, (byNode.get(node) ?? 0) + n);
  t.is(byNode.get('KSTREAM-SOURCE-0000000000'), words.length);
  t.is(byNode.get('by-word'), words.length);
  t.is(byNode.get('KSTREAM-AGGREGATE-0000000002'), words.length);
  t.true(m.producedRecords >= words.length, `every repartition record was acknowledged before it was read back (produced ${m.producedRecords})`);
  await app.close();
  t.is(app.state, 'NOT_RUNNING');
  t.deepEqual(states, ['CREATED', 'REBALANCING', 'RUNNING', 'PENDING_SHUTDOWN', 'NOT_RUNNING']);
});

kafkaTest.serial('a clean stop and a restart resume from the committed offsets and the checkpoint: nothing restored, nothing counted twice', async (t, broker) => {
  const s = await setup(t, broker);
  const first = wordsFor(1_000, 2);
  const second = wordsFor(1_000, 3);
  const config = { applicationId: s.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: s.stateDir, commitIntervalMs: 500 };
  await produce(s.kafka, s.input, first);
  t.is(await topicSize(s.admin, s.input), first.length, 'the input holds each record once');
  const app = new KafkaStreams(wordCounts(s.input, s.output), config, { log: (l) => t.log(`1st: ${l}`) });
  await app.start();
  t.teardown(() => app.close());
  const counted = await latestCounts(s.kafka, s.output, countsOf(first));
  // Where a surplus would come from: the input read twice, the repartition topic written twice, or it read twice.
  t.is(processedBy(app, 0), first.length, 'each input record processed once');
  t.is(await topicSize(s.admin, `${s.applicationId}-by-word-repartition`), first.length, 'each repartitioned record written once');
  t.is(processedBy(app, 1), first.length, 'each repartitioned record processed once');
  t.deepEqual(sorted(counted), sorted(countsOf(first)));
  await app.close();
  for (let p = 0; p < PARTITIONS; p++) t.true(existsSync(join(s.stateDir, s.applicationId, `1_${p}`, '.checkpoint')), `task 1_${p} checkpointed`);

  const again = new KafkaStreams(wordCounts(s.input, s.output), config, { log: (l) => t.log(`2nd: ${l}`) });
  t.teardown(() => again.close());
  await again.start();
  const restored = again.metrics().restored;
  t.is(restored.reduce((n, r) => n + r.records, 0), 0, `restored ${JSON.stringify(restored)}`);
  await produce(s.kafka, s.input, second, first.length);
  const expected = countsOf([...first, ...second]);
  t.deepEqual(sorted(await latestCounts(s.kafka, s.output, expected)), sorted(expected));
  // Every input record of the first run was committed: the second run processed only the second batch.
  const processed = Object.entries(again.metrics().tasks).filter(([id]) => id.startsWith('0_')).reduce((n, [, x]) => n + x.processed, 0);
  t.is(processed, second.length);
  await again.close();
});
