import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, SessionWindows, Materialized } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const fmt = (r: { key: any; value: any; timestamp: number }) => `${r.key.key}@${r.key.window.start}/${r.key.window.end}=${r.value}@${r.timestamp}`;
const lateDrops = (d: TopologyTestDriver) => [...d.droppedRecords()].filter(([k]) => k.startsWith('late-record:')).reduce((n, [, v]) => n + v, 0);

test('session count: merging, a late bridging record, tombstones, late drop', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
    .windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 10)).count(Materialized.as('sessions')).toStream().to('out');
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', Serdes.String(), Serdes.String());
  const output = d.createOutputTopic('out', Serdes.sessionWindowed(Serdes.String()), Serdes.Long());
  input.pipeInput('a', 'v', 0);
  input.pipeInput('a', 'v', 3); // within the gap: [0,0] merges into [0,3]
  t.deepEqual(output.readRecordsToList().map(fmt), ['a@0/0=1@0', 'a@0/0=null@0', 'a@0/3=2@3']);
  input.pipeInput('a', 'v', 20);
  input.pipeInput('a', 'v', 12); // 12 - 3 > gap and 20 - 12 > gap: its own session
  t.deepEqual(output.readRecordsToList().map(fmt), ['a@20/20=1@20', 'a@12/12=1@12']);
  input.pipeInput('a', 'v', 16); // late but within grace, bridges [12,12] and [20,20]
  t.deepEqual(output.readRecordsToList().map(fmt), ['a@12/12=null@12', 'a@20/20=null@20', 'a@12/20=3@20']);
  input.pipeInput('a', 'v', 40); // close time 40 - 10 - 5 = 25
  input.pipeInput('a', 'v', 22); // would make [12,22]: ends before 25, dropped
  t.deepEqual(output.readRecordsToList().map(fmt), ['a@40/40=1@40']);
  t.is(lateDrops(d), 1);
  // The store keeps sessions for gap + grace (15) behind the largest end seen (40), as Kafka's does.
  const store = d.getSessionStore<string, number>('sessions');
  t.deepEqual([...store.fetch('a')].map((kv) => `${kv.key.window.start}/${kv.key.window.end}=${kv.value}`), ['40/40=1']);
  d.close();
});

test('session aggregate with merger, and reduce', (t) => {
  const b = new StreamsBuilder();
  const w = b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey().windowedBy(SessionWindows.ofInactivityGapAndGrace(5, 10));
  w.aggregate(() => '', (_k, v, agg) => agg + v, (_k, l, r) => l + r, Materialized.with(Serdes.String(), Serdes.String())).toStream().to('agg');
  w.reduce((a, v) => a + '+' + v).toStream().to('red');
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', Serdes.String(), Serdes.String());
  input.pipeInput('k', 'x', 0);
  input.pipeInput('k', 'z', 10);
  input.pipeInput('k', 'y', 5); // bridges both
  const agg = d.createOutputTopic('agg', Serdes.sessionWindowed(Serdes.String()), Serdes.String());
  t.deepEqual(agg.readRecordsToList().map(fmt).slice(-1), ['k@0/10=xzy@10']);
  const red = d.createOutputTopic('red', Serdes.sessionWindowed(Serdes.String()), Serdes.String());
  t.deepEqual(red.readRecordsToList().map(fmt).slice(-1), ['k@0/10=x+z+y@10']);
  d.close();
});

test("session emitStrategy('on-window-close') emits each final session once", (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
    .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(5)).emitStrategy('on-window-close').count().toStream().to('out');
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', Serdes.String(), Serdes.String());
  const output = d.createOutputTopic('out', Serdes.sessionWindowed(Serdes.String()), Serdes.Long());
  input.pipeInput('a', 'v', 0);
  input.pipeInput('a', 'v', 3);
  input.pipeInput('b', 'v', 4);
  input.pipeInput('a', 'v', 9); // close time 4: [0,3] ends before it and is final
  t.deepEqual(output.readRecordsToList().map(fmt), ['a@0/3=2@3']);
  input.pipeInput('a', 'v', 30);
  t.deepEqual(output.readRecordsToList().map(fmt), ['b@4/4=1@4', 'a@9/9=1@9']);
  d.close();
});
