import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import { SerdeError } from '../../src/serde/serde-error.ts';
import { TOPIC, fromHex, hex } from './helpers.ts';

const bool = Serdes.Boolean();

test('Boolean: true is 01, false is 00 (Kafka BooleanSerializer), and they round-trip', (t) => {
  t.is(hex(bool.serialize(TOPIC, true)), '01');
  t.is(hex(bool.serialize(TOPIC, false)), '00');
  t.is(bool.deserialize(TOPIC, fromHex('01')), true);
  t.is(bool.deserialize(TOPIC, fromHex('00')), false);
  t.is(bool.deserialize(TOPIC, new Uint8Array([1])), true);
});

test('Boolean: each serialize returns a fresh buffer', (t) => {
  const a = bool.serialize(TOPIC, true)!;
  a[0] = 0;
  t.is(hex(bool.serialize(TOPIC, true)), '01');
});

test('Boolean: null in, null out', (t) => {
  t.is(bool.serialize(TOPIC, null), null);
  t.is(bool.deserialize(TOPIC, null), null);
});

test('Boolean: any byte but 00/01 is an error, as in Kafka', (t) => {
  const e = t.throws(() => bool.deserialize(TOPIC, fromHex('02')), { instanceOf: SerdeError });
  t.regex(e!.message, /^Boolean serde on topic 'counts' got the byte 0x02, expected 0x01 \(true\) or 0x00 \(false\)\./);
  t.throws(() => bool.deserialize(TOPIC, fromHex('0001')), { message: /got 2 bytes, expected 1 \(2 bytes is what Short writes\)/ });
  t.throws(() => bool.serialize(TOPIC, 1 as unknown as boolean), { instanceOf: SerdeError });
});
