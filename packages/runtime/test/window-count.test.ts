import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Materialized, TimeWindows } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const fmt = (r: { key: any; value: any; timestamp: number }) => `${r.key.key}@${r.key.window.start}/${r.key.window.end}=${r.value}@${r.timestamp}`;
const lateDrops = (d: TopologyTestDriver) => [...d.droppedRecords()].filter(([k]) => k.startsWith('late-record:')).reduce((n, [, v]) => n + v, 0);

function tumbling(windows: TimeWindows, emitOnClose = false) {
  const b = new StreamsBuilder();
  let w = b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey().windowedBy(windows);
  if (emitOnClose) w = w.emitStrategy('on-window-close');
  // No serdes on .to(): the table carries the time-windowed key serde and Long values.
  w.count(Materialized.as('counts')).toStream().to('out');
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  return {
    d,
    input: d.createInputTopic('in', Serdes.String(), Serdes.String()),
    output: d.createOutputTopic('out', Serdes.timeWindowed(Serdes.String(), windows.sizeMs), Serdes.Long()),
  };
}

test('tumbling count: out-of-order records, a record at a window end, grace', (t) => {
  const { d, input, output } = tumbling(TimeWindows.ofSizeAndGrace(10, 5));
  input.pipeInput('k', 'v', 1);
  input.pipeInput('k', 'v', 12);
  input.pipeInput('k', 'v', 5); // out of order, stream time 12, close time 7 < end 10: accepted
  input.pipeInput('k', 'v', 10); // exactly at [0,10)'s end: belongs to [10,20)
  input.pipeInput('k', 'v', 15); // close time 10
  input.pipeInput('k', 'v', 9); // [0,10) ends at 10 <= close time 10: dropped
  input.pipeInput('j', 'v', 4); // likewise, for another key
  t.deepEqual(output.readRecordsToList().map(fmt), [
    'k@0/10=1@1',
    'k@10/20=1@12',
    'k@0/10=2@5',
    'k@10/20=2@12',
    'k@10/20=3@15',
  ]);
  t.is(lateDrops(d), 2);
  const store = d.getWindowStore<string, number>('counts');
  t.is(store.fetch('k', 0), 2);
  t.is(store.fetch('k', 10), 3);
  t.is(store.fetch('j', 0), undefined);
  d.close();
});

test('tumbling count without grace drops a record for a window that just closed', (t) => {
  const { d, input, output } = tumbling(TimeWindows.ofSizeWithNoGrace(10));
  input.pipeInput('k', 'v', 19);
  input.pipeInput('k', 'v', 20); // stream time 20 closes [10,20)
  input.pipeInput('k', 'v', 11);
  t.deepEqual(output.readRecordsToList().map(fmt), ['k@10/20=1@19', 'k@20/30=1@20']);
  t.is(lateDrops(d), 1);
  d.close();
});

test("emitStrategy('on-window-close') emits each window once, when it closes", (t) => {
  const { d, input, output } = tumbling(TimeWindows.ofSizeWithNoGrace(10), true);
  input.pipeInput('a', 'v', 1);
  input.pipeInput('b', 'v', 5);
  input.pipeInput('a', 'v', 3);
  t.deepEqual(output.readRecordsToList(), []);
  input.pipeInput('a', 'v', 10); // closes [0,10)
  t.deepEqual(output.readRecordsToList().map(fmt), ['a@0/10=2@3', 'b@0/10=1@5']);
  input.pipeInput('a', 'v', 15);
  t.deepEqual(output.readRecordsToList(), []);
  input.pipeInput('b', 'v', 2); // late
  // closes [10,20) and [20,30) (empty); but the record is written first, into [30,40), which moves the store's stream
  // time to 30 and expires [10,20) (retention 10): as in Kafka Streams 4.4 (its TopologyTestDriver emits nothing here
  // without a cache; conformance case window-emit-on-window-close-no-grace), it is never emitted
  input.pipeInput('a', 'v', 31);
  t.deepEqual(output.readRecordsToList().map(fmt), []);
  t.is(lateDrops(d), 1);
  d.close();
});

test('windowed reduce and aggregate; null keys dropped', (t) => {
  const b = new StreamsBuilder();
  const g = b.stream('in', Consumed.with(Serdes.String(), Serdes.Long())).groupByKey();
  g.windowedBy(TimeWindows.of(10)).reduce((a, v) => a + v).toStream().to('sum');
  g.windowedBy(TimeWindows.of(10)).aggregate(() => '', (_k, v, agg) => agg + v, Materialized.with(Serdes.String(), Serdes.String())).toStream().to('cat');
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', Serdes.String(), Serdes.Long());
  input.pipeInput('k', 1, 1);
  input.pipeInput('k', 2, 2);
  input.pipeInput(null as unknown as string, 3, 3);
  input.pipeInput('k', 4, 12);
  const sum = d.createOutputTopic('sum', Serdes.timeWindowed(Serdes.String(), 10), Serdes.Long());
  t.deepEqual(sum.readRecordsToList().map(fmt), ['k@0/10=1@1', 'k@0/10=3@2', 'k@10/20=4@12']);
  const cat = d.createOutputTopic('cat', Serdes.timeWindowed(Serdes.String(), 10), Serdes.String());
  t.deepEqual(cat.readRecordsToList().map(fmt), ['k@0/10=1@1', 'k@0/10=12@2', 'k@10/20=4@12']);
  t.is([...d.droppedRecords()].filter(([k]) => k.startsWith('null-key:')).reduce((n, [, v]) => n + v, 0), 2);
  d.close();
});

test('retention smaller than size + grace is refused', (t) => {
  const b = new StreamsBuilder();
  const w = b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey().windowedBy(TimeWindows.ofSizeAndGrace(10, 5));
  t.throws(() => w.count(Materialized.as('c', { retention: 14 })), { message: /retention/ });
});
