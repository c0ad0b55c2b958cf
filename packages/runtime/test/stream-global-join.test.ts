import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const C = Consumed.with(Serdes.String(), Serdes.String());
// orders "product:qty" joined with products by the product id before ':'
const productOf = (_k: string, v: string) => (v.includes(':') ? v.split(':')[0]! : null);
const J = (v: string, p: string | null, k: string) => `${k}|${v}|${p}`;

function setup(kind: 'join' | 'leftJoin') {
  const b = new StreamsBuilder();
  const g = b.globalTable('products', C, Materialized.as('products-store', { keySerde: Serdes.String(), valueSerde: Serdes.String() }));
  (b.stream('orders', C)[kind] as any)(g, productOf, J).to('out', Produced.with(Serdes.String(), Serdes.String()));
  const topology = b.build();
  const d = new TopologyTestDriver(topology, { cacheMaxBytes: 0 });
  return {
    d, topology,
    o: d.createInputTopic('orders', Serdes.String(), Serdes.String()),
    p: d.createInputTopic('products', Serdes.String(), Serdes.String()),
    read: () => d.createOutputTopic('out', Serdes.String(), Serdes.String()).readRecordsToList().map((x) => [x.key, x.value, x.timestamp]),
  };
}

test('inner: key mapper picks the global key; updates visible at once; no match or null mapped key drops', (t) => {
  const { d, o, p, read, topology } = setup('join');
  p.pipeInput('p1', 'One', 100);
  o.pipeInput('o1', 'p1:2', 1000);
  o.pipeInput('o2', 'p2:1', 1001); // no p2 yet
  p.pipeInput('p2', 'Two', 5000);
  o.pipeInput('o3', 'p2:3', 1002);
  o.pipeInput('o4', 'nocolon', 1003); // mapped key null
  o.pipeInput(null as any, 'p1:9', 1004); // the stream key may be null: the mapped key is what counts
  p.pipeInput('p1', null as any, 1005); // delete p1
  o.pipeInput('o5', 'p1:1', 1006);
  t.deepEqual(read(), [['o1', 'o1|p1:2|One', 1000], ['o3', 'o3|p2:3|Two', 1002], [null, 'null|p1:9|One', 1004]]);
  t.regex(topology.describe(), /Processor: KSTREAM-LEFTJOIN-0000000003 \(stores: \[\]\)/); // Kafka's name, also for inner
  d.close();
});

test('left: missing global row or null mapped key joins with null; null stream value dropped', (t) => {
  const { d, o, p, read } = setup('leftJoin');
  p.pipeInput('p1', 'One', 100);
  o.pipeInput('o1', 'p1:2', 1000);
  o.pipeInput('o2', 'p2:1', 1001);
  o.pipeInput('o3', 'nocolon', 1002);
  o.pipeInput('o4', null as any, 1003);
  p.pipeInput('p1', 'Uno', 1004);
  o.pipeInput('o5', 'p1:1', 1005);
  t.deepEqual(read(), [['o1', 'o1|p1:2|One', 1000], ['o2', 'o2|p2:1|null', 1001], ['o3', 'o3|nocolon|null', 1002], ['o5', 'o5|p1:1|Uno', 1005]]);
  d.close();
});
