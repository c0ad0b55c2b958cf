// Moving an application between Kafka Streams (Java, 4.4.0) and ts-streams mid-input, both ways, on a real broker
// (KAFKA_BROKERS, which `npm test` sets; without it, or without Java and Maven, the test fails under CI and is skipped
// elsewhere). Two applications, W5's groupByKey().count() and the page-views example (a repartition topic, 5-minute
// windows with grace), each run twice: 'java-first' (Kafka Streams processes the first half of the input and closes,
// ts-streams starts with the same application id and processes the rest) and 'ts-first' (the other way round). Both
// directions run side by side, so one JVM per half runs the two Java applications of that half.
//
// No record cache on either side: every update is written out, so each output topic, each changelog and every count
// is determined by the input alone, whichever system processed which part. The test computes them from the input and
// compares exactly — which is what a run of either system alone writes — and checks that the second system took the
// first one's internal topics (no new ones, the same configs), resumed from its committed offsets (no record counted
// twice or missed), committed them as Kafka Streams does (the partition time in the offset metadata) and restored its
// stores from the first one's changelog records.
import test, { type ExecutionContext } from 'ava';
import type { Admin } from 'kafkajs';
import { KafkaStreams } from '@ts-streams/runtime';
import { clientTitle, testClient } from '../shared/kafka-test-client.ts';
import { pageViewsTopology } from '../page-views/topology.ts';
import { clickAt, testLog, windowKey } from '../page-views/kafka-fixtures.ts';
import { countsTopology } from './counts-topology.ts';
import { buildJavaApps, JavaApps, type JavaApp } from './java-apps.ts';
import { migrationHarness, untilLeaders } from './migration-fixture.ts';
import { readTopics, type ReadRecord } from './topic-reader.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter((b) => b !== '');
const inCI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

const PARTITIONS = 4;
/** Records of each application's input, half processed by each system. */
const RECORDS = 4_000;
const HALF = RECORDS / 2;
const KEYS = 97;
const WINDOW = 5 * 60_000;
/** Count timestamps: near now (the broker's retention runs on them), out of order within 20 s. */
const COUNTS_START = Date.now() - 60_000;
const countAt = (i: number) => ({ key: String((i * 7919) % KEYS), value: `v${i}`, timestamp: COUNTS_START + ((i * 104_729) % 20_000) });

/** Kafka Streams' names, which ts-streams gives its internal topics too (the store of an unnamed count is numbered). */
const COUNTS_STORE = 'KSTREAM-AGGREGATE-STATE-STORE-0000000001';
const internalTopics = (app: JavaApp) =>
  app.kind === 'counts'
    ? [`${app.applicationId}-${COUNTS_STORE}-changelog`]
    : [`${app.applicationId}-clicks-by-page-repartition`, `${app.applicationId}-page-view-counts-changelog`];
const changelogOf = (app: JavaApp) => internalTopics(app).find((t) => t.endsWith('-changelog'))!;

type Direction = 'java-first' | 'ts-first';
const DIRECTIONS: readonly Direction[] = ['java-first', 'ts-first'];

const runner = brokers.length > 0 || inCI ? test : test.skip;

