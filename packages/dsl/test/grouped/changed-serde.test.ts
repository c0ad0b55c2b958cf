import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import { changedSerde } from '../../src/grouped/changed-serde.ts';

const S = Serdes.String();

test('the repartition topic carries Kafka\'s Changed format', (t) => {
  const serde = changedSerde(S);
  const both = serde.serialize('t', { newValue: 'a', oldValue: 'bc' })!;
  t.deepEqual([...both], [2, 0x61, 0x62, 0x63, 2]); // zig-zag varint(1) = 2
  t.deepEqual([...serde.serialize('t', { newValue: 'a', oldValue: null })!], [0x61, 1]);
  t.deepEqual([...serde.serialize('t', { newValue: null, oldValue: 'b' })!], [0x62, 0]);
  t.deepEqual(serde.deserialize('t', both), { newValue: 'a', oldValue: 'bc' });
  t.deepEqual(serde.deserialize('t', Uint8Array.from([0x62, 1, 4])), { newValue: 'b', oldValue: null });
});
