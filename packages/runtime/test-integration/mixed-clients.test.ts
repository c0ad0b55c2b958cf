// One application whose instances run on different client adapters — what moving an application from kafkajs to
// @kafkats/client (or back) one instance at a time looks like: they join one group (the same assignor, the same
// bytes), the leader's task assignment reaches a member of the other adapter, tasks change hands between them with
// their offsets committed and their state restored, and every count is exact. The first instance runs on the adapter
// under test (so it leads), the second on the other one.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StreamsBuilder, Serdes, Consumed, Materialized, Produced, type Topology } from '@ts-streams/dsl';
import { KafkaStreams } from '@ts-streams/runtime';
import { kafkaTest } from './kafka-test.ts';
import { appFixture } from './app-fixture.ts';

const RECORDS = 20_000;

/** Counts per key (the input is keyed by word), written as decimal strings. */
function counts(input: string, output: string): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream(input, Consumed.with(s, s)).groupByKey().count(Materialized.as('counts')).toStream().mapValues((n) => String(n)).to(output, Produced.with(s, s));
  return b.build();
}

kafkaTest('instances on kafkajs and on kafkats share one application: tasks split between them and hand over, every count exact', async (t, broker) => {
  t.timeout(120_000);
  const f = await appFixture(t, broker, { words: 4, counts: 4 });
  const [input, output] = [f.topic('words'), f.topic('counts')];
  const words = Array.from({ length: RECORDS }, (_, i) => `w${(i * 7919) % 101}`);
  const half = RECORDS / 2;
  const expected = new Map<string, number>();
  for (const w of words) expected.set(w, (expected.get(w) ?? 0) + 1);
  const other = broker.client === 'kafkajs' ? 'kafkats' : 'kafkajs';
  const config = (client: 'kafkajs' | 'kafkats', dir: string) => ({
    applicationId: f.applicationId, bootstrapServers: broker.brokers, client, stateDir: join(f.stateDir, dir), commitIntervalMs: 200, sessionTimeoutMs: 10_000,
  });
  const tasksOf = (app: KafkaStreams) => Object.keys(app.metrics().tasks).sort();

  await f.produce(input, words.slice(0, half).map((w) => ({ key: w, value: w })));
  const first = new KafkaStreams(counts(input, output), config(broker.client, 'first'), { log: (l) => t.log(`${broker.client}: ${l}`) });
  t.teardown(() => first.close());
  await first.start();
  t.deepEqual(tasksOf(first), ['0_0', '0_1', '0_2', '0_3'], 'alone, the first instance runs every task');

  const second = new KafkaStreams(counts(input, output), config(other, 'second'), { log: (l) => t.log(`${other}: ${l}`) });
  t.teardown(() => second.close());
  await second.start();
  const deadline = Date.now() + 60_000;
  while (!(tasksOf(first).length === 2 && tasksOf(second).length === 2)) {
    if (Date.now() > deadline) t.fail(`the tasks were not split: ${tasksOf(first).join(',')} | ${tasksOf(second).join(',')}`);
    await sleep(50);
  }
  t.deepEqual([...tasksOf(first), ...tasksOf(second)].sort(), ['0_0', '0_1', '0_2', '0_3'], 'each task on one instance');

  await f.produce(input, words.slice(half).map((w) => ({ key: w, value: w })));
  await f.untilCommitted([input]);
  // The second leaves: its tasks go back to the first, which restores their counts from the changelog.
  await second.close();
  t.is(second.error, undefined, String(second.error));
  while (tasksOf(first).length !== 4) {
    if (Date.now() > deadline) t.fail(`the first instance did not take every task back: ${tasksOf(first).join(',')}`);
    await sleep(50);
  }
  await f.produce(input, words.slice(0, 101).map((w) => ({ key: w, value: w })));
  for (const w of words.slice(0, 101)) expected.set(w, expected.get(w)! + 1);
  await f.untilCommitted([input]);
  await first.close();
  t.is(first.error, undefined, String(first.error));

  const latest = new Map<string, number>();
  for (const r of await f.readAll(output)) latest.set(r.key!, Number(r.value));
  t.deepEqual(sorted(latest), sorted(expected), 'every count exact: nothing lost, nothing counted twice');
});

function sorted<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
