import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, Named, kv } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const S = Serdes.String();
const I = Serdes.Integer();
const L = Serdes.Long();
const rows = (o: { readRecordsToList(): { key: unknown; value: unknown; timestamp: number }[] }) =>
  o.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]);

test('groupBy().count(): a key moving between groups is subtracted from the old group, then added to the new', (t) => {
  const b = new StreamsBuilder();
  b.table('users', Consumed.with(S, S))
    .groupBy((user, region) => kv(region, user), { keySerde: S, valueSerde: S })
    .count()
    .toStream()
    .to('out', Produced.with(S, L));
  const topology = b.build();
  const desc = String(topology.describe());
  t.true(desc.includes('KTABLE-SELECT-0000000003'));
  t.true(desc.includes('KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition'));
  t.true(desc.includes('KTABLE-AGGREGATE-0000000007'));
  const d = new TopologyTestDriver(topology, { cacheMaxBytes: 0 });
  const input = d.createInputTopic('users', S, S);
  const out = d.createOutputTopic('out', S, L);
  input.pipeInput('alice', 'EU', 10);
  input.pipeInput('bob', 'EU', 20);
  input.pipeInput('alice', 'US', 30);
  input.pipeInput('bob', null, 40);
  input.pipeInput('alice', 'US', 50); // same group: one record { new, old }
  t.deepEqual(rows(out), [
    ['EU', 1, 10], ['EU', 2, 20],
    ['EU', 1, 30], ['US', 1, 30],
    ['EU', 0, 40],
    ['US', 1, 50],
  ]);
  const store = d.getKeyValueStore<string, number>('KTABLE-AGGREGATE-STATE-STORE-0000000004');
  t.is(store.get('EU'), 0);
  t.is(store.get('US'), 1);
  d.close();
});

test('groupBy().reduce(adder, subtractor) with named store and Named step', (t) => {
  const b = new StreamsBuilder();
  b.table('prices', Consumed.with(S, I))
    .groupBy((item, price) => kv(item.split('/')[0]!, price), { keySerde: S, valueSerde: I, name: 'by-category' })
    .reduce((a, v) => a + v, (a, v) => a - v, Materialized.as('totals'), Named.as('sum-prices'))
    .toStream()
    .to('out', Produced.with(S, I));
  const topology = b.build();
  const desc = String(topology.describe());
  t.true(desc.includes('by-category-repartition'));
  t.true(desc.includes('sum-prices'));
  const d = new TopologyTestDriver(topology, { cacheMaxBytes: 0 });
  const input = d.createInputTopic('prices', S, I);
  const out = d.createOutputTopic('out', S, I);
  input.pipeInput('fruit/apple', 3, 10);
  input.pipeInput('fruit/pear', 4, 20);
  input.pipeInput('veg/leek', 2, 30);
  input.pipeInput('fruit/apple', 5, 40);
  input.pipeInput('fruit/pear', null, 50);
  t.deepEqual(rows(out), [['fruit', 3, 10], ['fruit', 7, 20], ['veg', 2, 30], ['fruit', 9, 40], ['fruit', 5, 50]]);
  t.is(d.getKeyValueStore<string, number>('totals').get('fruit'), 5);
  d.close();
});

test('groupBy().aggregate(): initializer, adder, subtractor; a selector returning a null key is skipped', (t) => {
  const b = new StreamsBuilder();
  b.table('in', Consumed.with(S, S))
    .groupBy((k, v) => kv(v === 'skip' ? (null as unknown as string) : v, k), { keySerde: S, valueSerde: S })
    .aggregate(
      () => '',
      (_g, k, agg) => agg + '+' + k,
      (_g, k, agg) => agg + '-' + k,
      Materialized.with(S, S),
    )
    .toStream()
    .to('out', Produced.with(S, S));
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', S, S);
  const out = d.createOutputTopic('out', S, S);
  input.pipeInput('x', 'g', 10);
  input.pipeInput('y', 'skip', 20);
  input.pipeInput('x', 'h', 30);
  t.deepEqual(rows(out), [['g', '+x', 10], ['g', '+x-x', 30], ['h', '+x', 30]]);
  d.close();
});
