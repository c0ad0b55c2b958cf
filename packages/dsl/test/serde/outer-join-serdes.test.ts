import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import { SerdeError } from '../../src/serde/serde-error.ts';
import { leftOrRightValueListSerde, timestampedKeyAndJoinSideSerde } from '../../src/kstream/outer-join-serdes.ts';
import { TOPIC, fromHex, hex } from './helpers.ts';

// Bytes Kafka Streams 4.4.0 wrote to a left join's KSTREAM-OUTERSHARED-...-store-changelog (conformance case
// join-stream-stream-left): key 00000000000003e8 01 61 = (a, 1000, left), value = [left "L1"].
const values = leftOrRightValueListSerde(Serdes.String(), Serdes.Long());

test("the outer-join store's value list is Kafka's ListSerde(ByteArray) of LeftOrRightValue bytes", (t) => {
  t.is(hex(values.serialize(TOPIC, [{ leftSide: true, value: 'L1' }])), '01' + '00000001' + '00000003' + '01' + '4c31');
  const two = values.serialize(TOPIC, [{ leftSide: true, value: 'L1' }, { leftSide: false, value: 7 }]);
  t.is(hex(two), '01' + '00000002' + '00000003' + '014c31' + '00000009' + '00' + '0000000000000007');
  t.deepEqual(values.deserialize(TOPIC, two), [{ leftSide: true, value: 'L1' }, { leftSide: false, value: 7 }]);
  t.deepEqual(values.deserialize(TOPIC, fromHex('01' + '00000001' + '00000001' + '01')), [{ leftSide: true, value: '' }]);
  t.is(values.serialize(TOPIC, null), null);
});

test('a value list in another format is a SerdeError that says how to recover', (t) => {
  const e = t.throws(() => values.deserialize(TOPIC, fromHex('00000001' + '00000002' + '014c31')), { instanceOf: SerdeError });
  t.regex(e.message, /strategy byte is 0, expected 1.*reset the application/);
});

test("the outer-join store's key is Kafka's TimestampedKeyAndJoinSide bytes", (t) => {
  const keys = timestampedKeyAndJoinSideSerde(Serdes.String());
  t.is(hex(keys.serialize(TOPIC, { key: 'a', timestamp: 1000, leftSide: true })), '00000000000003e8' + '01' + '61');
  t.deepEqual(keys.deserialize(TOPIC, fromHex('00000000000000c80061')), { key: 'a', timestamp: 200, leftSide: false });
});
