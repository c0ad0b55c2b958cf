import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const C = Consumed.with(Serdes.String(), Serdes.String());
const J = (s: string, t: string | null, k: string) => `${k}:${s}+${t}`;

function setup(kind: 'join' | 'leftJoin') {
  const b = new StreamsBuilder();
  const table = b.table('table', C, Materialized.as('tbl', { keySerde: Serdes.String(), valueSerde: Serdes.String() }));
  (b.stream('input', C)[kind] as any)(table, J).to('out', Produced.with(Serdes.String(), Serdes.String()));
  const topology = b.build();
  const d = new TopologyTestDriver(topology, { cacheMaxBytes: 0 });
  return {
    d, topology,
    s: d.createInputTopic('input', Serdes.String(), Serdes.String()),
    tb: d.createInputTopic('table', Serdes.String(), Serdes.String()),
    read: () => d.createOutputTopic('out', Serdes.String(), Serdes.String()).readRecordsToList().map((x) => [x.key, x.value, x.timestamp]),
  };
}

test('inner: only stream records trigger; table updates and tombstones affect later lookups; stream timestamp kept', (t) => {
  const { d, s, tb, read } = setup('join');
  s.pipeInput('a', 's1', 1000); // table empty
  tb.pipeInput('a', 't1', 2000); // no output from table updates
  s.pipeInput('a', 's2', 1500); // not time-synchronized: sees t1
  tb.pipeInput('a', 't2', 3000);
  s.pipeInput('a', 's3', 3500);
  tb.pipeInput('a', null as any, 4000); // delete
  s.pipeInput('a', 's4', 4500);
  s.pipeInput(null as any, 's5', 4600); // null key dropped
  s.pipeInput('a', null as any, 4700); // null value dropped
  t.deepEqual(read(), [['a', 'a:s2+t1', 1500], ['a', 'a:s3+t2', 3500]]);
  d.close();
});

test('left: a missing table row (or a deleted one) joins with null; null-key stream records pass through with null', (t) => {
  const { d, s, tb, read } = setup('leftJoin');
  s.pipeInput('a', 's1', 1000);
  tb.pipeInput('a', 't1', 2000);
  s.pipeInput('a', 's2', 2100);
  tb.pipeInput('a', null as any, 2200);
  s.pipeInput('a', 's3', 2300);
  s.pipeInput(null as any, 's4', 2400);
  s.pipeInput('a', null as any, 2500); // null value dropped
  t.deepEqual(read(), [['a', 'a:s1+null', 1000], ['a', 'a:s2+t1', 2100], ['a', 'a:s3+null', 2300], [null, 'null:s4+null', 2400]]);
  d.close();
});

test('naming, store connection and repartition of a re-keyed stream', (t) => {
  const b = new StreamsBuilder();
  const table = b.table('table', C);
  b.stream('input', C).selectKey((_k, v) => v).leftJoin(table, J, { keySerde: Serdes.String(), valueSerde: Serdes.String() }).to('out', Produced.with(Serdes.String(), Serdes.String()));
  const topology = b.build();
  const desc = topology.describe();
  t.regex(desc, /Processor: KSTREAM-LEFTJOIN-\d+ \(stores: \[table-STATE-STORE-0000000000\]\)/);
  t.regex(desc, /KSTREAM-KEY-SELECT-\d+-repartition/);
  const d = new TopologyTestDriver(topology, { cacheMaxBytes: 0 });
  d.createInputTopic('table', Serdes.String(), Serdes.String()).pipeInput('x', 'TX', 1);
  d.createInputTopic('input', Serdes.String(), Serdes.String()).pipeInput('k', 'x', 10);
  t.deepEqual(d.createOutputTopic('out', Serdes.String(), Serdes.String()).readKeyValuesToList(), [{ key: 'x', value: 'x:x+TX' }]);
  d.close();
});
