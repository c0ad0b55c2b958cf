// An aggregation that emits on window close, moved between Kafka Streams (Java, 4.4.0) and ts-streams mid-input, both
// ways, on a real broker (as migration-kafka.test.ts, whose Java program runs it: java/…/FinalCounts.java). Kafka
// Streams keeps the window close time of the aggregation's last emit in the offsets' metadata (its ProcessorMetadata,
// under the store's name); the second system reads it and goes on from there — so the finals across both systems are
// those one uninterrupted run emits: no closed window emitted again after the move. And each commits it byte for byte
// as the other does.
import test from 'ava';
import type { Admin } from 'kafkajs';
import { KafkaStreams } from '@ts-streams/runtime';
import { clientTitle, testClient } from '../shared/kafka-test-client.ts';
import { finalCountsTopology } from './final-counts-topology.ts';
import { buildJavaApps, JavaApps, type JavaApp } from './java-apps.ts';
import { testLog } from '../page-views/kafka-fixtures.ts';
import { migrationHarness, untilLeaders } from './migration-fixture.ts';
import { readTopics } from './topic-reader.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter((b) => b !== '');
const inCI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const runner = brokers.length > 0 || inCI ? test : test.skip;

/** Timestamps near now (the broker's retention runs on them), from a whole minute (the window stores' segments). */
const BASE = Math.floor((Date.now() - 120_000) / 60_000) * 60_000;
const at = (key: string, time: number) => ({ key, value: key, timestamp: String(BASE + time) });
// a and b in [0 s, 10 s); a at 12 s closes it; a at 15 s — then b at 25 s closes [10 s, 20 s).
const FIRST = [at('a', 1000), at('b', 2000), at('a', 12_000), at('a', 15_000)];
const SECOND = [at('b', 25_000)];
/** What one uninterrupted run of either system emits for FIRST then SECOND. */
const UNINTERRUPTED = [`a@${BASE}=1`, `b@${BASE}=1`, `a@${BASE + 10_000}=2`];

type Direction = 'java-first' | 'ts-first';

