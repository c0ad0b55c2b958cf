import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import { SerdeError } from '../../src/serde/serde-error.ts';
import { TOPIC, fromHex, hex, plainBytes } from './helpers.ts';

const str = Serdes.String();

// Kafka's StringSerializer: String.getBytes(UTF_8).
const CASES: [string, string, string][] = [
  ['empty', '', ''],
  ['ascii', 'hello', '68656c6c6f'],
  ['é (2 bytes)', '\u00e9', 'c3a9'],
  ['😀 (4 bytes, a surrogate pair)', '\u{1F600}', 'f09f9880'],
  ['mixed', 'k\u00e9y-\u20ac-\u{1F600}', '6bc3a9792de282ac2df09f9880'],
  ['NUL', '\u0000', '00'],
  ['BOM is kept', '\ufeffx', 'efbbbf78'],
];

for (const [name, value, bytes] of CASES) {
  test(`String ${name} is ${bytes || '(0 bytes)'} and round-trips`, (t) => {
    const out = str.serialize(TOPIC, value);
    t.true(Buffer.isBuffer(out));
    t.is(hex(out), bytes);
    t.is(str.deserialize(TOPIC, fromHex(bytes)), value);
    t.is(str.deserialize(TOPIC, plainBytes(bytes)), value);
  });
}

test('String: empty string is zero bytes, not null', (t) => {
  const out = str.serialize(TOPIC, '');
  t.not(out, null);
  t.is(out!.length, 0);
  t.is(str.deserialize(TOPIC, new Uint8Array(0)), '');
});

test('String: null in, null out', (t) => {
  t.is(str.serialize(TOPIC, null), null);
  t.is(str.deserialize(TOPIC, null), null);
});

test("String: unpaired surrogates are written as '?' like Java (Node alone would write U+FFFD)", (t) => {
  t.is(hex(str.serialize(TOPIC, 'a\ud800b')), '613f62');
  t.is(hex(str.serialize(TOPIC, 'a\udc00b')), '613f62');
  t.is(hex(str.serialize(TOPIC, 'a\ud83d')), '613f');
  t.is(hex(str.serialize(TOPIC, '\ude00\ud83d')), '3f3f'); // reversed pair: two lone surrogates
});

test('String: malformed UTF-8 decodes with Java replacement rules', (t) => {
  const units = (s: string | null) => [...(s ?? '')].map((c) => c.codePointAt(0)!.toString(16)).join(',');
  t.is(units(str.deserialize(TOPIC, fromHex('ff'))), 'fffd');
  t.is(units(str.deserialize(TOPIC, fromHex('c328'))), 'fffd,28');
  // an encoded surrogate: Java gives one U+FFFD, Node/WHATWG three
  t.is(units(str.deserialize(TOPIC, fromHex('eda080'))), 'fffd');
  t.is(units(str.deserialize(TOPIC, fromHex('edbfbf41'))), 'fffd,41');
  t.is(units(str.deserialize(TOPIC, fromHex('c0af'))), 'fffd,fffd');
  // a real U+FFFD in the data is kept
  t.is(str.deserialize(TOPIC, fromHex('61efbfbd62')), 'a\ufffdb');
});

test('String: refuses non-strings instead of guessing', (t) => {
  const e = t.throws(() => str.serialize(TOPIC, 42 as unknown as string), { instanceOf: SerdeError });
  t.regex(e!.message, /^String serde on topic 'counts' cannot serialize the number 42: expected a string\./);
  t.regex(e!.message, /Produced\.with/);
  t.throws(() => str.serialize(TOPIC, Buffer.from('x') as unknown as string), { instanceOf: SerdeError });
});

test('String: long strings round-trip', (t) => {
  const s = 'x\u00e9\u{1F600}'.repeat(10000);
  t.is(str.deserialize(TOPIC, str.serialize(TOPIC, s)), s);
});
