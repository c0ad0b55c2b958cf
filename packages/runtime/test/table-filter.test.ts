import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, kv } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const S = Serdes.String();
const I = Serdes.Integer();
const rows = (o: { readRecordsToList(): { key: unknown; value: unknown; timestamp: number }[] }) =>
  o.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]);

test('filter (not materialized, no old values): a filtered-out update is forwarded as a tombstone', (t) => {
  const b = new StreamsBuilder();
  b.table('in', Consumed.with(S, I)).filter((_k, v) => v > 1).toStream().to('out', Produced.with(S, I));
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', S, I);
  const out = d.createOutputTopic('out', S, I);
  input.pipeInput('a', 1, 10);
  input.pipeInput('a', 5, 20);
  input.pipeInput('a', 0, 30);
  input.pipeInput('b', 7, 40);
  input.pipeInput('b', null, 50);
  t.deepEqual(rows(out), [['a', null, 10], ['a', 5, 20], ['a', null, 30], ['b', 7, 40], ['b', null, 50]]);
  d.close();
});

test('filterNot', (t) => {
  const b = new StreamsBuilder();
  b.table('in', Consumed.with(S, I)).filterNot((_k, v) => v > 1).toStream().to('out', Produced.with(S, I));
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', S, I);
  const out = d.createOutputTopic('out', S, I);
  input.pipeInput('a', 1, 10);
  input.pipeInput('a', 5, 20);
  t.deepEqual(rows(out), [['a', 1, 10], ['a', null, 20]]);
  d.close();
});

test('filter with old values (downstream groupBy): null→null changes are not forwarded; counts stay right', (t) => {
  const b = new StreamsBuilder();
  b.table('in', Consumed.with(S, I))
    .filter((_k, v) => v > 1)
    .groupBy((_k, v) => kv('all', v), { keySerde: S, valueSerde: I })
    .count()
    .toStream()
    .to('out', Produced.with(S, Serdes.Long()));
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', S, I);
  const out = d.createOutputTopic('out', S, Serdes.Long());
  input.pipeInput('a', 1, 10); // filtered out, nothing was there: not forwarded
  input.pipeInput('a', 5, 20); // all: 1
  input.pipeInput('a', 0, 30); // filtered out now: subtract → 0
  input.pipeInput('b', 7, 40); // all: 1
  input.pipeInput('b', 8, 50); // same group: subtract 7, add 8 → 1 (one record)
  t.deepEqual(rows(out), [['all', 1, 20], ['all', 0, 30], ['all', 1, 40], ['all', 1, 50]]);
  d.close();
});

test('filter materialized: results queryable; old values read from its own store', (t) => {
  const b = new StreamsBuilder();
  const filtered = b.table('in', Consumed.with(S, I)).filter((_k, v) => v % 2 === 0, undefined, Materialized.as('evens'));
  t.is(filtered.queryableStoreName, 'evens');
  filtered.toStream().to('out', Produced.with(S, I));
  filtered.groupBy((_k, v) => kv('sum', v), { keySerde: S, valueSerde: I })
    .reduce((a, v) => a + v, (a, v) => a - v, Materialized.as('sum'));
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', S, I);
  const out = d.createOutputTopic('out', S, I);
  input.pipeInput('a', 2, 10);
  input.pipeInput('b', 3, 20); // filtered; with old values on and nothing stored: not forwarded
  input.pipeInput('b', 4, 30);
  input.pipeInput('a', 5, 40); // leaves the filter: delete
  t.deepEqual(rows(out), [['a', 2, 10], ['b', 4, 30], ['a', null, 40]]);
  const evens = d.getKeyValueStore<string, number>('evens');
  t.is(evens.get('a') ?? null, null);
  t.is(evens.get('b'), 4);
  t.is(d.getKeyValueStore<string, number>('sum').get('sum'), 4);
  d.close();
});

test('filter with Materialized but no store name burns a store index and does not materialize', (t) => {
  const b = new StreamsBuilder();
  const f = b.table('in', Consumed.with(S, I)).filter((_k, v) => v > 0, undefined, Materialized.with(S, I));
  t.is(f.queryableStoreName, undefined);
  f.toStream().to('out', Produced.with(S, I));
  const desc = String(b.build().describe());
  // table: store 0, source 1, KTABLE-SOURCE 2; burnt store 3; filter 4
  t.true(desc.includes('KTABLE-FILTER-0000000004'));
});