runner(clientTitle('an emit-on-window-close count moves from Kafka Streams to ts-streams and back mid-input: its last emit carries over, no closed window is emitted twice'), async (t) => {
  if (brokers.length === 0) return t.fail("this test needs a Kafka broker: run it with 'npm test', or set KAFKA_BROKERS to one ('npm run kafka -- start')");
  t.timeout(300_000);
  const log = testLog(t);
  const building = buildJavaApps();
  building.catch(() => undefined);

  const { id, kafka, admin, stateDir, running, jvms } = await migrationHarness(t, 'final-counts', brokers);

  const apps = new Map<Direction, JavaApp>((['java-first', 'ts-first'] as const).map((d) => [d, {
    kind: 'final-counts', applicationId: `final-counts-${d}-${id}`, input: `final-counts-in-${d}-${id}`, output: `final-counts-out-${d}-${id}`,
  }]));
  const all = [...apps.values()];
  await admin.createTopics({ topics: all.flatMap((a) => [a.input, a.output]).map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: false });
  await untilLeaders(admin, all.flatMap((a) => [a.input, a.output]), 1);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const produce = (messages: typeof FIRST) => producer.sendBatch({ topicMessages: all.map((a) => ({ topic: a.input, messages })) });

  /** ts-streams runs the direction's application until it committed its input, then closes it. */
  const runTs = async (direction: Direction, records: number): Promise<void> => {
    const a = apps.get(direction)!;
    // emitIntervalMs 0, as the Java side's internal emit interval: closed windows looked for on every record.
    const app = new KafkaStreams(finalCountsTopology(a.input, a.output), {
      applicationId: a.applicationId, bootstrapServers: brokers, client: testClient, stateDir: stateDir('ts'), commitIntervalMs: 100, emitIntervalMs: { onWindowClose: 0 },
    }, { log: (l) => log(`ts ${direction}: ${l}`) });
    running.push(app);
    await app.start();
    await untilCommitted(admin, a, records, () => (app.error === undefined ? undefined : new Error(`ts-streams ${a.applicationId} failed: ${String(app.error)}`)));
    await app.close();
    t.is(app.error, undefined, `ts-streams ${a.applicationId} closed cleanly`);
  };

  /** Kafka Streams runs the direction's application (a JVM of its own) until it committed its input, then closes it. */
  const runJava = async (direction: Direction, records: number, classpath: string): Promise<void> => {
    const a = apps.get(direction)!;
    const jvm = new JavaApps(classpath, { bootstrapServers: brokers, stateDir: stateDir('java'), apps: [a], log: (l) => log(`${direction}: ${l}`) });
    jvms.push(jvm);
    await untilCommitted(admin, a, records, () => jvm.failure());
    await jvm.close(90_000);
  };

  const output = async (a: JavaApp) => ((await readTopics(kafka, admin, [a.output], 60_000)).get(a.output)!.get(0) ?? []).map((r) => r.value!.toString());
  const committed = async (a: JavaApp) => {
    const [offsets] = await admin.fetchOffsets({ groupId: a.applicationId, topics: [a.input] });
    return offsets!.partitions[0]!.metadata ?? '';
  };

  await produce(FIRST);
  const classpath = await building;
  await Promise.all([runJava('java-first', FIRST.length, classpath), runTs('ts-first', FIRST.length)]);
  // Both committed the same metadata, byte for byte: the partition time (15 s), then one entry, the store's name and
  // the window close time of the last emit (12 s: a at 12 s closed [0 s, 10 s), no grace).
  const afterFirst = kafkaStreamsMetadata(BASE + 15_000, [['counts', BASE + 12_000]]);
  for (const a of all) {
    t.deepEqual(await output(a), UNINTERRUPTED.slice(0, 2), `${a.applicationId}: [0 s, 10 s) emitted`);
    t.is(await committed(a), afterFirst, `${a.applicationId}: the last emit committed in the offset's metadata, as Kafka Streams commits it`);
  }

  await produce(SECOND);
  await Promise.all([runTs('java-first', FIRST.length + SECOND.length), runJava('ts-first', FIRST.length + SECOND.length, classpath)]);
  const afterSecond = kafkaStreamsMetadata(BASE + 25_000, [['counts', BASE + 25_000]]);
  for (const a of all) {
    t.deepEqual(await output(a), UNINTERRUPTED, `${a.applicationId}: after the move, [10 s, 20 s) only — [0 s, 10 s) not again`);
    t.is(await committed(a), afterSecond, `${a.applicationId}: the new last emit committed`);
  }
  await producer.disconnect();
});

/**
 * Kafka Streams' offset metadata, built from its layout (TopicPartitionMetadata, ProcessorMetadata): base64 of version
 * 2, the partition time (int64 big-endian), the entry count (int32) and each entry's name length (int32), UTF-8 name
 * and value (int64).
 */
function kafkaStreamsMetadata(partitionTime: number, entries: readonly (readonly [string, number])[]): string {
  const int = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return b;
  };
  const long = (v: number) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(v));
    return b;
  };
  const parts = [Buffer.from([2]), long(partitionTime), int(entries.length)];
  for (const [name, value] of entries) parts.push(int(Buffer.byteLength(name)), Buffer.from(name), long(value));
  return Buffer.concat(parts).toString('base64');
}

/** Polls until the application's group committed `records` records of its input (all of it processed, its output acknowledged). */
async function untilCommitted(admin: Admin, app: JavaApp, records: number, failure: () => Error | undefined): Promise<void> {
  const deadline = Date.now() + 150_000;
  let last = '';
  for (;;) {
    const f = failure();
    if (f !== undefined) throw f;
    const [offsets] = await admin.fetchOffsets({ groupId: app.applicationId, topics: [app.input] }).catch((e: Error) => {
      last = e.message;
      return [undefined];
    });
    const offset = Number(offsets?.partitions[0]?.offset ?? -1);
    if (offsets !== undefined) last = `committed ${offset} of ${records}`;
    if (offset === records) return;
    if (Date.now() > deadline) throw new Error(`${app.applicationId} did not commit its input within 150 s: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
