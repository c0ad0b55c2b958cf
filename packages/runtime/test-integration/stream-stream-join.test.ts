// A windowed stream-stream join on the real broker: two co-partitioned 4-partition topics joined by KafkaStreams, the
// output compared with the pairs a plain nested loop over the inputs finds inside the join window. The grace period
// outlasts the inputs' time span, so no record expires whatever order the partitions are fetched in: the output
// is exactly those pairs, each once.
import type { Message } from 'kafkajs';
import { StreamsBuilder, Serdes, Consumed, Produced, StreamJoined, JoinWindows, type Topology } from '@ts-streams/dsl';
import { KafkaStreams } from '@ts-streams/runtime';
import { kafkaTest } from './kafka-test.ts';
import { appFixture } from './app-fixture.ts';

const PARTITIONS = 4;
const KEYS = 40;
const RECORDS = 600;
/** Event times start an hour ago (to the second): recent enough for any broker's time-based retention. */
const BASE = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
/** right.ts − left.ts must lie in [−BEFORE, AFTER]. */
const BEFORE = 4_000;
const AFTER = 2_000;

function joinTopology(left: string, right: string, output: string): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream(left, Consumed.with(s, s))
    .join(b.stream(right, Consumed.with(s, s)), (l, r) => `${l}+${r}`,
      JoinWindows.ofTimeDifferenceAndGrace(BEFORE, 10 * 60_000).after(AFTER), StreamJoined.with(s, s, s))
    .to(output, Produced.with(s, s));
  return b.build();
}

interface Input {
  readonly key: string;
  readonly value: string;
  readonly timestamp: number;
}

/** `count` records over 60 s of event time, timestamps rising with jitter, keys spread by `stride`. */
function inputs(side: string, stride: number, offsetMs: number): Input[] {
  return Array.from({ length: RECORDS }, (_, i) => ({
    key: `k${(i * stride) % KEYS}`,
    value: `${side}${i}`,
    timestamp: BASE + i * 100 + ((i * 37) % 90) + offsetMs,
  }));
}

const message = (r: Input): Message => ({ key: r.key, value: r.value, timestamp: String(r.timestamp) });

kafkaTest('a stream-stream join of two co-partitioned 4-partition topics emits exactly the pairs inside the window', async (t, broker) => {
  const f = await appFixture(t, broker, { left: PARTITIONS, right: PARTITIONS, joined: PARTITIONS });
  const [left, right, joined] = [f.topic('left'), f.topic('right'), f.topic('joined')];
  const lefts = inputs('L', 7, 0);
  const rights = inputs('R', 11, 41);
  await f.produce(left, lefts.map(message));
  await f.produce(right, rights.map(message));

  // The join by a nested loop: every left-right pair of one key whose timestamps are within the window.
  const expected: string[] = [];
  for (const l of lefts) {
    for (const r of rights) {
      const d = r.timestamp - l.timestamp;
      if (l.key === r.key && d >= -BEFORE && d <= AFTER) expected.push(`${l.key}|${l.value}+${r.value}|${Math.max(l.timestamp, r.timestamp)}`);
    }
  }
  t.true(expected.length > RECORDS, `the inputs make ${expected.length} pairs`);

  const app = new KafkaStreams(joinTopology(left, right, joined), {
    applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, commitIntervalMs: 200,
  }, { log: (l) => t.log(l) });
  t.teardown(() => app.close());
  await app.start();
  // Everything committed means everything processed and its output acknowledged before the commit.
  await f.untilCommitted([left, right]);
  const processed = Object.values(app.metrics().tasks).reduce((n, x) => n + x.processed, 0);
  const output = await f.readAll(joined);
  await app.close();
  t.is(app.state, 'NOT_RUNNING');

  t.is(processed, 2 * RECORDS, 'every input record processed once');
  t.deepEqual(output.map((r) => `${r.key}|${r.value}|${r.timestamp}`).sort(), expected.sort());
  // Co-partitioned: a key is in the same partition of both inputs, and its results land there too (murmur2 as Java's).
  const partitionOf = new Map<string, number>();
  for (const r of [...(await f.readAll(left)), ...(await f.readAll(right))]) {
    t.is(partitionOf.get(r.key!) ?? r.partition, r.partition, `key ${r.key} in one partition of both inputs`);
    partitionOf.set(r.key!, r.partition);
  }
  t.is(new Set(partitionOf.values()).size, PARTITIONS, 'the keys cover every partition');
  t.true(output.every((r) => partitionOf.get(r.key!) === r.partition), 'each result in its key\'s partition');
});

kafkaTest('a stream-stream join whose two sides are fetched unevenly still processes every record and emits every pair', async (t, broker) => {
  // Tens of thousands of records a side: a fetch brings thousands of one side's records before the other's. A task
  // processes its partitions in timestamp order once each has been fetched, so the side fetched first fills its
  // queue and is paused; what the consumer holds of a paused partition must not hold up fetching the other side
  // (the bench's W8 processed nothing more for 60 s so, on either adapter).
  const f = await appFixture(t, broker, { left: PARTITIONS, right: PARTITIONS, joined: PARTITIONS });
  const [left, right, joined] = [f.topic('left'), f.topic('right'), f.topic('joined')];
  const keys = 1_000;
  const lefts: Input[] = Array.from({ length: 40_000 }, (_, i) => ({ key: `k${(i * 7) % keys}`, value: `L${i}-${'x'.repeat(90)}`, timestamp: BASE + i }));
  const rights: Input[] = Array.from({ length: 20_000 }, (_, i) => ({ key: `k${(i * 13) % keys}`, value: `R${i}`, timestamp: BASE + 2 * i }));
  await f.produce(left, lefts.map(message));
  await f.produce(right, rights.map(message));
  // The pairs within the window (right − left in [−BEFORE, AFTER]), counted per key.
  const rightTimes = new Map<string, number[]>();
  for (const r of rights) rightTimes.set(r.key, [...(rightTimes.get(r.key) ?? []), r.timestamp]);
  let pairs = 0;
  for (const l of lefts) for (const ts of rightTimes.get(l.key) ?? []) if (ts - l.timestamp >= -BEFORE && ts - l.timestamp <= AFTER) pairs++;
  t.true(pairs > 40_000, `the inputs make ${pairs} pairs`);

  const app = new KafkaStreams(joinTopology(left, right, joined), {
    applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, commitIntervalMs: 200,
  }, { log: (l) => t.log(l) });
  t.teardown(() => app.close());
  await app.start();
  await f.untilCommitted([left, right], 120_000);
  const processed = Object.values(app.metrics().tasks).reduce((n, x) => n + x.processed, 0);
  const ends = await f.admin.fetchTopicOffsets(joined);
  await app.close();

  t.is(processed, lefts.length + rights.length, 'every input record processed once');
  t.is(ends.reduce((n, p) => n + Number(p.high), 0), pairs, 'every pair emitted once');
});
