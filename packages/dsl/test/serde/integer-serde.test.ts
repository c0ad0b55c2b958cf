import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import { SerdeError } from '../../src/serde/serde-error.ts';
import { TOPIC, fromHex, hex, plainBytes } from './helpers.ts';

const int = Serdes.Integer();
const short = Serdes.Short();

// Kafka's IntegerSerializer: 4 bytes big-endian two's complement.
const INTS: [number, string][] = [
  [0, '00000000'],
  [1, '00000001'],
  [-1, 'ffffffff'],
  [256, '00000100'],
  [2147483647, '7fffffff'],
  [-2147483648, '80000000'],
];

for (const [value, bytes] of INTS) {
  test(`Integer ${value} is ${bytes} and round-trips`, (t) => {
    const out = int.serialize(TOPIC, value);
    t.true(Buffer.isBuffer(out));
    t.is(hex(out), bytes);
    t.is(int.deserialize(TOPIC, fromHex(bytes)), value);
    t.is(int.deserialize(TOPIC, plainBytes(bytes)), value);
  });
}

test('Integer: null in, null out; out-of-range and fractions refused; wrong length explained', (t) => {
  t.is(int.serialize(TOPIC, null), null);
  t.is(int.deserialize(TOPIC, null), null);
  for (const bad of [2147483648, -2147483649, 1.5, NaN, Infinity]) {
    t.throws(() => int.serialize(TOPIC, bad), { instanceOf: SerdeError, message: /^Integer serde on topic 'counts' cannot serialize/ });
  }
  t.throws(() => int.deserialize(TOPIC, fromHex('0000000000000001')), {
    instanceOf: SerdeError,
    message: /^Integer serde on topic 'counts' got 8 bytes, expected 4 \(8 bytes is what Long or Double write\)/,
  });
});

// Kafka's ShortSerializer: 2 bytes big-endian two's complement.
const SHORTS: [number, string][] = [
  [0, '0000'],
  [1, '0001'],
  [-1, 'ffff'],
  [256, '0100'],
  [32767, '7fff'],
  [-32768, '8000'],
];

test('Short: exact bytes and round trips', (t) => {
  for (const [value, bytes] of SHORTS) {
    t.is(hex(short.serialize(TOPIC, value)), bytes);
    t.is(short.deserialize(TOPIC, fromHex(bytes)), value);
    t.is(short.deserialize(TOPIC, plainBytes(bytes)), value);
  }
});

test('Short: null in, null out; out-of-range refused; wrong length explained', (t) => {
  t.is(short.serialize(TOPIC, null), null);
  t.is(short.deserialize(TOPIC, null), null);
  for (const bad of [32768, -32769, 0.5]) t.throws(() => short.serialize(TOPIC, bad), { instanceOf: SerdeError });
  t.throws(() => short.deserialize(TOPIC, fromHex('000001')), { message: /^Short serde on topic 'counts' got 3 bytes, expected 2\./ });
});