runner(clientTitle('an application moves from Kafka Streams to ts-streams and back mid-input: offsets, internal topics and state carry over, the output is exact'), async (t) => {
  if (brokers.length === 0) return t.fail("this test needs a Kafka broker: run it with 'npm test', or set KAFKA_BROKERS to one ('npm run kafka -- start')");
  t.timeout(300_000);
  const log = testLog(t);
  const building = buildJavaApps();
  building.catch(() => undefined);

  const { id, kafka, admin, stateDir, running, jvms } = await migrationHarness(t, 'migration', brokers);

  const apps = new Map<Direction, JavaApp[]>(DIRECTIONS.map((d) => [d, [
    { kind: 'counts', applicationId: `migration-counts-${d}-${id}`, input: `counts-in-${d}-${id}`, output: `counts-out-${d}-${id}` },
    { kind: 'views', applicationId: `migration-views-${d}-${id}`, input: `clicks-${d}-${id}`, output: `page-view-stats-${d}-${id}` },
  ]]));
  const all = [...apps.values()].flat();
  await admin.createTopics({ topics: all.flatMap((a) => [a.input, a.output]).map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: false });
  await untilLeaders(admin, all.flatMap((a) => [a.input, a.output]), PARTITIONS);

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const produce = async (from: number, to: number) => {
    for (let i = from; i < to; i += 500) {
      const n = Math.min(to, i + 500) - i;
      const counts = Array.from({ length: n }, (_, j) => countAt(i + j)).map((c) => ({ key: c.key, value: c.value, timestamp: String(c.timestamp) }));
      const clicks = Array.from({ length: n }, (_, j) => clickAt(i + j)).map((c) => ({ key: c.user, value: JSON.stringify(c.click), timestamp: String(c.timestamp) }));
      await producer.sendBatch({ topicMessages: all.map((a) => ({ topic: a.input, messages: a.kind === 'counts' ? counts : clicks })) });
    }
  };

  /** ts-streams runs the applications of a direction until they caught up, then closes them; returns what each restored. */
  const runTs = async (direction: Direction, half: number): Promise<Map<string, number>> => {
    const started = apps.get(direction)!.map((a) => {
      const topology = a.kind === 'counts' ? countsTopology(a.input, a.output) : pageViewsTopology({ clicks: a.input, stats: a.output });
      const app = new KafkaStreams(topology, { applicationId: a.applicationId, bootstrapServers: brokers, client: testClient, stateDir: stateDir(`ts-${half}`), commitIntervalMs: 100, cacheMaxBytes: 0 }, { log: (l) => log(`ts ${a.kind} ${direction}: ${l}`) });
      running.push(app);
      return { a, app };
    });
    await Promise.all(started.map(({ app }) => app.start()));
    const failure = () => started.map(({ a, app }) => (app.error === undefined ? undefined : new Error(`ts-streams ${a.applicationId} failed: ${String(app.error)}`))).find((e) => e !== undefined);
    await Promise.all(started.map(({ a }) => untilCaughtUp(admin, a, half * HALF, failure)));
    const restored = new Map<string, number>();
    for (const { app } of started) for (const r of app.metrics().restored) restored.set(r.topic, (restored.get(r.topic) ?? 0) + r.records);
    for (const { a, app } of started) {
      await app.close();
      t.is(app.error, undefined, `ts-streams ${a.applicationId} closed cleanly`);
    }
    return restored;
  };

  /** Kafka Streams runs the applications of a direction (one JVM) until they caught up, then closes them. */
  const runJava = async (direction: Direction, half: number, classpath: string): Promise<Map<string, number>> => {
    const jvm = new JavaApps(classpath, { bootstrapServers: brokers, stateDir: stateDir(`java-${half}`), apps: apps.get(direction)!, log: (l) => log(`${direction}: ${l}`) });
    jvms.push(jvm);
    await Promise.all(apps.get(direction)!.map((a) => untilCaughtUp(admin, a, half * HALF, () => jvm.failure())));
    await jvm.close(90_000);
    return jvm.restored();
  };

  const topicsNow = async () => new Set((await admin.listTopics()).filter((x) => x.includes(id)));

  // The first half: Kafka Streams on 'java-first', ts-streams on 'ts-first', side by side.
  await produce(0, HALF);
  const classpath = await building;
  const [javaRestoredFirst, tsRestoredFirst] = await Promise.all([runJava('java-first', 1, classpath), runTs('ts-first', 1)]);
  t.deepEqual([...javaRestoredFirst.values(), ...tsRestoredFirst.values()].filter((n) => n > 0), [], 'the first system had nothing to restore');
  const committedFirst = await Promise.all(all.map((a) => committedOffsets(admin, a.applicationId, a.input)));
  const topicsAfterFirst = await topicsNow();
  for (const a of all) for (const topic of internalTopics(a)) t.true(topicsAfterFirst.has(topic), `${topic} was created by the first system`);

  // The second half: the other system takes over each application.
  await produce(HALF, RECORDS);
  const firstChangelogs = await readTopics(kafka, admin, all.map(changelogOf), 60_000);
  const [tsRestored, javaRestored] = await Promise.all([runTs('java-first', 2), runJava('ts-first', 2, classpath)]);
  await producer.disconnect();

  const committedSecond = await Promise.all(all.map((a) => committedOffsets(admin, a.applicationId, a.input)));
  t.deepEqual(await topicsNow(), topicsAfterFirst, 'the second system used the first one\'s internal topics: no topic was created');
  for (const [direction, restored, who] of [['java-first', tsRestored, 'ts-streams'], ['ts-first', javaRestored, 'Kafka Streams']] as const) {
    for (const a of apps.get(direction)!) {
      const changelog = changelogOf(a);
      const written = sumOf(firstChangelogs.get(changelog)!);
      t.true(written > 0);
      t.is(restored.get(changelog), written, `${who} restored ${changelog}: the ${written} records the other system wrote`);
    }
  }

  // Internal topics created by Kafka Streams ('java-first') and by ts-streams ('ts-first'): the same configs.
  for (const [java, ts] of apps.get('java-first')!.map((a, i) => [a, apps.get('ts-first')![i]!] as const)) {
    const [javaTopics, tsTopics] = [internalTopics(java), internalTopics(ts)];
    for (let i = 0; i < javaTopics.length; i++) {
      t.deepEqual(await topicConfig(admin, tsTopics[i]!), await topicConfig(admin, javaTopics[i]!), `${tsTopics[i]} is configured as Kafka Streams configures ${javaTopics[i]}`);
    }
  }

  // What each application wrote, compared with what the input determines.
  const contents = await readTopics(kafka, admin, [...all.map((a) => a.output), ...all.map(changelogOf), ...all.map((a) => a.input)], 60_000);
  const countsInput = contents.get(all.find((a) => a.kind === 'counts')!.input)!;

  // The committed offsets, and with each the partition time (the largest timestamp read from the partition) in Kafka
  // Streams' metadata format, whichever system committed them.
  for (const [phase, committed] of [['first', committedFirst], ['second', committedSecond]] as const) {
    all.forEach((a, i) => {
      const input = contents.get(a.input)!;
      const want = new Map([...input].map(([p, records]) => {
        const offset = phase === 'first' ? committedFirst[i]!.get(p)!.offset : records.length;
        return [p, { offset, metadata: kafkaStreamsMetadata(Math.max(...records.slice(0, offset).map((r) => r.timestamp))) }] as const;
      }));
      t.deepEqual(sortedByPartition(committed[i]!), sortedByPartition(want), `${a.applicationId}: the ${phase} system's committed offsets and partition times`);
    });
  }
  for (const c of committedFirst) t.is([...c.values()].reduce((n, o) => n + o.offset, 0), HALF, 'the first system committed the first half');
  for (const direction of DIRECTIONS) {
    const [counts, views] = apps.get(direction)!;
    checkCounts(t, direction, expectedCounts(countsInput), contents.get(counts!.output)!, contents.get(changelogOf(counts!))!);
    checkViews(t, direction, contents.get(views!.output)!, contents.get(changelogOf(views!))!);
  }
});

