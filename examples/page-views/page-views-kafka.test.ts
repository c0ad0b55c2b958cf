// The page-views example on a real broker (KAFKA_BROKERS, which `npm test` sets): clicks produced with kafkajs,
// the topology run by KafkaStreams, the output topic read back and compared with counts computed here from the
// clicks alone. Without a broker the test fails under CI and is skipped elsewhere, as the runtime's Kafka tests.
import { KafkaStreams } from '@ts-streams/runtime';
import { pageViewsTopology, type Click, type PageStats } from './topology.ts';
import { brokers, client, fixture, NO_BROKER, register } from './kafka-fixtures.ts';


const WINDOW = 5 * 60_000;
const CLICKS = 2_000;
const PAGES = ['/home', '/cart', '/products/laptop', '/products/phone', '/checkout'];

register('page views per page per 5-minute window on Kafka equal the counts computed from the clicks', async (t) => {
  if (brokers.length === 0) return t.fail(NO_BROKER);
  // Topics, group and state directory of the test's own (test files run in parallel on one broker).
  const f = await fixture(t, 'page-views');
  const { kafka, applicationId } = f;
  const stateDir = f.stateDir('app');

  // 25 s of clicks across a window boundary: less out of order than the 30 s grace, so none is dropped. Stamped near
  // now: the windowed changelog has a retention of its own, which the broker applies to 1970 records mid-test.
  const start = Math.floor(Date.now() / WINDOW) * WINDOW - WINDOW - 10_000;
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
    await producer.send({ topic: f.clicks, messages: clicks.slice(i, i + 500).map((c) => ({ key: c.user, value: JSON.stringify(c.click), timestamp: String(c.timestamp) })) });
  }
  await producer.disconnect();

  const app = new KafkaStreams(pageViewsTopology({ clicks: f.clicks, stats: f.stats }), { applicationId, bootstrapServers: brokers, client, stateDir, commitIntervalMs: 500 }, { log: (l) => t.log(l) });
  await app.start();

  const latest = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `reader-${applicationId}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [f.stats], fromBeginning: true });
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
