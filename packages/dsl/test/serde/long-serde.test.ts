import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import { SerdeError } from '../../src/serde/serde-error.ts';
import { TOPIC, fromHex, hex, plainBytes } from './helpers.ts';

const long = Serdes.Long();

// Expected bytes: Kafka's LongSerializer (8 bytes, big-endian two's complement), see vectors/kafka-vectors.txt.
const CASES: [number, string][] = [
  [0, '0000000000000000'],
  [1, '0000000000000001'],
  [-1, 'ffffffffffffffff'],
  [256, '0000000000000100'],
  [Number.MAX_SAFE_INTEGER, '001fffffffffffff'],
  [-Number.MAX_SAFE_INTEGER, 'ffe0000000000001'],
  [2147483647, '000000007fffffff'],
  [2147483648, '0000000080000000'],
  [-2147483648, 'ffffffff80000000'],
  [-2147483649, 'ffffffff7fffffff'],
  [4294967295, '00000000ffffffff'],
  [4294967296, '0000000100000000'],
  [-4294967296, 'ffffffff00000000'],
  [1700000000000, '0000018bcfe56800'],
];

for (const [value, bytes] of CASES) {
  test(`Long ${value} is ${bytes} and round-trips`, (t) => {
    const out = long.serialize(TOPIC, value);
    t.true(Buffer.isBuffer(out));
    t.is(hex(out), bytes);
    t.is(long.deserialize(TOPIC, fromHex(bytes)), value);
    t.is(long.deserialize(TOPIC, plainBytes(bytes)), value);
  });
}

test('Long: null in, null out', (t) => {
  t.is(long.serialize(TOPIC, null), null);
  t.is(long.deserialize(TOPIC, null), null);
});

test('Long: -0 is written as 0', (t) => {
  t.is(hex(long.serialize(TOPIC, -0)), '0000000000000000');
});

test('Long: refuses numbers that are not safe integers', (t) => {
  for (const bad of [1.5, Number.MAX_SAFE_INTEGER + 1, -(2 ** 53), NaN, Infinity, -Infinity]) {
    const e = t.throws(() => long.serialize(TOPIC, bad), { instanceOf: SerdeError });
    t.regex(e!.message, /^Long serde on topic 'counts' cannot serialize the number/);
    t.regex(e!.message, /LongBigInt/);
    t.is(e!.operation, 'serialize');
  }
  t.throws(() => long.serialize(TOPIC, '5' as unknown as number), { instanceOf: SerdeError });
  t.throws(() => long.serialize(TOPIC, 5n as unknown as number), { instanceOf: SerdeError });
});

test('Long: wrong length names the serde, topic, sizes and the fix', (t) => {
  const e = t.throws(() => long.deserialize(TOPIC, fromHex('0000002a')), { instanceOf: SerdeError });
  t.is(e!.serde, 'Long');
  t.is(e!.topic, 'counts');
  t.is(e!.bytes, 4);
  t.is(e!.operation, 'deserialize');
  t.true(e!.message.startsWith("Long serde on topic 'counts' got 4 bytes, expected 8 (4 bytes is what Integer or Float write)."));
  t.regex(e!.message, /Consumed\.with\(\.\.\.\)/);
  t.throws(() => long.deserialize(TOPIC, new Uint8Array(0)), { message: /got 0 bytes, expected 8/ });
  t.throws(() => long.deserialize(TOPIC, new Uint8Array(9)), { message: /got 9 bytes, expected 8/ });
});

test('Long: a long beyond 2^53 is refused on read, pointing at LongBigInt', (t) => {
  for (const bytes of ['7fffffffffffffff', '8000000000000000', '0020000000000000', 'ffe0000000000000']) {
    const e = t.throws(() => long.deserialize(TOPIC, fromHex(bytes)), { instanceOf: SerdeError });
    t.regex(e!.message, /Serdes\.LongBigInt\(\)/);
  }
  t.throws(() => long.deserialize(TOPIC, fromHex('7fffffffffffffff')), { message: /9223372036854775807/ });
});

test('Long: random safe integers round-trip and match BigInt encoding', (t) => {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 2000; i++) {
    const magnitude = Math.floor(rand() * 2 ** Math.floor(rand() * 54));
    const n = Math.min(magnitude, Number.MAX_SAFE_INTEGER) * (rand() < 0.5 ? -1 : 1);
    const expected = Buffer.alloc(8);
    expected.writeBigInt64BE(BigInt(n));
    const out = long.serialize(TOPIC, n)!;
    if (hex(out) !== expected.toString('hex') || long.deserialize(TOPIC, out) !== (n === 0 ? 0 : n)) {
      t.fail(`mismatch for ${n}`);
      return;
    }
  }
  t.pass();
});

const big = Serdes.LongBigInt();

test('LongBigInt: full 64-bit range, same bytes as Long', (t) => {
  const cases: [bigint, string][] = [
    [0n, '0000000000000000'],
    [-1n, 'ffffffffffffffff'],
    [256n, '0000000000000100'],
    [9223372036854775807n, '7fffffffffffffff'],
    [-9223372036854775808n, '8000000000000000'],
  ];
  for (const [v, bytes] of cases) {
    t.is(hex(big.serialize(TOPIC, v)), bytes);
    t.is(big.deserialize(TOPIC, fromHex(bytes)), v);
    t.is(big.deserialize(TOPIC, plainBytes(bytes)), v);
  }
  t.is(big.serialize(TOPIC, null), null);
  t.is(big.deserialize(TOPIC, null), null);
  t.throws(() => big.serialize(TOPIC, 2n ** 63n), { instanceOf: SerdeError, message: /signed 64-bit range/ });
  t.throws(() => big.serialize(TOPIC, 1 as unknown as bigint), { instanceOf: SerdeError });
  t.throws(() => big.deserialize(TOPIC, fromHex('01')), { message: /^LongBigInt serde on topic 'counts' got 1 byte, expected 8/ });
});