/** The output and changelog records of W5, per partition, that its input determines (no cache: one per record). */
interface CountRecord {
  readonly key: string;
  readonly count: number;
  readonly timestamp: number;
}

function expectedCounts(input: Map<number, ReadRecord[]>): Map<number, CountRecord[]> {
  const out = new Map<number, CountRecord[]>();
  for (const [partition, records] of input) {
    const state = new Map<string, { count: number; timestamp: number }>();
    out.set(partition, records.map((r) => {
      const key = r.key!.toString();
      const s = state.get(key) ?? { count: 0, timestamp: -Infinity };
      // Kafka Streams' aggregate: the result's timestamp is the latest of the records counted
      const next = { count: s.count + 1, timestamp: Math.max(s.timestamp, r.timestamp) };
      state.set(key, next);
      return { key, ...next };
    }));
  }
  return out;
}

function checkCounts(t: ExecutionContext, direction: Direction, expected: Map<number, CountRecord[]>, output: Map<number, ReadRecord[]>, changelog: Map<number, ReadRecord[]>): void {
  t.is(sumOf(expected), RECORDS);
  for (let p = 0; p < PARTITIONS; p++) {
    const want = expected.get(p) ?? [];
    // The output: the key, the count as an 8-byte long (Serdes.Long), the latest timestamp.
    t.deepEqual(
      (output.get(p) ?? []).map((r) => ({ key: r.key!.toString(), count: Number(r.value!.readBigInt64BE()), timestamp: r.timestamp, bytes: r.value!.length, headers: r.headers })),
      want.map((c) => ({ ...c, bytes: 8, headers: 0 })),
      `${direction}: counts, output partition ${p}: a count per input record, in order, none twice, none missing`,
    );
    // The changelog: the key, the count as an 8-byte long, the latest timestamp as the record's (Kafka Streams logs a
    // timestamped store's value without its timestamp, which the record carries), byte for byte.
    t.deepEqual(
      (changelog.get(p) ?? []).map((r) => ({ key: r.key!.toString(), value: r.value!.toString('hex'), timestamp: r.timestamp, headers: r.headers })),
      want.map((c) => ({ key: c.key, value: long(c.count), timestamp: c.timestamp, headers: 0 })),
      `${direction}: counts, changelog partition ${p}: the same bytes whichever system wrote them`,
    );
  }
}

