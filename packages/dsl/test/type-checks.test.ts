import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, JoinWindows, TopologyError } from '@ts-streams/dsl';

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
