import test from 'ava';
import { compareBytes } from '../src/index.ts';
import {
  META_KEY,
  escapedLength,
  prefixEnd,
  readEscaped,
  readOrderedLong,
  segmentEnd,
  segmentIdOf,
  segmentKeyPrefix,
  segmentKeyRange,
  segmentPrefix,
  sessionEndOf,
  sessionKeyOf,
  sessionStartOf,
  sessionStoreKey,
  windowKeyOf,
  windowSeqnumOf,
  windowStartOf,
  windowStoreKey,
  writeEscaped,
  writeOrderedLong,
} from '../src/rocksdb/segmented-keys.ts';
import { b, hex, rng } from './contract/helpers.ts';

const sign = (x: number): number => (x < 0 ? -1 : x > 0 ? 1 : 0);
const cmpNum = (x: number, y: number): number => sign(x - y);

test('ordered longs: round trip and unsigned byte order = numeric order, negatives included', (a) => {
  const values = [-(2 ** 53) + 1, -(2 ** 32) - 1, -(2 ** 32), -65536, -2, -1, 0, 1, 255, 256, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 1_700_000_000_000, 2 ** 53 - 1];
  const enc = values.map((v) => {
    const out = new Uint8Array(8);
    writeOrderedLong(out, 0, v);
    a.is(readOrderedLong(out, 0), v);
    return out;
  });
  for (let i = 0; i < values.length; i++) for (let j = 0; j < values.length; j++) a.is(sign(compareBytes(enc[i]!, enc[j]!)), cmpNum(values[i]!, values[j]!));
  const zero = new Uint8Array(8);
  writeOrderedLong(zero, 0, 0);
  a.is(hex(zero), '8000000000000000');
});

test('escaped keys: 0x00 -> 0x00 0xff, terminator 0x00 0x01; round trip; views when no 0x00', (a) => {
  const cases: [Uint8Array, string][] = [
    [b(), '0001'],
    [b(0x61, 0x62), '61620001'],
    [b(0x00), '00ff0001'],
    [b(0x01, 0x00, 0x00, 0xff), '0100ff00ffff0001'],
  ];
  for (const [k, want] of cases) {
    a.is(escapedLength(k), want.length / 2);
    const out = new Uint8Array(escapedLength(k) + 3);
    a.is(writeEscaped(out, 1, k), 1 + want.length / 2);
    a.is(hex(out.subarray(1, 1 + want.length / 2)), want);
    a.deepEqual(readEscaped(out, 1, 1 + want.length / 2), k);
  }
  const sk = windowStoreKey(3, b(0x61), 5, 0);
  const k = windowKeyOf(sk);
  a.is(k.buffer, sk.buffer); // no copy
  a.is(Object.getPrototypeOf(k), Uint8Array.prototype); // a plain Uint8Array, not a Buffer
});

test('window store key layout: [segment][escaped key][start][seqnum]', (a) => {
  const sk = windowStoreKey(2, b(0x61, 0x00), 0x0102030405, 7);
  a.is(hex(sk), '8000000000000002' + '6100ff0001' + '8000000102030405' + '00000007');
  a.is(segmentIdOf(sk), 2);
  a.deepEqual(windowKeyOf(sk), b(0x61, 0x00));
  a.is(windowStartOf(sk), 0x0102030405);
  a.is(windowSeqnumOf(sk), 7);
  a.is(windowSeqnumOf(windowStoreKey(0, b(1), 0, 0xffffffff)), 0xffffffff);
});

test('session store key layout: [segment][escaped key][end][start]', (a) => {
  const sk = sessionStoreKey(1, b(0x61), 0x0102, 0x0304);
  a.is(hex(sk), '8000000000000001' + '610001' + '8000000000000304' + '8000000000000102');
  a.is(segmentIdOf(sk), 1);
  a.deepEqual(sessionKeyOf(sk), b(0x61));
  a.is(sessionEndOf(sk), 0x0304);
  a.is(sessionStartOf(sk), 0x0102);
});

// keys chosen so that some are prefixes of others and contain 0x00 / 0xff
const KEYS = [b(), b(0x00), b(0x00, 0x00), b(0x00, 0x01), b(0x01), b(0x01, 0x00), b(0x01, 0x00, 0x00), b(0x01, 0x00, 0xff), b(0x01, 0x01), b(0x01, 0xff), b(0x7f), b(0x80), b(0xff), b(0xff, 0x00), b(0xff, 0xff)];

