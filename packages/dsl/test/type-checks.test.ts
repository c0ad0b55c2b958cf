import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, JoinWindows, TopologyError } from '@ts-streams/dsl';
import type { KStream, Serde } from '@ts-streams/dsl';

// These lines are checked by `npm run typecheck`: each @ts-expect-error must stay an error.
function typeLevel() {
  const b = new StreamsBuilder();
  const byString = b.stream('a', Consumed.with(Serdes.String(), Serdes.String()));
  const byNumber = b.stream('b', Consumed.with(Serdes.Long(), Serdes.String()));
  const lengths = byString.mapValues((v) => v.length);
  // @ts-expect-error a serde that does not fit the value type (number values, String serde)
  lengths.to('out', Produced.with(Serdes.String(), Serdes.String()));
  // @ts-expect-error joining streams keyed by different types
  byString.join(byNumber, (l, r) => l + r, JoinWindows.ofTimeDifferenceWithNoGrace(1000));
  // @ts-expect-error merging streams of different key types
  byString.merge(byNumber);
  // types flow: count() yields number values, windowed keys after windowedBy
  const counts = byString.groupByKey().count();
  counts.toStream().mapValues((n: number) => n + 1);
  // @ts-expect-error count values are numbers, not strings
  counts.toStream().mapValues((n: string) => n);
}
void typeLevel;

// Serdes carry Kafka's null (no bytes) both ways, so the plain serde of a type serves a stream whose keys or values
// may be null, as in Java; a serde of another type still fails.
function nullsLevel() {
  const b = new StreamsBuilder();
  const strings = b.stream('a', Consumed.with(Serdes.String(), Serdes.String()));
  // the normal case keeps non-null types
  strings.mapValues((v: string) => v.length);
  const nullKeys: KStream<string | null, string> = strings.selectKey((_k, v) => (v === '' ? null : v));
  const nullValues: KStream<string, number | null> = strings.mapValues((v) => (v === '' ? null : v.length));
  nullKeys.to('out', Produced.with(Serdes.String(), Serdes.String()));
  nullKeys.to('out', Produced.with(Serdes.String(), Serdes.String(), { name: 'sink' }));
  nullValues.to('out', Produced.with(Serdes.String(), Serdes.Long()));
  nullValues.groupByKey(Grouped.with(Serdes.String(), Serdes.Long()));
  nullKeys.toTable(Materialized.with(Serdes.String(), Serdes.String()));
  b.stream<string | null, number | null>('b', Consumed.with(Serdes.String(), Serdes.Long()));
  const builtIns: [Serde<string | null>, Serde<number | null>, Serde<bigint | null>, Serde<boolean | null>, Serde<Uint8Array | null>, Serde<null>] = [
    Serdes.String(), Serdes.Long(), Serdes.LongBigInt(), Serdes.Boolean(), Serdes.ByteArray(), Serdes.Void(),
  ];
  const moreBuiltIns: Serde<number | null>[] = [Serdes.Integer(), Serdes.Short(), Serdes.Double(), Serdes.Float()];
  const uuids: Serde<string | null> = Serdes.UUID();
  void builtIns, moreBuiltIns, uuids;
  // @ts-expect-error a number serde for string keys, null or not
  nullKeys.to('out', Produced.with(Serdes.Long(), Serdes.String()));
  // @ts-expect-error a string serde for number values, null or not
  nullValues.to('out', Produced.with(Serdes.String(), Serdes.String()));
  // @ts-expect-error the Void serde cannot write string keys
  nullValues.to('out', Produced.with(Serdes.Void(), Serdes.Long()));
  // @ts-expect-error a number serde for a grouping by string keys
  nullKeys.groupByKey(Grouped.with(Serdes.Integer(), Serdes.String()));
  // a partitioner sees the keys as they are: with null keys it must take null (Kafka hands it null keys)
  strings.to('out', Produced.with(Serdes.String(), Serdes.String(), { partitioner: (_t, k, _v, n) => k.length % n }));
  nullKeys.to('out', Produced.with<string | null, string>(Serdes.String(), Serdes.String(), { partitioner: (_t, k, _v, n) => (k === null ? 0 : k.length % n) }));
  // @ts-expect-error a partitioner that assumes non-null keys, on a stream with null keys
  nullKeys.to('out', Produced.with(Serdes.String(), Serdes.String(), { partitioner: (_t, k, _v, n) => k.length % n }));
  const options: Omit<Produced<string, string>, 'keySerde' | 'valueSerde'> = { partitioner: (_t, k, _v, n) => k.length % n };
  strings.to('out', Produced.with(Serdes.String(), Serdes.String(), options));
  // @ts-expect-error options holding a partitioner typed for non-null keys still pin the key type
  nullKeys.to('out', Produced.with(Serdes.String(), Serdes.String(), options));
}
void nullsLevel;

test('a bad topology fails at build() naming the step and the fix', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).map((k, v) => ({ key: v.length, value: k })).to('out');
  const e = t.throws(() => b.build(), { instanceOf: TopologyError });
  t.regex(e!.message, /KSTREAM-SINK-0000000002/);
  t.regex(e!.message, /no key serde/);
  t.regex(e!.message, /Produced\.with/);
});

test('a topic read twice, a name used twice and negative durations are rejected', (t) => {
  const b = new StreamsBuilder();
  const s = b.stream('in', Consumed.with(Serdes.String(), Serdes.String()));
  t.throws(() => b.stream('in', Consumed.with(Serdes.String(), Serdes.String())), { message: /already read/ });
  s.filter(() => true, { name: 'f' });
  t.throws(() => s.filter(() => true, { name: 'f' }), { message: /used by two steps/ });
  t.throws(() => JoinWindows.ofTimeDifferenceAndGrace(1000, -1), { message: /must not be negative/ });
});

test('a store that is not registered fails at build()', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).process(() => ({ process() {} }), { stores: ['missing'] });
  t.throws(() => b.build(), { message: /store 'missing', which does not exist/ });
});
