import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, TopologyError } from '@ts-streams/dsl';
import type { KStream } from '@ts-streams/dsl';

const S = Serdes.String();
const C = Consumed.with(S, S);
const P = Produced.with(S, S);

test('to() of the topic the same stream reads, with nothing that can drop a record between, fails at build()', (t) => {
  const b = new StreamsBuilder();
  b.stream('a', C).to('a', P);
  const e = t.throws(() => b.build(), { instanceOf: TopologyError })!;
  t.is(
    e.message,
    "Every record read from 'a' is written back to 'a' (KSTREAM-SOURCE-0000000000 → KSTREAM-SINK-0000000001), so each one goes round forever. " +
      'Write to a topic this topology does not read, or let records leave the cycle (filter(), split(), flatMap() ...). [step KSTREAM-SINK-0000000001]',
  );
  t.is(e.step, 'KSTREAM-SINK-0000000001');
});

test('one-to-one steps (mapValues, map, selectKey, peek, merge) do not break the cycle', (t) => {
  const b = new StreamsBuilder();
  const other = b.stream('other', C);
  b.stream('a', C).mapValues((v) => v + '!').peek(() => {}).selectKey((k) => k).map((k, v) => ({ key: k, value: v })).merge(other).to('a', P);
  const e = t.throws(() => b.build(), { instanceOf: TopologyError })!;
  t.regex(e.message, /^Every record read from 'a' is written back to 'a' \(KSTREAM-SOURCE-0000000001 → KSTREAM-MAPVALUES-0000000002 → .* → KSTREAM-MERGE-0000000006 → KSTREAM-SINK-0000000007\)/);
});

test('a cycle through two topics fails at build() too, naming both', (t) => {
  const b = new StreamsBuilder();
  b.stream('a', C).mapValues((v) => v).to('b', P);
  b.stream('b', C).to('a', P);
  const e = t.throws(() => b.build(), { instanceOf: TopologyError })!;
  t.regex(e.message, /^Every record read from 'a' is written back to 'a' through 'b' /);
});

test('a cycle a record can leave builds: Kafka Streams allows writing to a topic the topology reads', (t) => {
  for (const leave of [
    (s: KStream<string, string>) => s.filter((_k, v) => v.length < 10),
    (s: KStream<string, string>) => s.flatMapValues((v) => (v.length < 10 ? [v + '!'] : [])),
  ]) {
    const b = new StreamsBuilder();
    leave(b.stream<string, string>('a', C)).to('a', P);
    t.notThrows(() => b.build());
  }
  const b = new StreamsBuilder();
  b.stream('in', C).to('a', P);
  b.table('a', C).toStream().to('out', P);
  t.notThrows(() => b.build(), 'writing a topic that a table reads is no cycle');
});
