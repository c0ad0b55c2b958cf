import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import { changedSerde } from '../../src/grouped/changed-serde.ts';
import { SerdeError } from '../../src/errors/serde-error.ts';

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

test('bytes not in the Changed format are a SerdeError naming the topic and the fix', (t) => {
  const serde = changedSerde(S);
  const flag = t.throws(() => serde.deserialize('app-KTABLE-AGGREGATE-repartition', Uint8Array.from([0x61, 9])), { instanceOf: SerdeError });
  t.is(flag.topic, 'app-KTABLE-AGGREGATE-repartition');
  t.is(flag.operation, 'deserialize');
  t.is(flag.bytes, 2);
  t.regex(flag.message, /Changed<String> serde on topic 'app-KTABLE-AGGREGATE-repartition' got 2 bytes ending in 9, which is none of the format's flags/);
  t.regex(flag.message, /stop whatever else produces to it/);
  t.throws(() => serde.deserialize('t', new Uint8Array(0)), { instanceOf: SerdeError, message: /got 0 bytes/ });
  const prefix = t.throws(() => serde.deserialize('t', Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2])), { instanceOf: SerdeError });
  t.regex(prefix.message, /length prefix does not fit/);
  t.throws(() => serde.deserialize('t', Uint8Array.from([40, 0x61, 2])), { instanceOf: SerdeError, message: /length prefix does not fit/ });
});

test('a value serde writing no bytes for a value is a SerdeError naming that serde', (t) => {
  const silent = { name: 'Silent', serialize: () => null, deserialize: () => 'x' };
  const e = t.throws(() => changedSerde(silent).serialize('t', { newValue: 'a', oldValue: null }), { instanceOf: SerdeError });
  t.is(e.operation, 'serialize');
  t.regex(e.message, /the value serde Silent wrote no bytes/);
});
