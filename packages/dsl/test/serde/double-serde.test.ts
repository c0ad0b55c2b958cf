import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import { SerdeError } from '../../src/serde/serde-error.ts';
import { TOPIC, fromHex, hex, plainBytes } from './helpers.ts';

const double = Serdes.Double();
const float = Serdes.Float();

// Kafka's DoubleSerializer: Double.doubleToLongBits, big-endian.
const DOUBLES: [number, string][] = [
  [0.0, '0000000000000000'],
  [-0.0, '8000000000000000'],
  [1.5, '3ff8000000000000'],
  [-1.5, 'bff8000000000000'],
  [0.1, '3fb999999999999a'],
  [NaN, '7ff8000000000000'],
  [Infinity, '7ff0000000000000'],
  [-Infinity, 'fff0000000000000'],
  [Number.MIN_VALUE, '0000000000000001'],
  [Number.MAX_VALUE, '7fefffffffffffff'],
];

for (const [value, bytes] of DOUBLES) {
  test(`Double ${Object.is(value, -0) ? '-0' : value} is ${bytes} and round-trips`, (t) => {
    t.is(hex(double.serialize(TOPIC, value)), bytes);
    t.true(Object.is(double.deserialize(TOPIC, fromHex(bytes)), value)); // Object.is: keeps -0 and NaN apart
    t.true(Object.is(double.deserialize(TOPIC, plainBytes(bytes)), value));
  });
}

test('Double: any NaN is written as Java canonical NaN 0x7ff8000000000000', (t) => {
  const payloadNaN = fromHex('7ff0000000000001').readDoubleBE(0);
  t.true(Number.isNaN(payloadNaN));
  t.is(hex(double.serialize(TOPIC, payloadNaN)), '7ff8000000000000');
  const negativeNaN = fromHex('fff8000000000000').readDoubleBE(0);
  t.is(hex(double.serialize(TOPIC, negativeNaN)), '7ff8000000000000');
});

test('Double: null in, null out; wrong length and wrong type explained', (t) => {
  t.is(double.serialize(TOPIC, null), null);
  t.is(double.deserialize(TOPIC, null), null);
  t.throws(() => double.deserialize(TOPIC, fromHex('3fc00000')), {
    instanceOf: SerdeError,
    message: /^Double serde on topic 'counts' got 4 bytes, expected 8 \(4 bytes is what Integer or Float write\)/,
  });
  t.throws(() => double.serialize(TOPIC, '1.5' as unknown as number), { instanceOf: SerdeError });
});

// Kafka's FloatSerializer: Float.floatToRawIntBits, big-endian.
const FLOATS: [number, string][] = [
  [0, '00000000'],
  [-0, '80000000'],
  [1.5, '3fc00000'],
  [NaN, '7fc00000'],
  [Infinity, '7f800000'],
  [-Infinity, 'ff800000'],
  [3.4028234663852886e38, '7f7fffff'],
];

test('Float: exact bytes and round trips for float-representable values', (t) => {
  for (const [value, bytes] of FLOATS) {
    t.is(hex(float.serialize(TOPIC, value)), bytes);
    t.true(Object.is(float.deserialize(TOPIC, fromHex(bytes)), value));
    t.true(Object.is(float.deserialize(TOPIC, plainBytes(bytes)), value));
  }
});

test('Float: doubles round to the nearest float, as Java (float) casts do', (t) => {
  t.is(hex(float.serialize(TOPIC, 0.1)), '3dcccccd');
  t.is(float.deserialize(TOPIC, fromHex('3dcccccd')), Math.fround(0.1));
  t.is(hex(float.serialize(TOPIC, 1e300)), '7f800000');
  t.is(hex(float.serialize(TOPIC, 1.4e-45)), '00000001');
});

test('Float: null in, null out; wrong length explained', (t) => {
  t.is(float.serialize(TOPIC, null), null);
  t.is(float.deserialize(TOPIC, null), null);
  t.throws(() => float.deserialize(TOPIC, fromHex('3ff8000000000000')), { message: /^Float serde on topic 'counts' got 8 bytes, expected 4/ });
});
