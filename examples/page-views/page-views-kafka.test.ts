// The page-views example on a real broker (KAFKA_BROKERS, which `npm test` sets): clicks produced with kafkajs,
// the topology run by KafkaStreams, the output topic read back and compared with counts computed here from the
// clicks alone. Without a broker the test fails under CI and is skipped elsewhere, as the runtime's Kafka tests.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaStreams } from '@ts-streams/runtime';
import { pageViewsTopology, type Click, type PageStats } from './topology.ts';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter((b) => b !== '');
const inCI = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const register = brokers.length > 0 ? test.serial : inCI ? test.serial : test.skip;

const WINDOW = 5 * 60_000;
const CLICKS = 2_000;
const PAGES = ['/home', '/cart', '/products/laptop', '/products/phone', '/checkout'];

register('page views per page per 5-minute window on Kafka equal the counts computed from the clicks', async (t) => {
  if (brokers.length === 0) return t.fail("this test needs a Kafka broker: run it with 'npm test', or set KAFKA_BROKERS to one ('npm run kafka -- start')");
  const kafka = new Kafka({ clientId: 'page-views-test', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const applicationId = `page-views-${randomUUID().slice(0, 8)}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'page-views-'));
  await admin.createTopics({ topics: [{ topic: 'clickstream', numPartitions: 4 }, { topic: 'page-view-stats', numPartitions: 4 }], waitForLeaders: true });
  t.teardown(async () => {
    const topics = (await admin.listTopics()).filter((x) => x === 'clickstream' || x === 'page-view-stats' || x.startsWith(`${applicationId}-`));
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.deleteGroups([applicationId]).catch(() => undefined);
    await admin.disconnect();
    rmSync(stateDir, { recursive: true, force: true });
  });

  // 25 s of clicks across a window boundary: less out of order than the 30 s grace, so none is dropped.
  const start = 20 * WINDOW - 10_000;
  const clicks = Array.from({ length: CLICKS }, (_, i) => {
    const user = `user-${(i * 31) % 50}`;
    return { user, click: { eventType: 'click', userId: user, pageUrl: PAGES[(i * 7) % PAGES.length]! } satisfies Click, timestamp: start + Math.floor((i * 25_000) / CLICKS) };
  });
  const expected = new Map<string, number>();
  for (const c of clicks) {
    const k = `${c.click.pageUrl}@${c.timestamp - (c.timestamp % WINDOW)}`;
    expected.set(k, (expected.get(k) ?? 0) + 1);
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < clicks.length; i += 500) {
    await producer.send({ topic: 'clickstream', messages: clicks.slice(i, i + 500).map((c) => ({ key: c.user, value: JSON.stringify(c.click), timestamp: String(c.timestamp) })) });
  }
  await producer.disconnect();

  const app = new KafkaStreams(pageViewsTopology(), { applicationId, bootstrapServers: brokers, stateDir, commitIntervalMs: 500 }, { log: (l) => t.log(l) });
  await app.start();

  const latest = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `reader-${applicationId}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: ['page-view-stats'], fromBeginning: true });
  let reached!: () => void;
  const done = new Promise<void>((resolve) => (reached = resolve));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const s = JSON.parse(message.value!.toString()) as PageStats;
      t.is(message.key!.toString(), s.pageUrl);
      t.is(s.windowEnd - s.windowStart, WINDOW);
      latest.set(`${s.pageUrl}@${s.windowStart}`, s.views);
      if (latest.size === expected.size && [...expected].every(([k, v]) => latest.get(k) === v)) reached();
    },
  });
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 60_000).unref())]);
  await consumer.disconnect();
  const dropped = Object.values(app.metrics().tasks).reduce((n, x) => n + x.droppedRecords, 0);
  await app.close();
  t.deepEqual(new Map([...latest].sort()), new Map([...expected].sort()));
  t.is(expected.size, PAGES.length * 2, 'the clicks span two windows of every page');
  t.is(dropped, 0);
});
