import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, SlidingWindows } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const fmt = (r: { key: any; value: any; timestamp: number }) => `${r.key.key}@${r.key.window.start}/${r.key.window.end}=${r.value}@${r.timestamp}`;
const lateDrops = (d: TopologyTestDriver) => [...d.droppedRecords()].filter(([k]) => k.startsWith('late-record:')).reduce((n, [, v]) => n + v, 0);

function setup(td: number, grace: number) {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
    .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(td, grace)).count().toStream().to('out');
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  return {
    d,
    input: d.createInputTopic('in', Serdes.String(), Serdes.String()),
    output: d.createOutputTopic('out', Serdes.timeWindowed(Serdes.String(), td), Serdes.Long()),
  };
}

test('sliding count: left and right windows, an out-of-order record, a late record', (t) => {
  const { d, input, output } = setup(10, 5);
  input.pipeInput('a', 'v', 20);
  t.deepEqual(output.readRecordsToList().map(fmt), ['a@10/20=1@20']);
  input.pipeInput('a', 'v', 25);
  // the right window of 20 ([21,31], holding 25), then 25's left window [15,25] (holding 20 and 25)
  t.deepEqual(output.readRecordsToList().map(fmt), ['a@21/31=1@25', 'a@15/25=2@25']);
  input.pipeInput('a', 'v', 22); // out of order: updates [21,31] and [15,25], creates [12,22] and its right window [23,33]
  t.deepEqual(output.readRecordsToList().map(fmt), ['a@21/31=2@25', 'a@15/25=3@25', 'a@12/22=2@22', 'a@23/33=1@25']);
  input.pipeInput('a', 'v', 9); // its window [0,10]... ends at 19 < close time 20: dropped
  t.deepEqual(output.readRecordsToList(), []);
  t.is(lateDrops(d), 1);
  d.close();
});

test('sliding count: records earlier than the time difference share the [0, d] window', (t) => {
  const { d, input, output } = setup(10, 100);
  input.pipeInput('b', 'v', 3);
  input.pipeInput('b', 'v', 7);
  t.deepEqual(output.readRecordsToList().map(fmt), ['b@0/10=1@3', 'b@4/14=1@7', 'b@0/10=2@7']);
  d.close();
});
