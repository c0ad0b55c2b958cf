import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const S = Serdes.String();

test('table source: updates, tombstones, delete of an absent key, null key dropped', (t) => {
  const b = new StreamsBuilder();
  b.table('in', Consumed.with(S, S), Materialized.as('t')).toStream().to('out', Produced.with(S, S));
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', S, S);
  const out = d.createOutputTopic('out', S, S);
  input.pipeInput('a', '1', 10);
  input.pipeInput('b', '2', 20);
  input.pipeInput('a', '3', 30);
  input.pipeInput('a', null, 40);
  input.pipeInput(null, 'x', 45);
  input.pipeInput('c', null, 50);
  t.deepEqual(out.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]), [
    ['a', '1', 10], ['b', '2', 20], ['a', '3', 30], ['a', null, 40], ['c', null, 50],
  ]);
  const store = d.getKeyValueStore<string, string>('t');
  t.is(store.get('a') ?? null, null);
  t.is(store.get('b'), '2');
  t.is(d.getTimestampedKeyValueStore<string, string>('t').get('b')?.timestamp, 20);
  d.close();
});

test('with caching on (the default), an unmaterialized table forwards every update, a tombstone for an unknown key included; a materialized one drops that tombstone (Kafka 4.4)', (t) => {
  const run = (materialized: boolean) => {
    const b = new StreamsBuilder();
    const table = materialized ? b.table('in', Consumed.with(S, S), Materialized.as('t')) : b.table('in', Consumed.with(S, S));
    table.toStream().to('out', Produced.with(S, S));
    const d = new TopologyTestDriver(b.build());
    const input = d.createInputTopic('in', S, S);
    input.pipeInput('a', '1', 10);
    input.pipeInput('a', '2', 20);
    input.pipeInput('x', null, 30);
    const out = d.createOutputTopic('out', S, S).readRecordsToList().map((r) => [r.key, r.value, r.timestamp]);
    d.close();
    return out;
  };
  t.deepEqual(run(false), [['a', '1', 10], ['a', '2', 20], ['x', null, 30]]);
  t.deepEqual(run(true), [['a', '1', 10], ['a', '2', 20]]);
});
