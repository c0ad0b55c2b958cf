import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, JoinWindows, StreamJoined, Joined, TopologyError } from '@ts-streams/dsl';

const S = Serdes.String();
const W = JoinWindows.ofTimeDifferenceWithNoGrace(1000);

for (const kind of ['join', 'leftJoin', 'outerJoin'] as const) {
  test(`a stream-stream ${kind} without serdes for its window stores names StreamJoined.with(...), not Materialized`, (t) => {
    const b = new StreamsBuilder();
    const left = b.stream('l', Consumed.with(S, S)).mapValues((v) => v.length);
    const right = b.stream('r', Consumed.with(S, S)).mapValues((v) => v.length);
    (left[kind] as typeof left.join)(right, (x, y) => `${x}${y}`, W).to('out', Produced.with(S, S));
    const e = t.throws(() => b.build(), { instanceOf: TopologyError })!;
    t.regex(e.message, /KSTREAM-(JOIN|OUTER)THIS-\d+-store' has no value serde/);
    t.regex(e.message, /StreamJoined\.with\(keySerde, valueSerde, otherValueSerde\)/);
    t.notRegex(e.message, /Materialized/);
  });
}

test('a stream-stream join after a key change without serdes names StreamJoined.with(...) for the repartition topic', (t) => {
  const b = new StreamsBuilder();
  const left = b.stream('l', Consumed.with(S, S)).selectKey((_k, v) => v.length);
  const right = b.stream('r', Consumed.with(S, S)).selectKey((_k, v) => v.length);
  left.join(right, (x, y) => x + y, W).to('out', Produced.with(Serdes.Integer(), S));
  const e = t.throws(() => b.build(), { instanceOf: TopologyError })!;
  t.regex(e.message, /writes the repartition topic 'KSTREAM-KEY-SELECT-0000000001-repartition' but no key serde is known/);
  t.regex(e.message, /StreamJoined\.with\(keySerde, valueSerde, otherValueSerde\)/);
  t.notRegex(e.message, /Grouped|Produced|Consumed/);
});

test('a stream-table join after a key change without serdes names Joined.with(...) for the repartition topic', (t) => {
  const b = new StreamsBuilder();
  const stream = b.stream('s', Consumed.with(S, S)).selectKey((_k, v) => v.length);
  const table = b.table('t', Consumed.with(Serdes.Integer(), S), Materialized.as('t-store'));
  stream.leftJoin(table, (v, tv) => `${v}${tv}`).to('out', Produced.with(Serdes.Integer(), S));
  const e = t.throws(() => b.build(), { instanceOf: TopologyError })!;
  t.regex(e.message, /writes the repartition topic '.*-repartition' but no key serde is known/);
  t.regex(e.message, /Joined\.with\(keySerde, valueSerde, tableValueSerde\)/);
  t.notRegex(e.message, /StreamJoined|Grouped|Produced|Consumed/);
});

test('a table-table join materialized without serdes still names Materialized', (t) => {
  const b = new StreamsBuilder();
  const t1 = b.table('t1', Consumed.with(S, S), Materialized.as('a'));
  const t2 = b.table('t2', Consumed.with(S, S), Materialized.as('b'));
  t1.join(t2, (x, y) => x.length + y.length, Materialized.as('joined')).toStream().to('out', Produced.with(S, Serdes.Integer()));
  const e = t.throws(() => b.build(), { instanceOf: TopologyError })!;
  t.regex(e.message, /Store 'joined' has no value serde\. Pass Materialized\.with\(keySerde, valueSerde\)/);
});

test('with StreamJoined.with(...) and Joined.with(...) those joins build', (t) => {
  const b = new StreamsBuilder();
  const left = b.stream('l', Consumed.with(S, S)).selectKey((_k, v) => v.length).mapValues((v) => v.length);
  const right = b.stream('r', Consumed.with(Serdes.Integer(), S));
  left.join(right, (x, y) => `${x}${y}`, W, StreamJoined.with(Serdes.Integer(), Serdes.Integer(), S)).to('out', Produced.with(Serdes.Integer(), S));
  const table = b.table('t', Consumed.with(Serdes.Integer(), S), Materialized.as('t-store'));
  b.stream('s', Consumed.with(S, S)).selectKey((_k, v) => v.length).join(table, (v, tv) => v + tv, Joined.with(Serdes.Integer(), S, S)).to('out2', Produced.with(Serdes.Integer(), S));
  t.notThrows(() => b.build());
});

for (const [what, read] of [
  ['stream', (b: StreamsBuilder) => (b as any).stream('clicks').to('out')],
  ['table', (b: StreamsBuilder) => (b as any).table('clicks').toStream().to('out')],
  ['globalTable', (b: StreamsBuilder) => {
    const g = (b as any).globalTable('clicks');
    b.stream('in', Consumed.with(S, S)).join(g, (k: string) => k, (v: string, gv: string) => v + gv).to('out', Produced.with(S, S) as never);
  }],
] as const) {
  test(`builder.${what}() without Consumed (plain JavaScript) says the source has no serdes and to pass Consumed.with(...)`, (t) => {
    const b = new StreamsBuilder();
    read(b);
    const e = t.throws(() => b.build(), { instanceOf: TopologyError })!;
    t.regex(e.message, /reads 'clicks' but has no key serde/);
    t.true(e.message.includes(`builder.${what}('clicks', Consumed.with(keySerde, valueSerde))`), e.message);
    t.notRegex(e.message, /changed upstream/);
  });
}

test('a Consumed with only a key serde says the value serde is missing', (t) => {
  const b = new StreamsBuilder();
  b.stream<string, string>('clicks', { keySerde: S } as any).to('out', Produced.with(S, S));
  const e = t.throws(() => b.build(), { instanceOf: TopologyError })!;
  t.regex(e.message, /reads 'clicks' but has no value serde/);
  t.regex(e.message, /Consumed\.with\(keySerde, valueSerde\)/);
});

test('a multi-topic stream() without Consumed shows the call with its topic list', (t) => {
  const b = new StreamsBuilder();
  (b as any).stream(['a', 'b']).to('out');
  const e = t.throws(() => b.build(), { instanceOf: TopologyError })!;
  t.true(e.message.includes("reads 'a', 'b' but has no key serde"), e.message);
  t.true(e.message.includes("builder.stream(['a', 'b'], Consumed.with(keySerde, valueSerde))"), e.message);
});