function checkViews(t: ExecutionContext, direction: Direction, output: Map<number, ReadRecord[]>, changelog: Map<number, ReadRecord[]>): void {
  // Views per page and window, and the latest click timestamp of each, from the clicks alone.
  const expected = new Map<string, { views: number; latest: number }>();
  for (let i = 0; i < RECORDS; i++) {
    const { click, timestamp } = clickAt(i);
    const k = windowKey(click.pageUrl, timestamp);
    const e = expected.get(k) ?? { views: 0, latest: -Infinity };
    expected.set(k, { views: e.views + 1, latest: Math.max(e.latest, timestamp) });
  }
  t.true(expected.size > 6, 'the clicks span more than one window');

  // The output: each page's records in one partition; per window the views 1, 2, …, n in order (the order of pages
  // between windows and partitions depends on the repartition topic's interleaving; each window's sequence does not),
  // as ts-streams' JSON.stringify writes them, byte for byte.
  const seen = new Map<string, number[]>();
  const partitionOf = new Map<string, number>();
  for (const [p, records] of output) {
    for (const r of records) {
      const s = JSON.parse(r.value!.toString()) as { pageUrl: string; views: number; windowStart: number; windowEnd: number };
      t.is(r.value!.toString(), JSON.stringify({ pageUrl: s.pageUrl, views: s.views, windowStart: s.windowStart, windowEnd: s.windowStart + WINDOW }));
      t.is(r.key!.toString(), s.pageUrl);
      const before = partitionOf.get(s.pageUrl);
      if (before !== undefined && before !== p) t.fail(`${direction}: page ${s.pageUrl} written to partitions ${before} and ${p}`);
      partitionOf.set(s.pageUrl, p);
      const k = windowKey(s.pageUrl, s.windowStart);
      seen.set(k, [...(seen.get(k) ?? []), s.views]);
    }
  }
  t.deepEqual(sorted(seen), sorted(new Map([...expected].map(([k, e]) => [k, Array.from({ length: e.views }, (_, i) => i + 1)]))), `${direction}: page views, every window counted 1…n, none twice, none missing`);

  // The changelog: Kafka Streams' windowed key (the page, the window start as 8 bytes, sequence number 0 as 4), the
  // count as an 8-byte long, the latest click's timestamp as the record's: per window 1…n, the latest click's timestamp.
  const logged = new Map<string, { counts: number[]; timestamp: number }>();
  for (const records of changelog.values()) {
    for (const r of records) {
      const key = r.key!;
      const page = key.subarray(0, key.length - 12).toString();
      const start = Number(key.readBigInt64BE(key.length - 12));
      t.is(key.readInt32BE(key.length - 4), 0, 'sequence number 0');
      t.is(r.value!.length, 8);
      t.is(r.headers, 0);
      const timestamp = r.timestamp;
      const k = windowKey(page, start);
      const l = logged.get(k) ?? { counts: [], timestamp: -Infinity };
      logged.set(k, { counts: [...l.counts, Number(r.value!.readBigInt64BE())], timestamp: Math.max(l.timestamp, timestamp) });
    }
  }
  t.deepEqual(
    sorted(logged),
    sorted(new Map([...expected].map(([k, e]) => [k, { counts: Array.from({ length: e.views }, (_, i) => i + 1), timestamp: e.latest }]))),
    `${direction}: page views, the changelog has every count of every window with its latest timestamp, whichever system wrote it`,
  );
}

