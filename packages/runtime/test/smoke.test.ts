import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

test('filter + mapValues + groupBy().count() through the driver', (t) => {
  const b = new StreamsBuilder();
  const s = b.stream('in', Consumed.with(Serdes.String(), Serdes.String()));
  s.filter((_k, v) => v !== 'skip').mapValues((v) => v.toUpperCase()).to('upper', Produced.with(Serdes.String(), Serdes.String()));
  s.groupBy((_k, v) => v, { keySerde: Serdes.String(), valueSerde: Serdes.String() }).count().toStream().to('counts', Produced.with(Serdes.String(), Serdes.Long()));
  const topology = b.build();
  const d = new TopologyTestDriver(topology, { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', Serdes.String(), Serdes.String());
  input.pipeInput('a', 'x', 10);
  input.pipeInput('b', 'skip', 20);
  input.pipeInput('c', 'x', 30);
  const upper = d.createOutputTopic('upper', Serdes.String(), Serdes.String());
  t.deepEqual(upper.readKeyValuesToList(), [{ key: 'a', value: 'X' }, { key: 'c', value: 'X' }]);
  const counts = d.createOutputTopic('counts', Serdes.String(), Serdes.Long());
  t.deepEqual(counts.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]), [['x', 1, 10], ['skip', 1, 20], ['x', 2, 30]]);
  t.is(d.getKeyValueStore<string, number>('KSTREAM-AGGREGATE-STATE-STORE-0000000005').get('x'), 2);
  t.log(topology.describe());
  d.close();
});
