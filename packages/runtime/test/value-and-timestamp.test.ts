import test from 'ava';
import { Serdes, type Serde } from '@ts-streams/dsl';
import { valueAndTimestampSerde } from '../src/state/value-and-timestamp.ts';

const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));

test('ValueAndTimestamp<Long> (the fast path for counts) writes the same bytes as the general path', (t) => {
  const fast = valueAndTimestampSerde(Serdes.Long());
  // The same Long serde behind a wrapper the fast path does not recognise: the general path.
  const long = Serdes.Long();
  const wrapped: Serde<number> = { name: 'Long', serialize: (tp, v) => long.serialize(tp, v), deserialize: (tp, b) => long.deserialize(tp, b) };
  const general = valueAndTimestampSerde(wrapped);
  for (const [value, timestamp] of [[0, 0], [1, 1], [-1, 5], [-0, 7], [2 ** 32, 2 ** 40 + 3], [Number.MAX_SAFE_INTEGER, 1_700_000_000_000], [-Number.MAX_SAFE_INTEGER, 0]] as const) {
    const a = fast.serialize('t', { value, timestamp });
    t.is(hex(a), hex(general.serialize('t', { value, timestamp })), `${value}@${timestamp}`);
    t.deepEqual(fast.deserialize('t', a), { value: value === 0 ? 0 : value, timestamp });
  }
  t.is(hex(fast.serialize('t', { value: 258, timestamp: 1 })), '0000000000000001' + '0000000000000102');
  t.throws(() => fast.serialize('t', { value: 1.5, timestamp: 1 }), undefined, 'a non-integer still goes to the Long serde, which refuses it');
});
