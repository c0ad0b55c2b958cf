import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import { SerdeError } from '../../src/serde/serde-error.ts';
import { TOPIC, hex } from './helpers.ts';

const bytes = Serdes.ByteArray();
const voids = Serdes.Void();

test('ByteArray: passes the same bytes through both ways', (t) => {
  const b = new Uint8Array([1, 2, 3]);
  t.is(bytes.serialize(TOPIC, b), b);
  t.is(bytes.deserialize(TOPIC, b), b);
  const buf = Buffer.from('0a0b', 'hex');
  t.is(bytes.serialize(TOPIC, buf), buf);
  t.is(hex(bytes.serialize(TOPIC, new Uint8Array(0))), '');
});

test('ByteArray: null in, null out; Bytes() is the same serde', (t) => {
  t.is(bytes.serialize(TOPIC, null), null);
  t.is(bytes.deserialize(TOPIC, null), null);
  t.is(Serdes.Bytes(), bytes);
  t.is(bytes.name, 'ByteArray');
});

test('ByteArray: refuses non-bytes', (t) => {
  t.throws(() => bytes.serialize(TOPIC, 'abc' as unknown as Uint8Array), { instanceOf: SerdeError, message: /^ByteArray serde/ });
  t.throws(() => bytes.serialize(TOPIC, [1, 2] as unknown as Uint8Array), { instanceOf: SerdeError });
});

test('Void: always serializes to null', (t) => {
  t.is(voids.serialize(TOPIC, null), null);
  t.is(voids.serialize(TOPIC, 'ignored' as unknown as null), null); // Kafka's VoidSerializer ignores its input
});

test('Void: null in, null out; any bytes (even zero) are an error', (t) => {
  t.is(voids.deserialize(TOPIC, null), null);
  const e = t.throws(() => voids.deserialize(TOPIC, new Uint8Array(0)), { instanceOf: SerdeError });
  t.regex(e!.message, /^Void serde on topic 'counts' got 0 bytes, expected null/);
  t.is(e!.bytes, 0);
  t.throws(() => voids.deserialize(TOPIC, new Uint8Array(3)), { message: /got 3 bytes, expected null/ });
});
