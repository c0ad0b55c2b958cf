import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, TimeWindows } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const fmt = (r: { key: any; value: any; timestamp: number }) => `${r.key.key}@${r.key.window.start}/${r.key.window.end}=${r.value}@${r.timestamp}`;
const lateDrops = (d: TopologyTestDriver) => [...d.droppedRecords()].filter(([k]) => k.startsWith('late-record:')).reduce((n, [, v]) => n + v, 0);

test('hopping count: a record updates every overlapping window; late records are dropped per closed window', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(10).advanceBy(5)).count().toStream().to('out');
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', Serdes.String(), Serdes.String());
  const output = d.createOutputTopic('out', Serdes.timeWindowed(Serdes.String(), 10), Serdes.Long());
  input.pipeInput('a', 'v', 7); // [0,10) and [5,15)
  input.pipeInput('a', 'v', 12); // [5,15) and [10,20); stream time 12
  input.pipeInput('a', 'v', 9); // [0,10) closed (10 <= 12): dropped there; [5,15) accepts it
  input.pipeInput('a', 'v', 3); // only [0,10): dropped
  input.pipeInput('a', 'v', 15); // exactly at [5,15)'s end: [10,20) and [15,25)
  t.deepEqual(output.readRecordsToList().map(fmt), [
    'a@0/10=1@7',
    'a@5/15=1@7',
    'a@5/15=2@12',
    'a@10/20=1@12',
    'a@5/15=3@12',
    'a@10/20=2@15',
    'a@15/25=1@15',
  ]);
  t.is(lateDrops(d), 2);
  d.close();
});
