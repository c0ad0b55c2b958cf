// KafkaStreams#close() while the application is busy, on the real broker: the round in progress finishes before the
// tasks are committed and closed, so the close is clean (no task processes after its last commit) and a restart
// counts nothing twice.
import { setTimeout as sleep } from 'node:timers/promises';
import { StreamsBuilder, Serdes, Consumed, Materialized, Produced, type Topology } from '@ts-streams/dsl';
import { KafkaStreams } from '@ts-streams/runtime';
import { kafkaTest } from './kafka-test.ts';
import { appFixture } from './app-fixture.ts';

const RECORDS = 40_000;

/** Counts per key (no repartition: the input is keyed by word), written as decimal strings. */
function counts(input: string, output: string): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream(input, Consumed.with(s, s)).groupByKey().count(Materialized.as('counts')).toStream().mapValues((n) => String(n)).to(output, Produced.with(s, s));
  return b.build();
}

kafkaTest('close() while records are being processed finishes the round first: a clean close, and a restart counts each record once', async (t, broker) => {
  const f = await appFixture(t, broker, { words: 4, counts: 4 });
  const [input, output] = [f.topic('words'), f.topic('counts')];
  const words = Array.from({ length: RECORDS }, (_, i) => `w${(i * 7919) % 101}`);
  await f.produce(input, words.map((w) => ({ key: w, value: w })));
  const expected = new Map<string, number>();
  for (const w of words) expected.set(w, (expected.get(w) ?? 0) + 1);

  // A long commit interval: what the first app processes is committed by its close only.
  const config = { applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, commitIntervalMs: 60_000 };
  const first = new KafkaStreams(counts(input, output), config, { log: (l) => t.log(`1st: ${l}`) });
  t.teardown(() => first.close());
  await first.start();
  const processed = () => Object.values(first.metrics().tasks).reduce((n, x) => n + x.processed, 0);
  while (processed() === 0) await sleep(5);
  // Closed in the middle of a round (its first batches are being processed in slices).
  await first.close();
  t.is(first.error, undefined, `closed cleanly: ${String(first.error)}`);
  t.is(first.state, 'NOT_RUNNING');
  const committed = (await f.committed(input)).reduce((n, o) => n + Math.max(0, o), 0);
  t.log(`the 1st app committed ${committed} of ${RECORDS} records at its close`);
  t.true(committed > 0, 'the close committed what was processed');

  const second = new KafkaStreams(counts(input, output), { ...config, commitIntervalMs: 200 }, { log: (l) => t.log(`2nd: ${l}`) });
  t.teardown(() => second.close());
  await second.start();
  await f.untilCommitted([input]);
  await second.close();
  t.is(second.error, undefined);
  const latest = new Map<string, number>();
  for (const r of await f.readAll(output)) latest.set(r.key!, Number(r.value));
  t.deepEqual(sorted(latest), sorted(expected), 'every count exact: nothing counted twice');
});

function sorted<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
