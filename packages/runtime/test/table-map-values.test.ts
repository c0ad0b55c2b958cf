import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, kv } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const S = Serdes.String();
const I = Serdes.Integer();
const rows = (o: { readRecordsToList(): { key: unknown; value: unknown; timestamp: number }[] }) =>
  o.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]);

test('mapValues: maps updates, deletes stay deletes (mapper not called with null)', (t) => {
  const b = new StreamsBuilder();
  const seen: unknown[] = [];
  b.table('in', Consumed.with(S, I))
    .mapValues((v, k) => { seen.push(v); return `${k}:${v * 10}`; })
    .toStream()
    .to('out', Produced.with(S, S));
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', S, I);
  const out = d.createOutputTopic('out', S, S);
  input.pipeInput('a', 1, 10);
  input.pipeInput('a', 2, 20);
  input.pipeInput('a', null, 30);
  t.deepEqual(rows(out), [['a', 'a:10', 10], ['a', 'a:20', 20], ['a', null, 30]]);
  t.deepEqual(seen, [1, 2]);
  d.close();
});

test('mapValues materialized: queryable store', (t) => {
  const b = new StreamsBuilder();
  const m = b.table('in', Consumed.with(S, I)).mapValues((v) => v + 100, undefined, Materialized.as('mapped', { valueSerde: I }));
  t.is(m.queryableStoreName, 'mapped');
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', S, I);
  input.pipeInput('a', 1, 10);
  input.pipeInput('b', 2, 20);
  input.pipeInput('b', null, 30);
  const store = d.getKeyValueStore<string, number>('mapped');
  t.is(store.get('a'), 101);
  t.is(store.get('b') ?? null, null);
  d.close();
});

test('mapValues passes old values through to a groupBy (mapped old value is subtracted)', (t) => {
  const b = new StreamsBuilder();
  b.table('in', Consumed.with(S, I))
    .mapValues((v) => v * 2)
    .groupBy((_k, v) => kv('total', v), { keySerde: S, valueSerde: I })
    .reduce((a, v) => a + v, (a, v) => a - v)
    .toStream()
    .to('out', Produced.with(S, I));
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', S, I);
  const out = d.createOutputTopic('out', S, I);
  input.pipeInput('a', 1, 10); // 2
  input.pipeInput('b', 3, 20); // 8
  input.pipeInput('a', 5, 30); // 8 - 2 + 10 = 16
  input.pipeInput('b', null, 40); // 16 - 6 = 10
  t.deepEqual(rows(out), [['total', 2, 10], ['total', 8, 20], ['total', 16, 30], ['total', 10, 40]]);
  d.close();
});
