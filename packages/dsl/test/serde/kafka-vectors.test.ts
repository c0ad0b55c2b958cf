// Checks every line of vectors/kafka-vectors.txt (the bytes Kafka 4.4.0's Java serializers produce, see
// vectors/README.md) against our serdes.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { Serdes } from '../../src/serde/serdes.ts';
import { formatWindowed } from '../../src/serde/windowed.ts';
import { TOPIC, fromHex, hex } from './helpers.ts';

const lines = readFileSync(new URL('./vectors/kafka-vectors.txt', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => l.split(' ') as [string, string, string]);

const bytesOf = (h: string): Buffer => (h === '-' ? Buffer.alloc(0) : fromHex(h));
const expectHex = (h: string): string | null => (h === 'null' ? null : h === '-' ? '' : h);

const STRINGS: Record<string, string> = {
  empty: '',
  ascii: 'hello',
  'e-acute': '\u00e9',
  grinning: '\ud83d\ude00',
  mixed: 'k\u00e9y-\u20ac-\ud83d\ude00',
  nul: '\u0000',
  bom: '\ufeffx',
  'lone-high': 'a\ud800b',
  'lone-low': 'a\udc00b',
  'high-at-end': 'a\ud83d',
};

function windowOf(c: string): { key: string; start: number; end: number } {
  const m = /^(.*)@(\d+)\/(\d+)$/.exec(c)!;
  return { key: m[1] === 'empty-key' ? '' : m[1], start: Number(m[2]), end: Number(m[3]) };
}

test('the vectors file is there and covers every serde', (t) => {
  const serdes = new Set(lines.map((l) => l[0]));
  for (const s of ['Long', 'Integer', 'Short', 'Double', 'Float', 'Boolean', 'String', 'StringDecode', 'UUID', 'Void', 'TimeWindowed', 'SessionWindowed']) {
    t.true(serdes.has(s), s);
  }
  t.true(lines.length > 80);
});

for (const [kind, c, h] of lines) {
  test(`Kafka vector: ${kind} ${c}`, (t) => {
    switch (kind) {
      case 'Long': {
        const big = BigInt(c);
        t.is(hex(Serdes.LongBigInt().serialize(TOPIC, big)), h);
        t.is(Serdes.LongBigInt().deserialize(TOPIC, fromHex(h)), big);
        if (Number.isSafeInteger(Number(c)) && BigInt(Number(c)) === big) {
          t.is(hex(Serdes.Long().serialize(TOPIC, Number(c))), h);
          t.is(Serdes.Long().deserialize(TOPIC, fromHex(h)), Number(c));
        } else {
          t.throws(() => Serdes.Long().deserialize(TOPIC, fromHex(h)));
        }
        return;
      }
      case 'Integer':
      case 'Short':
      case 'Double':
      case 'Float': {
        const serde = Serdes[kind]();
        const value = c === 'NaN(payload)' ? fromHex('7ff0000000000001').readDoubleBE(0) : Number(c);
        t.is(hex(serde.serialize(TOPIC, value)), h);
        const back = serde.deserialize(TOPIC, fromHex(h));
        t.true(Object.is(back, serde === Serdes.Float() ? Math.fround(value) : value) || (Number.isNaN(value) && Number.isNaN(back)));
        return;
      }
      case 'Boolean':
        t.is(hex(Serdes.Boolean().serialize(TOPIC, c === 'true')), h);
        t.is(Serdes.Boolean().deserialize(TOPIC, fromHex(h)), c === 'true');
        return;
      case 'String': {
        const s = STRINGS[c];
        t.not(s, undefined);
        t.is(hex(Serdes.String().serialize(TOPIC, s)), expectHex(h));
        if (!/[\ud800-\udfff]/.test(s.replace(/\ud83d\ude00/g, ''))) t.is(Serdes.String().deserialize(TOPIC, bytesOf(h)), s);
        return;
      }
      case 'StringDecode': {
        const s = Serdes.String().deserialize(TOPIC, fromHex(c))!;
        const units = Array.from({ length: s.length }, (_, i) => s.charCodeAt(i).toString(16).padStart(4, '0')).join(',');
        t.is(units || '-', h);
        return;
      }
      case 'UUID': {
        const input = c.startsWith('fromString(') ? c.slice('fromString('.length, -1).replace('UPPER', '123E4567-E89B-12D3-A456-426614174000') : c;
        t.is(hex(Serdes.UUID().serialize(TOPIC, input)), h);
        t.is(hex(Serdes.UUID().serialize(TOPIC, Serdes.UUID().deserialize(TOPIC, fromHex(h)))), h);
        return;
      }
      case 'Void':
        t.is(Serdes.Void().serialize(TOPIC, null), null);
        t.is(h, 'null');
        return;
      case 'TimeWindowed':
      case 'SessionWindowed': {
        const w = windowOf(c);
        const serde = kind === 'TimeWindowed' ? Serdes.timeWindowed(Serdes.String(), w.end - w.start || 1) : Serdes.sessionWindowed(Serdes.String());
        const windowed = { key: w.key, window: { start: w.start, end: w.end } };
        t.is(hex(serde.serialize(TOPIC, windowed)), h);
        t.deepEqual(serde.deserialize(TOPIC, fromHex(h)), windowed);
        return;
      }
      case 'TimeWindowed<Long>': {
        const m = /^(\d+)@(\d+)\/(\d+)$/.exec(c)!;
        const [key, start, end] = [Number(m[1]), Number(m[2]), Number(m[3])];
        const serde = Serdes.timeWindowed(Serdes.Long(), end - start);
        t.is(hex(serde.serialize(TOPIC, { key, window: { start, end } })), h);
        t.deepEqual(serde.deserialize(TOPIC, fromHex(h)), { key, window: { start, end } });
        return;
      }
      case 'TimeWindowedToString': {
        // "k1@300000,size=60000 [k1@300000/360000]": deserialize Kafka's bytes for k1@300000 with that size
        const size = c.endsWith('Long.MAX') ? Number.MAX_SAFE_INTEGER : Number(/size=(\d+)/.exec(c)![1]);
        const w = Serdes.timeWindowed(Serdes.String(), size).deserialize(TOPIC, fromHex('6b3100000000000493e0'))!;
        // Kafka clamps an overflowing end to Long.MAX_VALUE; we clamp to Number.MAX_SAFE_INTEGER
        t.is(formatWindowed(w), h.replace('9223372036854775807', String(Number.MAX_SAFE_INTEGER)));
        return;
      }
      case 'SessionWindowedToString':
        t.is(formatWindowed(Serdes.sessionWindowed(Serdes.String()).deserialize(TOPIC, fromHex('6b31000000000000138800000000000003e8'))!), h);
        return;
      case 'TimeWindowedEmpty':
        t.is(Serdes.timeWindowed(Serdes.String(), 1000).deserialize(TOPIC, new Uint8Array(0)), null);
        t.is(h, 'null');
        return;
      default:
        t.fail(`unknown vector serde ${kind}`);
    }
  });
}