test('window store keys sort exactly by (segment, key bytes, start, seqnum), whatever the key lengths', (a) => {
  const r = rng(3);
  const tuples: { seg: number; key: Uint8Array; start: number; seq: number; sk: Uint8Array }[] = [];
  for (let i = 0; i < 400; i++) {
    const seg = Math.floor(r() * 3) - 1;
    const key = KEYS[Math.floor(r() * KEYS.length)]!;
    const start = [0, 1, 255, 256, 65535, -1, -256, 2 ** 40, 2 ** 31][Math.floor(r() * 9)]!;
    const seq = [0, 1, 255, 256, 2 ** 31, 2 ** 32 - 1][Math.floor(r() * 6)]!;
    tuples.push({ seg, key, start, seq, sk: windowStoreKey(seg, key, start, seq) });
  }
  const model = (x: (typeof tuples)[0], y: (typeof tuples)[0]): number =>
    cmpNum(x.seg, y.seg) || sign(compareBytes(x.key, y.key)) || cmpNum(x.start, y.start) || cmpNum(x.seq, y.seq);
  let checked = 0;
  for (const x of tuples) {
    for (const y of tuples) {
      if (sign(compareBytes(x.sk, y.sk)) !== model(x, y)) {
        a.fail(`${hex(x.sk)} vs ${hex(y.sk)}`);
        return;
      }
      checked++;
    }
  }
  a.is(checked, 160_000);
});

test('session store keys sort exactly by (segment, key bytes, end, start)', (a) => {
  const r = rng(5);
  const tuples: { seg: number; key: Uint8Array; start: number; end: number; sk: Uint8Array }[] = [];
  for (let i = 0; i < 300; i++) {
    const seg = Math.floor(r() * 2);
    const key = KEYS[Math.floor(r() * KEYS.length)]!;
    const start = Math.floor(r() * 600) - 100;
    const end = start + Math.floor(r() * 300);
    tuples.push({ seg, key, start, end, sk: sessionStoreKey(seg, key, start, end) });
  }
  for (const x of tuples) {
    for (const y of tuples) {
      const want = cmpNum(x.seg, y.seg) || sign(compareBytes(x.key, y.key)) || cmpNum(x.end, y.end) || cmpNum(x.start, y.start);
      if (sign(compareBytes(x.sk, y.sk)) !== want) {
        a.fail(`${hex(x.sk)} vs ${hex(y.sk)}`);
        return;
      }
    }
  }
  a.pass();
});

test('segment and key ranges are exact: [gte, lt) holds exactly the keys of the segment / key range', (a) => {
  const inRange = (sk: Uint8Array, gte: Uint8Array, lt: Uint8Array | undefined): boolean => compareBytes(sk, gte) >= 0 && (lt === undefined || compareBytes(sk, lt) < 0);
  const all: { seg: number; key: Uint8Array; sk: Uint8Array }[] = [];
  for (const seg of [-1, 0, 1, 255, 256]) for (const key of KEYS) for (const start of [-5, 0, 7, 2 ** 35]) all.push({ seg, key, sk: windowStoreKey(seg, key, start, 1) });
  for (const seg of [-1, 0, 255, 256]) {
    const whole = segmentKeyRange(seg, undefined, undefined);
    a.deepEqual(whole.gte, segmentPrefix(seg));
    a.deepEqual(whole.lt, segmentEnd(seg));
    for (const x of all) a.is(inRange(x.sk, whole.gte, whole.lt), x.seg === seg);
    for (const from of [undefined, ...KEYS]) {
      for (const to of [undefined, ...KEYS]) {
        const { gte, lt } = segmentKeyRange(seg, from, to);
        for (const x of all) {
          const want = x.seg === seg && (from === undefined || compareBytes(x.key, from) >= 0) && (to === undefined || compareBytes(x.key, to) <= 0);
          if (inRange(x.sk, gte, lt) !== want) {
            a.fail(`seg ${seg} [${from && hex(from)}, ${to && hex(to)}] key ${hex(x.sk)}`);
            return;
          }
        }
      }
    }
    // one key's prefix: that key only
    for (const key of KEYS) {
      const p = segmentKeyPrefix(seg, key);
      const end = prefixEnd(p)!;
      for (const x of all) a.is(inRange(x.sk, p, end), x.seg === seg && compareBytes(x.key, key) === 0);
    }
  }
});

test('the metadata key is outside every segment range; prefixEnd', (a) => {
  for (const seg of [-(2 ** 40), -1, 0, 1, 2 ** 40]) a.true(compareBytes(META_KEY, segmentPrefix(seg)) < 0);
  a.is(hex(prefixEnd(b(0x01, 0xff, 0xff))!), '02');
  a.is(hex(prefixEnd(b(0x01, 0x02))!), '0103');
  a.is(prefixEnd(b(0xff, 0xff)), undefined);
  a.is(hex(segmentEnd(0)!), hex(segmentPrefix(1)));
});
