import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, TimeWindows, JoinWindows } from '@ts-streams/dsl';
import { RecordCache } from '@ts-streams/state';
import type { OutputRecord } from '../src/io/raw-record.ts';
import { compileTask } from '../src/compile/compile-task.ts';
import { APPLICATION_EMIT_INTERVALS } from '../src/compile/emit-intervals.ts';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

// Kafka Streams throttles two kinds of result by the wall clock: checked when a record is processed, at most once
// per interval (1000 ms in a running application, 0 in its TopologyTestDriver). The conformance cases
// *-emit-interval pin the details against Kafka Streams; these pin the options.

type Rec = { key: any; value: any; timestamp: number };
const fmt = (r: Rec) => `${r.key.key}@${r.key.window.start}/${r.key.window.end}=${r.value}`;

function onWindowCloseCount() {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
    .emitStrategy('on-window-close')
    .count(Materialized.with(Serdes.String(), Serdes.Long(), { retention: 1000 }))
    .toStream()
    .to('out', Produced.with(Serdes.timeWindowed(Serdes.String(), 10), Serdes.Long()));
  return b.build();
}

test('the test driver looks for closed windows on every record by default, as Kafka Streams\' TopologyTestDriver', async (t) => {
  const d = new TopologyTestDriver(onWindowCloseCount());
  const input = d.createInputTopic('in', Serdes.String(), Serdes.String());
  const out = d.createOutputTopic('out', Serdes.timeWindowed(Serdes.String(), 10), Serdes.Long());
  input.pipeInput('a', 'v', 1);
  input.pipeInput('a', 'v', 12);
  t.deepEqual(out.readRecordsToList().map(fmt), ['a@0/10=1']);
  await d.close();
});

test('emitIntervalMs.onWindowClose: closed windows wait for a record processed once the wall clock has moved on', async (t) => {
  const d = new TopologyTestDriver(onWindowCloseCount(), { emitIntervalMs: { onWindowClose: 1000 } });
  const input = d.createInputTopic('in', Serdes.String(), Serdes.String());
  const out = d.createOutputTopic('out', Serdes.timeWindowed(Serdes.String(), 10), Serdes.Long());
  input.pipeInput('a', 'v', 1); // wall clock 0: looks (nothing closed yet); the next look is due at 1000
  input.pipeInput('a', 'v', 12); // closes [0,10)
  input.pipeInput('a', 'v', 25); // closes [10,20)
  t.deepEqual(out.readRecordsToList(), []);
  d.advanceWallClockTime(999);
  input.pipeInput('a', 'v', 26);
  t.deepEqual(out.readRecordsToList(), []);
  d.advanceWallClockTime(1); // the clock alone emits nothing
  t.deepEqual(out.readRecordsToList(), []);
  input.pipeInput('a', 'v', 27);
  t.deepEqual(out.readRecordsToList().map(fmt), ['a@0/10=1', 'a@10/20=1']);
  await d.close();
});

test('emitIntervalMs.outerJoinNonMatches: left-join non-matches wait for the wall clock', async (t) => {
  const b = new StreamsBuilder();
  const C = Consumed.with(Serdes.String(), Serdes.String());
  b.stream('left', C)
    .leftJoin(b.stream('right', C), (l, r) => `${l}+${r}`, JoinWindows.ofTimeDifferenceWithNoGrace(10), { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String() })
    .to('out', Produced.with(Serdes.String(), Serdes.String()));
  const run = async (options: ConstructorParameters<typeof TopologyTestDriver>[1]) => {
    const d = new TopologyTestDriver(b.build(), options);
    const left = d.createInputTopic('left', Serdes.String(), Serdes.String());
    const out = d.createOutputTopic('out', Serdes.String(), Serdes.String());
    const seen: (string | null)[][] = [];
    left.pipeInput('a', 'L1', 0); // held; at wall clock 0 this record takes the first look (Kafka's, as its TimeTracker starts at 0)
    left.pipeInput('b', 'L2', 20); // L1's window has closed
    seen.push(out.readValuesToList());
    d.advanceWallClockTime(1000);
    left.pipeInput('c', 'L3', 21);
    seen.push(out.readValuesToList());
    await d.close();
    return seen;
  };
  t.deepEqual(await run({}), [['L1+null'], []]);
  t.deepEqual(await run({ emitIntervalMs: { outerJoinNonMatches: 1000 } }), [[], ['L1+null']]);
});

test('emit intervals must be numbers of milliseconds >= 0', (t) => {
  const err = t.throws(() => new TopologyTestDriver(onWindowCloseCount(), { emitIntervalMs: { onWindowClose: -1 } }));
  t.regex(err!.message, /emitIntervalMs\.onWindowClose must be a number of milliseconds >= 0/);
});

test('compileTask uses a running application\'s intervals unless told otherwise', (t) => {
  t.deepEqual(APPLICATION_EMIT_INTERVALS, { outerJoinNonMatches: 1000, onWindowClose: 1000 });
  const run = (emitIntervalMs?: { onWindowClose: number }) => {
    let now = 0;
    const sent: OutputRecord[] = [];
    const task = compileTask({
      topology: onWindowCloseCount(), applicationId: 'app', subtopologies: [0], partition: 0,
      sink: { send: (r) => sent.push(r), flush: () => {}, acknowledgedOffset: () => undefined }, cache: new RecordCache(0), wallClock: () => now,
      ...(emitIntervalMs ? { emitIntervalMs } : {}),
    });
    const pipe = (ts: number) => {
      task.addRecord('in', 0, { key: Buffer.from('a'), value: Buffer.from('v'), timestamp: ts, headers: [] });
      task.process();
    };
    const outputs = () => sent.filter((r) => r.topic === 'out').length;
    pipe(1);
    pipe(12); // closes [0,10) at wall clock 0
    const atZero = outputs();
    now = 1000;
    pipe(13);
    return [atZero, outputs()];
  };
  t.deepEqual(run(), [0, 1]);
  t.deepEqual(run({ onWindowClose: 0 }), [1, 1]);
});
