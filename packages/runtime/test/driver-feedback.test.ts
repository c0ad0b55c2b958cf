import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized } from '@ts-streams/dsl';
import { FeedbackLoopError } from '@ts-streams/runtime';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const S = Serdes.String();
const C = Consumed.with(S, S);
const P = Produced.with(S, S);

/**
 * `a` → filter → `a`: a cycle that builds (a filter may drop records) but that this filter never leaves. The
 * filter counts its calls and throws past `guard`, so a driver without a bound fails the test instead of hanging it.
 */
function endless(guard = 100_000) {
  const calls = { n: 0 };
  const b = new StreamsBuilder();
  b.stream('a', C).filter(() => {
    if (++calls.n > guard) throw new Error(`guard: ${guard} rounds and still going`);
    return true;
  }).to('a', P);
  b.stream('other', C).to('out', P);
  return { topology: b.build(), calls };
}

test('a record that never leaves a cycle of topics fails the pipe call after maxFeedbackRounds (default 1000), naming the topic and the cycle', (t) => {
  const { topology, calls } = endless();
  const d = new TopologyTestDriver(topology);
  const e = t.throws(() => d.createInputTopic('a', S, S).pipeInput('k', 'v', 0), { instanceOf: FeedbackLoopError })!;
  t.is(calls.n, 1001, 'the piped record and its 1000 rounds');
  t.like(e, { topic: 'a', rounds: 1000, retriable: false });
  t.deepEqual(e.cycle, ['a', 'a']);
  t.is(
    e.message,
    "A record went round a cycle of topics 1000 times without leaving it: what this topology writes to 'a' it reads back ('a' → 'a'). " +
      "Let records leave the cycle (a filter that ends, a retry count), or, if they must go round more often, raise the driver's maxFeedbackRounds option (now 1000).",
  );
  t.is(d.createOutputTopic('a', S, S).getQueueSize(), 1001, 'what the looping record wrote is readable, its last write (not fed back) included');
  // The record stopped going round: the driver is usable.
  d.createInputTopic('other', S, S).pipeInput('k', 'x', 1);
  t.deepEqual(d.createOutputTopic('out', S, S).readValuesToList(), ['x']);
  t.is(calls.n, 1001);
  return d.close();
});

test('maxFeedbackRounds is configurable; a cycle records leave after fewer rounds runs as before', (t) => {
  const b = new StreamsBuilder();
  // A retry topic: each record goes round until its count reaches 0.
  const retries = b.stream('a', Consumed.with(S, Serdes.Integer()));
  retries.filter((_k, n) => n > 0).mapValues((n) => n - 1).to('a', Produced.with(S, Serdes.Integer()));
  retries.filter((_k, n) => n === 0).to('done', Produced.with(S, Serdes.Integer()));
  const topology = b.build();

  const strict = new TopologyTestDriver(topology, { maxFeedbackRounds: 10 });
  const e = t.throws(() => strict.createInputTopic('a', S, Serdes.Integer()).pipeInput('k', 20, 0), { instanceOf: FeedbackLoopError })!;
  t.like(e, { topic: 'a', rounds: 10 });
  t.true(strict.createOutputTopic('done', S, Serdes.Integer()).isEmpty());
  void strict.close();

  const enough = new TopologyTestDriver(topology, { maxFeedbackRounds: 20 });
  enough.createInputTopic('a', S, Serdes.Integer()).pipeInput('k', 20, 0);
  t.deepEqual(enough.createOutputTopic('done', S, Serdes.Integer()).readKeyValuesToList(), [{ key: 'k', value: 0 }]);
  void enough.close();

  t.throws(() => new TopologyTestDriver(topology, { maxFeedbackRounds: 0 }), { message: /maxFeedbackRounds must be an integer >= 1, got 0/ });
});

test("commit 'per-pipe': a batch going round a cycle fails after maxFeedbackRounds rounds of the batch", (t) => {
  const { topology, calls } = endless();
  const d = new TopologyTestDriver(topology, { commit: 'per-pipe', maxFeedbackRounds: 50 });
  const input = d.createInputTopic('a', S, S);
  t.throws(() => input.pipeValueList(Array.from({ length: 100 }, (_, i) => `v${i}`)), { instanceOf: FeedbackLoopError });
  t.is(calls.n, 100 * 51, 'each record of the batch went round 50 times, then stopped; the error is thrown once, at the end of the call');
  d.commit();
  t.is(calls.n, 100 * 51, 'nothing of the cycle is left queued');
  return d.close();
});

test('a cycle through two topics is named with both', (t) => {
  const b = new StreamsBuilder();
  b.stream('a', C).filter(() => true).to('b', P);
  b.stream('b', C).mapValues((v) => v).to('a', P);
  const d = new TopologyTestDriver(b.build(), { maxFeedbackRounds: 20 });
  const e = t.throws(() => d.createInputTopic('a', S, S).pipeInput('k', 'v', 0), { instanceOf: FeedbackLoopError })!;
  t.deepEqual(e.cycle, [e.topic, e.topic === 'a' ? 'b' : 'a', e.topic]);
  return d.close();
});

for (const commit of ['per-record', 'per-pipe', 'manual'] as const) {
  test(`commit ${commit}: records fed back through repartition topics, call after call, never count as going round (no cycle of topics)`, (t) => {
    // Two repartitions deep, cached: commits forward the counts through the second repartition.
    const b = new StreamsBuilder();
    b.stream('in', C)
      .selectKey((_k, v) => v)
      .groupByKey(Grouped.with(S, S, 'by-value'))
      .count(Materialized.as('per-value'))
      .toStream()
      .groupBy((_k, n) => String(n), Grouped.with(S, Serdes.Long(), 'by-count'))
      .count(Materialized.as('per-count'))
      .toStream()
      .to('out', Produced.with(S, Serdes.Long()));
    const d = new TopologyTestDriver(b.build(), { commit, maxFeedbackRounds: 1 });
    const input = d.createInputTopic('in', S, S);
    for (let i = 0; i < 50; i++) {
      input.pipeInput('k', `v${i % 7}`, i);
      d.commit();
      d.advanceWallClockTime(1);
    }
    t.false(d.createOutputTopic('out', S, Serdes.Long()).isEmpty());
    return d.close();
  });
}

test('records fed back by a cycle, call after call, count their rounds per record, not per call', (t) => {
  const b = new StreamsBuilder();
  // Each record goes round twice; with caching and manual commits, commits forward what earlier calls queued.
  const a = b.stream('a', Consumed.with(S, Serdes.Integer()));
  a.filter((_k, n) => n > 0).mapValues((n) => n - 1).to('a', Produced.with(S, Serdes.Integer()));
  a.groupByKey().count(Materialized.as('seen')).toStream().to('seen', Produced.with(S, Serdes.Long()));
  const d = new TopologyTestDriver(b.build(), { commit: 'manual', maxFeedbackRounds: 2 });
  const input = d.createInputTopic('a', S, Serdes.Integer());
  for (let i = 0; i < 30; i++) {
    input.pipeInput(`k${i % 3}`, 2, i);
    d.commit();
  }
  t.is(d.getKeyValueStore<string, number>('seen').get('k0'), 30);
  return d.close();
});