/**
 * Polls until the application's group has committed its whole input (and, for page views, then its whole repartition
 * topic, whose end is final only once the input is committed): everything is processed and its output acknowledged.
 */
async function untilCaughtUp(admin: Admin, app: JavaApp, records: number, failure: () => Error | undefined): Promise<void> {
  const deadline = Date.now() + 150_000;
  const topics = [app.input, ...internalTopics(app).filter((x) => x.endsWith('-repartition'))];
  let last = '';
  for (const topic of topics) {
    for (;;) {
      const f = failure();
      if (f !== undefined) throw f;
      const progress = await committedAndEnd(admin, app.applicationId, topic).catch((e: Error) => ({ error: e.message }));
      if ('committed' in progress) {
        last = `${topic}: committed ${progress.committed} of ${progress.end}`;
        if (topic === app.input && progress.end !== records) throw new Error(`${topic} holds ${progress.end} records, expected ${records}`);
        if (progress.committed === progress.end) break;
      } else {
        last = `${topic}: ${progress.error}`;
      }
      if (Date.now() > deadline) throw new Error(`${app.applicationId} did not commit its input within 150 s: ${last}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The group's committed offsets of the topic's partitions, with their metadata. */
async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, { offset: number; metadata: string | null }>> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((offsets?.partitions ?? []).map((p) => [p.partition, { offset: Number(p.offset), metadata: p.metadata }]));
}

/** Kafka Streams' committed offset metadata: base64 of version 2 and the partition time (8 bytes, big-endian). */
function kafkaStreamsMetadata(partitionTime: number): string {
  const b = Buffer.alloc(9);
  b[0] = 2;
  b.writeBigInt64BE(BigInt(partitionTime), 1);
  return b.toString('base64');
}

function sortedByPartition<V>(m: ReadonlyMap<number, V>): [number, V][] {
  return [...m].sort(([a], [b]) => a - b);
}

async function committedAndEnd(admin: Admin, groupId: string, topic: string): Promise<{ committed: number; end: number }> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = (offsets?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  return { committed, end: ends.reduce((n, p) => n + Number(p.high), 0) };
}

/** What matters of an internal topic's configuration: partitions, clean-up policy, retention, and what Streams sets. */
async function topicConfig(admin: Admin, topic: string): Promise<Record<string, string | number>> {
  const names = ['cleanup.policy', 'retention.ms', 'segment.bytes', 'message.timestamp.type'];
  const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic, configNames: names }] });
  const out: Record<string, string | number> = {};
  for (const e of resources[0]!.configEntries) out[e.configName] = e.configValue;
  const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
  out['partitions'] = metadata!.partitions.length;
  return out;
}

function long(n: number): string {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b.toString('hex');
}

function sumOf(m: Map<number, unknown[]>): number {
  return [...m.values()].reduce((n, xs) => n + xs.length, 0);
}

function sorted<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
