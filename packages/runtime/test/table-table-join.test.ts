import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, kv } from '@ts-streams/dsl';
import type { KTable } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const S = Serdes.String();
const rows = (o: { readRecordsToList(): { key: unknown; value: unknown; timestamp: number }[] }) =>
  o.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]);

function setup(join: (l: KTable<string, string>, r: KTable<string, string>) => KTable<string, string>) {
  const b = new StreamsBuilder();
  const l = b.table('left', Consumed.with(S, S));
  const r = b.table('right', Consumed.with(S, S));
  join(l, r).toStream().to('out', Produced.with(S, S));
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  return { d, left: d.createInputTopic('left', S, S), right: d.createInputTopic('right', S, S), out: d.createOutputTopic('out', S, S) };
}

test('inner join: updates and deletes on both sides; result timestamp is the max', (t) => {
  const { d, left, right, out } = setup((l, r) => l.join(r, (a, b) => `${a}+${b}`));
  left.pipeInput('a', 'l1', 10); // no right value: nothing
  right.pipeInput('a', 'r1', 20);
  left.pipeInput('a', 'l2', 5);
  right.pipeInput('a', null, 30); // delete
  left.pipeInput('a', null, 40); // no right value: nothing
  right.pipeInput('b', 'r', 50); // no left value: nothing
  t.deepEqual(rows(out), [['a', 'l1+r1', 20], ['a', 'l2+r1', 20], ['a', null, 30]]);
  d.close();
});

test('left join: left rows without a match, right deletes fall back to null, left deletes emit tombstones', (t) => {
  const { d, left, right, out } = setup((l, r) => l.leftJoin(r, (a, b) => `${a}+${b ?? 'null'}`));
  left.pipeInput('a', 'l1', 10);
  right.pipeInput('a', 'r1', 20);
  right.pipeInput('a', null, 30);
  left.pipeInput('a', null, 40);
  right.pipeInput('b', 'r', 50); // no left value: nothing
  left.pipeInput('c', null, 60); // delete of an absent key, no right value: nothing
  t.deepEqual(rows(out), [['a', 'l1+null', 10], ['a', 'l1+r1', 20], ['a', 'l1+null', 30], ['a', null, 40]]);
  d.close();
});

test('outer join: either side alone produces a result; both gone produces a tombstone', (t) => {
  const { d, left, right, out } = setup((l, r) => l.outerJoin(r, (a, b) => `${a ?? '-'}+${b ?? '-'}`));
  left.pipeInput('a', 'l1', 10);
  right.pipeInput('a', 'r1', 20);
  left.pipeInput('a', null, 30);
  right.pipeInput('a', null, 40);
  right.pipeInput('b', 'r2', 50);
  left.pipeInput('c', null, 60); // nothing on either side: nothing
  t.deepEqual(rows(out), [['a', 'l1+-', 10], ['a', 'l1+r1', 20], ['a', '-+r1', 30], ['a', null, 40], ['b', '-+r2', 50]]);
  d.close();
});

test('materialized join: result store is queryable; generated names follow Kafka Streams', (t) => {
  const b = new StreamsBuilder();
  const l = b.table('left', Consumed.with(S, S));
  const r = b.table('right', Consumed.with(S, S));
  const j = l.join(r, (a, c) => `${a}+${c}`, Materialized.as('joined', { valueSerde: S }));
  t.is(j.queryableStoreName, 'joined');
  j.toStream().to('out', Produced.with(S, S));
  const topology = b.build();
  const desc = String(topology.describe());
  for (const n of ['KTABLE-MERGE-0000000006', 'KTABLE-JOINTHIS-0000000007', 'KTABLE-JOINOTHER-0000000008']) t.true(desc.includes(n), n);
  const d = new TopologyTestDriver(topology, { cacheMaxBytes: 0 });
  const left = d.createInputTopic('left', S, S);
  const right = d.createInputTopic('right', S, S);
  left.pipeInput('a', 'l1', 10);
  right.pipeInput('a', 'r1', 20);
  left.pipeInput('b', 'l2', 30);
  const store = d.getKeyValueStore<string, string>('joined');
  t.is(store.get('a'), 'l1+r1');
  t.is(store.get('b') ?? null, null);
  right.pipeInput('a', null, 40);
  t.is(store.get('a') ?? null, null);
  t.deepEqual(rows(d.createOutputTopic('out', S, S)), [['a', 'l1+r1', 20], ['a', null, 40]]);
  d.close();
});

test('join with a non-materialized filtered table reads it through its value getter', (t) => {
  const { d, left, right, out } = setup((l, r) => l.join(r.filter((_k, v) => v !== 'x'), (a, b) => `${a}+${b}`));
  left.pipeInput('a', 'l1', 10);
  right.pipeInput('a', 'x', 20); // filtered out → delete reaches the join: tombstone
  left.pipeInput('a', 'l2', 30); // right value 'x' is filtered by the getter: nothing
  right.pipeInput('a', 'y', 40);
  t.deepEqual(rows(out), [['a', null, 20], ['a', 'l2+y', 40]]);
  d.close();
});

test('join result feeding a groupBy: old join results are subtracted', (t) => {
  const b = new StreamsBuilder();
  const l = b.table('left', Consumed.with(S, S));
  const r = b.table('right', Consumed.with(S, S));
  l.leftJoin(r, (a, c) => `${a}|${c ?? ''}`)
    .groupBy((_k, v) => kv(v.split('|')[1]!, v), { keySerde: S, valueSerde: S })
    .count()
    .toStream()
    .to('out', Produced.with(S, Serdes.Long()));
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const left = d.createInputTopic('left', S, S);
  const right = d.createInputTopic('right', S, S);
  const out = d.createOutputTopic('out', S, Serdes.Long());
  left.pipeInput('a', 'l', 10); // group '' : 1
  right.pipeInput('a', 'R', 20); // '' : 0, R : 1
  left.pipeInput('a', null, 30); // R : 0
  t.deepEqual(rows(out), [['', 1, 10], ['', 0, 20], ['R', 1, 20], ['R', 0, 30]]);
  d.close();
});
