import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { KStream } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

// Kafka's serdes carry null as "no bytes": the plain String/Long serdes write a stream whose keys or values may be null.
test('to() with the plain serdes writes null keys and null values as absent bytes', (t) => {
  const b = new StreamsBuilder();
  const s = b.stream('in', Consumed.with(Serdes.String(), Serdes.String()));
  const nullKeys: KStream<string | null, string> = s.selectKey((_k, v) => (v.startsWith('-') ? null : v));
  nullKeys.to('keys', Produced.with(Serdes.String(), Serdes.String()));
  const nullValues: KStream<string, number | null> = s.mapValues((v) => (v.startsWith('-') ? null : v.length));
  nullValues.to('values', Produced.with(Serdes.String(), Serdes.Long()));
  const d = new TopologyTestDriver(b.build());
  const input = d.createInputTopic('in', Serdes.String(), Serdes.String());
  input.pipeInput('a', 'xy', 1);
  input.pipeInput('b', '-', 2);
  t.deepEqual(d.emitted.filter((r) => r.topic === 'keys').map((r) => r.key === null), [false, true]);
  t.deepEqual(d.emitted.filter((r) => r.topic === 'values').map((r) => r.value === null), [false, true]);
  t.deepEqual(d.createOutputTopic('keys', Serdes.String(), Serdes.String()).readKeyValuesToList(), [{ key: 'xy', value: 'xy' }, { key: null, value: '-' }]);
  t.deepEqual(d.createOutputTopic('values', Serdes.String(), Serdes.Long()).readKeyValuesToList(), [{ key: 'a', value: 2 }, { key: 'b', value: null }]);
  d.close();
});
