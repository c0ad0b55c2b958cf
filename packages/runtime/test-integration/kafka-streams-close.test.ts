// KafkaStreams#close() while the application is busy, on the real broker: the round in progress finishes before the
// tasks are committed and closed, so the close is clean (no task processes after its last commit) and a restart
// counts nothing twice. Topics, group and state directory of the test's own.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import { StreamsBuilder, Serdes, Consumed, Materialized, Produced, type Topology } from '@ts-streams/dsl';
import { KafkaStreams } from '@ts-streams/runtime';
import { kafkaTest } from './kafka-test.ts';

const PARTITIONS = 4;
const RECORDS = 40_000;

/** Counts per key (no repartition: the input is keyed by word). */
function counts(input: string, output: string): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream(input, Consumed.with(s, s)).groupByKey().count(Materialized.as('counts')).toStream().to(output, Produced.with(s, Serdes.Long()));
  return b.build();
}

kafkaTest('close() while records are being processed finishes the round first: a clean close, and a restart counts each record once', async (t, broker) => {
  const id = randomUUID().slice(0, 8);
  const kafka = broker.kafka(`kafka-streams-close-${id}`);
  const admin = kafka.admin();
  await admin.connect();
  const input = `close-in-${id}`;
  const output = `close-out-${id}`;
  const applicationId = `close-${id}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'ts-streams-close-'));
  await admin.createTopics({ topics: [input, output].map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: true });
  t.teardown(async () => {
    await admin.deleteTopics({ topics: (await admin.listTopics()).filter((x) => x.includes(id)) }).catch(() => undefined);
    await admin.deleteGroups([applicationId]).catch(() => undefined);
    await admin.disconnect();
    rmSync(stateDir, { recursive: true, force: true });
  });
  const words = Array.from({ length: RECORDS }, (_, i) => `w${(i * 7919) % 101}`);
  await produce(kafka, input, words);
  const expected = new Map<string, number>();
  for (const w of words) expected.set(w, (expected.get(w) ?? 0) + 1);

  // A long commit interval: what the first app processes is committed by its close only.
  const config = { applicationId, bootstrapServers: broker.brokers, stateDir, commitIntervalMs: 60_000 };
  const first = new KafkaStreams(counts(input, output), config, { log: (l) => t.log(`1st: ${l}`) });
  t.teardown(() => first.close());
  await first.start();
  const processed = (app: KafkaStreams) => Object.values(app.metrics().tasks).reduce((n, x) => n + x.processed, 0);
  while (processed(first) === 0) await sleep(5);
  await first.close();
  t.is(first.error, undefined, `closed cleanly: ${String(first.error)}`);
  t.is(first.state, 'NOT_RUNNING');
  const committedOffsets = async () => (await admin.fetchOffsets({ groupId: applicationId, topics: [input] }))[0]!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  const committed = await committedOffsets();
  t.log(`the 1st app committed ${committed} of ${RECORDS} records at its close`);
  t.true(committed > 0, 'the close committed what was processed');

  const second = new KafkaStreams(counts(input, output), { ...config, commitIntervalMs: 200 }, { log: (l) => t.log(`2nd: ${l}`) });
  t.teardown(() => second.close());
  await second.start();
  const deadline = Date.now() + 60_000;
  while ((await committedOffsets()) < RECORDS && Date.now() < deadline) await sleep(100);
  await second.close();
  t.is(second.error, undefined);
  t.deepEqual(await latest(kafka, output, expected), sortedMap(expected), 'every count exact');
});

async function produce(kafka: Kafka, topic: string, words: readonly string[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < words.length; i += 2_000) {
    await producer.send({ topic, messages: words.slice(i, i + 2_000).map((w) => ({ key: w, value: w })) });
  }
  await producer.disconnect();
}

/** The output read from the start until every key's latest count equals `expected` (or 30 s). */
async function latest(kafka: Kafka, topic: string, expected: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let reached!: () => void;
  const done = new Promise<void>((resolve) => (reached = resolve));
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.set(message.key!.toString(), Number(message.value!.readBigInt64BE()));
      if (seen.size === expected.size && [...expected].every(([k, v]) => seen.get(k) === v)) reached();
    },
  });
  await Promise.race([done, sleep(30_000)]);
  await consumer.disconnect();
  return sortedMap(seen);
}

function sortedMap<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
