import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, TimeWindows, Suppressed, BufferConfig, Materialized } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

const fmt = (r: { key: any; value: any; timestamp: number }) => `${r.key.key}@${r.key.window.start}/${r.key.window.end}=${r.value}@${r.timestamp}`;

test('suppress(untilWindowCloses) emits one final result per window when stream time reaches end + grace', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
    .windowedBy(TimeWindows.ofSizeAndGrace(10, 5)).count()
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded())).toStream().to('out');
  const topology = b.build();
  const d = new TopologyTestDriver(topology, { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', Serdes.String(), Serdes.String());
  const output = d.createOutputTopic('out', Serdes.timeWindowed(Serdes.String(), 10), Serdes.Long());
  input.pipeInput('b', 'v', 8);
  input.pipeInput('a', 'v', 1);
  input.pipeInput('a', 'v', 5);
  input.pipeInput('a', 'v', 12);
  input.pipeInput('a', 'v', 14); // stream time 14 < 10 + 5
  t.deepEqual(output.readRecordsToList(), []);
  input.pipeInput('a', 'v', 15); // 15 >= 10 + 5: [0,10) is final
  t.deepEqual(output.readRecordsToList().map(fmt), ['a@0/10=2@5', 'b@0/10=1@8']);
  input.pipeInput('a', 'v', 9); // late for [0,10): dropped upstream, no second result
  input.pipeInput('c', 'v', 30);
  t.deepEqual(output.readRecordsToList().map(fmt), ['a@10/20=3@15']);
  t.true(topology.describe().toString().includes('KTABLE-SUPPRESS-'));
  d.close();
});

test('suppress(untilTimeLimit) holds the latest value per key for the time limit', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
    .count(Materialized.with(Serdes.String(), Serdes.Long()))
    .suppress(Suppressed.untilTimeLimit(10)).toStream().to('out');
  const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
  const input = d.createInputTopic('in', Serdes.String(), Serdes.String());
  const output = d.createOutputTopic('out', Serdes.String(), Serdes.Long());
  input.pipeInput('x', 'v', 0);
  input.pipeInput('x', 'v', 5);
  input.pipeInput('y', 'v', 6);
  t.deepEqual(output.readRecordsToList(), []);
  input.pipeInput('x', 'v', 10); // x buffered since 0: emitted with its latest value and timestamp
  t.deepEqual(output.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]), [['x', 3, 10]]);
  input.pipeInput('z', 'v', 16);
  t.deepEqual(output.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]), [['y', 1, 6]]);
  d.close();
});

test('suppress with maxRecords emits the oldest entry early, or fails with shutdown', (t) => {
  const build = (onFull: 'emit-early' | 'shutdown') => {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
      .count(Materialized.with(Serdes.String(), Serdes.Long()))
      .suppress(Suppressed.untilTimeLimit(1000, BufferConfig.maxRecords(1, onFull))).toStream().to('out');
    const d = new TopologyTestDriver(b.build(), { cacheMaxBytes: 0 });
    return { d, input: d.createInputTopic('in', Serdes.String(), Serdes.String()), output: d.createOutputTopic('out', Serdes.String(), Serdes.Long()) };
  };
  const early = build('emit-early');
  early.input.pipeInput('p', 'v', 0);
  early.input.pipeInput('p', 'v', 1);
  early.input.pipeInput('q', 'v', 2);
  t.deepEqual(early.output.readRecordsToList().map((r) => [r.key, r.value, r.timestamp]), [['p', 2, 1]]);
  early.d.close();
  const strict = build('shutdown');
  strict.input.pipeInput('p', 'v', 0);
  t.throws(() => strict.input.pipeInput('q', 'v', 1), { message: /exceeded its max capacity/ });
  strict.d.close();
});

test('suppress(untilWindowCloses) on a non-windowed table is a topology error', (t) => {
  const b = new StreamsBuilder();
  const table = b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count();
  t.throws(() => table.suppress(Suppressed.untilWindowCloses()), { message: /windowed/ });
});
