// A stream-table join on the real broker, with the table's updates (tombstones among them) interleaved in event time
// with the stream. Everything is on the broker before the application starts, and a task processes its partitions in
// timestamp order once each has been fetched (max.task.idle.ms 0), so each stream record meets the table as of its
// timestamp: the output is what a plain scan of the inputs says, whatever order the partitions arrive in.
import type { Message } from 'kafkajs';
import { StreamsBuilder, Serdes, Consumed, Produced, Joined, type Topology } from '@ts-streams/dsl';
import { KafkaStreams } from '@ts-streams/runtime';
import { kafkaTest } from './kafka-test.ts';
import { appFixture } from './app-fixture.ts';

const PARTITIONS = 4;
/** Event times start an hour ago (to the second): recent enough for any broker's time-based retention. */
const BASE = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

function joinTopology(stream: string, table: string, output: string): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream(stream, Consumed.with(s, s))
    .join(b.table(table, Consumed.with(s, s)), (v, tv) => `${v}@${tv}`, Joined.with(s, s, s))
    .to(output, Produced.with(s, s));
  return b.build();
}

interface Input {
  readonly key: string;
  readonly value: string | null;
  readonly timestamp: number;
}

const message = (r: Input): Message => ({ key: r.key, value: r.value, timestamp: String(r.timestamp) });

kafkaTest('a stream-table join over 4 partitions meets the table as of each stream record\'s timestamp', async (t, broker) => {
  const f = await appFixture(t, broker, { clicks: PARTITIONS, users: PARTITIONS, enriched: PARTITIONS });
  const [clicks, users, enriched] = [f.topic('clicks'), f.topic('users'), f.topic('enriched')];
  // Users u0..u19 change every 6 s (timestamps ending in 00), every 7th change a deletion; clicks every 100 ms
  // (ending in 51), of u0..u23: u20..u23 never exist, and the others' first clicks come before their first update.
  const updates: Input[] = Array.from({ length: 200 }, (_, i) => ({ key: `u${i % 20}`, value: i % 7 === 6 ? null : `name${i}`, timestamp: BASE + i * 300 }));
  const events: Input[] = Array.from({ length: 600 }, (_, i) => ({ key: `u${(i * 3) % 24}`, value: `c${i}`, timestamp: BASE + i * 100 + 51 }));
  await f.produce(users, updates.map(message));
  await f.produce(clicks, events.map(message));

  // The join by a scan: each click with the latest update of its user before it, if that is not a deletion.
  const expected: string[] = [];
  for (const c of events) {
    const before = updates.filter((u) => u.key === c.key && u.timestamp < c.timestamp);
    const latest = before.at(-1)?.value;
    if (latest != null) expected.push(`${c.key}|${c.value}@${latest}|${c.timestamp}`);
  }
  const unmatched = events.length - expected.length;
  t.true(expected.length > 300 && unmatched > 100, `${expected.length} clicks meet a user, ${unmatched} do not`);

  const app = new KafkaStreams(joinTopology(clicks, users, enriched), {
    applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, commitIntervalMs: 200,
  }, { log: (l) => t.log(l) });
  t.teardown(() => app.close());
  await app.start();
  await f.untilCommitted([clicks, users]);
  const processed = Object.values(app.metrics().tasks).reduce((n, x) => n + x.processed, 0);
  const output = await f.readAll(enriched);
  await app.close();

  t.is(processed, updates.length + events.length, 'every input record processed once');
  t.deepEqual(output.map((r) => `${r.key}|${r.value}|${r.timestamp}`).sort(), expected.sort());
});

kafkaTest('a stream-table join whose stream is fetched far ahead of its table still processes every record', async (t, broker) => {
  // A fetch brings thousands of orders per partition (about 1 MiB each) and the table's rows may come after them. A
  // task may not process an order before its table partition has been fetched (max.task.idle.ms 0), so its queue
  // fills and its order partition is paused. What the consumer holds of a paused partition must not hold up the
  // fetches of the others: counted against the consumer's run-ahead, it kept the rows from ever arriving (nothing
  // processed, nothing committed: the bench's W7 and W8 stalled so).
  const f = await appFixture(t, broker, { orders: PARTITIONS, users: PARTITIONS, enriched: PARTITIONS });
  const [orders, users, enriched] = [f.topic('orders'), f.topic('users'), f.topic('enriched')];
  const rows: Input[] = Array.from({ length: 1_000 }, (_, i) => ({ key: `u${i}`, value: `name${i}`, timestamp: BASE + i }));
  const events: Input[] = Array.from({ length: 40_000 }, (_, i) => ({ key: `u${i % 1_000}`, value: `order${i}-${'x'.repeat(90)}`, timestamp: BASE + 1_000 + i }));
  await f.produce(users, rows.map(message));
  await f.produce(orders, events.map(message));

  const app = new KafkaStreams(joinTopology(orders, users, enriched), {
    applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, commitIntervalMs: 200,
  }, { log: (l) => t.log(l) });
  t.teardown(() => app.close());
  await app.start();
  await f.untilCommitted([orders, users]);
  const processed = Object.values(app.metrics().tasks).reduce((n, x) => n + x.processed, 0);
  const output = await f.readAll(enriched);
  await app.close();

  t.is(processed, rows.length + events.length, 'every input record processed once');
  t.is(output.length, events.length);
  t.true(output.every((r) => r.value!.endsWith(`@name${r.key!.slice(1)}`)), 'each order met its user');
});
