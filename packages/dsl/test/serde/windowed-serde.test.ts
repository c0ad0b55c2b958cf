import test from 'ava';
import { Serdes } from '../../src/serde/serdes.ts';
import { SerdeError } from '../../src/serde/serde-error.ts';
import { formatWindowed, type Windowed } from '../../src/serde/windowed.ts';
import { TOPIC, fromHex, hex, plainBytes } from './helpers.ts';

// Kafka Streams WindowKeySchema.toBinary: [key bytes]["start" 8-byte BE], no sequence number.
// "k1" = 6b31, 300000 = 0x493e0.
const TW_HEX = '6b31' + '00000000000493e0';
// Kafka Streams SessionKeySchema.toBinary: [key bytes]["end" 8-byte BE]["start" 8-byte BE].
// 5000 = 0x1388 (end first), 1000 = 0x3e8 (start second).
const SW_HEX = '6b31' + '0000000000001388' + '00000000000003e8';

const tw = Serdes.timeWindowed(Serdes.String(), 60_000);
const sw = Serdes.sessionWindowed(Serdes.String());

test('timeWindowed: key bytes then the 8-byte window start', (t) => {
  const w: Windowed<string> = { key: 'k1', window: { start: 300_000, end: 360_000 } };
  const out = tw.serialize(TOPIC, w);
  t.true(Buffer.isBuffer(out));
  t.is(hex(out), TW_HEX);
  t.deepEqual(tw.deserialize(TOPIC, fromHex(TW_HEX)), w);
  t.deepEqual(tw.deserialize(TOPIC, plainBytes(TW_HEX)), w);
});

test('timeWindowed: the end is not stored; deserializing computes start + window size', (t) => {
  // the serializer ignores end, as Kafka's does
  t.is(hex(tw.serialize(TOPIC, { key: 'k1', window: { start: 300_000, end: 999_999 } })), TW_HEX);
  const fiveMin = Serdes.timeWindowed(Serdes.String(), 300_000);
  t.deepEqual(fiveMin.deserialize(TOPIC, fromHex(TW_HEX))!.window, { start: 300_000, end: 600_000 });
  // Kafka clamps an overflowing end to Long.MAX_VALUE; a JS number clamps to MAX_SAFE_INTEGER
  const huge = Serdes.timeWindowed(Serdes.String(), Number.MAX_SAFE_INTEGER);
  t.is(huge.deserialize(TOPIC, fromHex(TW_HEX))!.window.end, Number.MAX_SAFE_INTEGER);
});

test('timeWindowed: with a Long key', (t) => {
  const serde = Serdes.timeWindowed(Serdes.Long(), 60_000);
  const w = { key: 42, window: { start: 1_700_000_000_000, end: 1_700_000_060_000 } };
  t.is(hex(serde.serialize(TOPIC, w)), '000000000000002a' + '0000018bcfe56800');
  t.deepEqual(serde.deserialize(TOPIC, serde.serialize(TOPIC, w)), w);
  t.is(serde.name, 'TimeWindowed<Long>');
});

test('timeWindowed: null in, null out; zero bytes read as null, as in Kafka', (t) => {
  t.is(tw.serialize(TOPIC, null), null);
  t.is(tw.deserialize(TOPIC, null), null);
  t.is(tw.deserialize(TOPIC, new Uint8Array(0)), null);
});

test('timeWindowed: errors', (t) => {
  t.throws(() => Serdes.timeWindowed(Serdes.String(), 0), { instanceOf: RangeError });
  t.throws(() => Serdes.timeWindowed(Serdes.String(), 1.5), { instanceOf: RangeError });
  const short = t.throws(() => tw.deserialize(TOPIC, fromHex('0000000493e0')), { instanceOf: SerdeError });
  t.regex(short!.message, /^TimeWindowed<String> serde on topic 'counts' got 6 bytes, expected at least 8/);
  t.throws(() => tw.deserialize(TOPIC, fromHex('6b31ffffffffffffffff')), { instanceOf: SerdeError, message: /window start of 0xffffffffffffffff/ });
  t.throws(() => tw.serialize(TOPIC, { key: 'k', window: { start: -1, end: 5 } }), { instanceOf: SerdeError, message: /non-negative/ });
  t.throws(() => Serdes.timeWindowed(Serdes.Void(), 1000).serialize(TOPIC, { key: null, window: { start: 0, end: 1000 } }), {
    instanceOf: SerdeError,
    message: /turns into null/,
  });
});

test('sessionWindowed: key bytes, then END, then START', (t) => {
  const w: Windowed<string> = { key: 'k1', window: { start: 1000, end: 5000 } };
  const out = sw.serialize(TOPIC, w);
  t.true(Buffer.isBuffer(out));
  t.is(hex(out), SW_HEX);
  t.deepEqual(sw.deserialize(TOPIC, fromHex(SW_HEX)), w);
  t.deepEqual(sw.deserialize(TOPIC, plainBytes(SW_HEX)), w);
  t.is(sw.name, 'SessionWindowed<String>');
});

test('sessionWindowed: single-event session and empty key', (t) => {
  t.is(hex(sw.serialize(TOPIC, { key: 'k1', window: { start: 7, end: 7 } })), '6b31' + '0000000000000007' + '0000000000000007');
  t.is(hex(sw.serialize(TOPIC, { key: '', window: { start: 0, end: 0 } })), '00'.repeat(16));
  t.deepEqual(sw.deserialize(TOPIC, new Uint8Array(16)), { key: '', window: { start: 0, end: 0 } });
});

test('sessionWindowed: null in, null out; zero bytes read as null', (t) => {
  t.is(sw.serialize(TOPIC, null), null);
  t.is(sw.deserialize(TOPIC, null), null);
  t.is(sw.deserialize(TOPIC, new Uint8Array(0)), null);
});

test('sessionWindowed: errors', (t) => {
  t.throws(() => sw.deserialize(TOPIC, fromHex(TW_HEX)), { instanceOf: SerdeError, message: /got 10 bytes, expected at least 16/ });
  // start and end swapped (start written first): end < start
  const swapped = '6b31' + '00000000000003e8' + '0000000000001388';
  t.throws(() => sw.deserialize(TOPIC, fromHex(swapped)), { instanceOf: SerdeError, message: /ending at 1000 before its start 5000/ });
  t.throws(() => sw.serialize(TOPIC, { key: 'k', window: { start: 10, end: 5 } }), { instanceOf: SerdeError });
});

test('formatWindowed gives Kafka Windowed.toString()', (t) => {
  t.is(formatWindowed({ key: 'k1', window: { start: 300000, end: 360000 } }), '[k1@300000/360000]');
  t.is(formatWindowed(sw.deserialize(TOPIC, fromHex(SW_HEX))!), '[k1@1000/5000]');
  t.is(formatWindowed({ key: { id: 7 }, window: { start: 0, end: 1 } }, (k) => `id=${k.id}`), '[id=7@0/1]');
});

test('windowed serdes pass headers to the inner serde', (t) => {
  const seen: unknown[] = [];
  const inner = Serdes.from<string>({
    name: 'Spy',
    serialize: (_topic, data, headers) => (seen.push(headers), Buffer.from(data)),
    deserialize: (_topic, data, headers) => (seen.push(headers), Buffer.from(data).toString()),
  });
  const headers = [{ key: 'h', value: null }];
  const serde = Serdes.sessionWindowed(inner);
  serde.deserialize(TOPIC, serde.serialize(TOPIC, { key: 'k', window: { start: 1, end: 2 } }, headers), headers);
  t.deepEqual(seen, [headers, headers]);
});
