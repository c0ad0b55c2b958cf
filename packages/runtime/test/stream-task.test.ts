// StreamTask on its own, as the Kafka runtime drives it: records of several input partitions queued in batches,
// picked by timestamp, stream and partition time, commits, punctuation and errors. Expectations follow Kafka
// Streams' StreamTaskTest and PartitionGroupTest (the scenarios named after them replay theirs).
import test from 'ava';
import { Subject } from 'rxjs';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, Named, type ProcessorContext, type Cancellable } from '@ts-streams/dsl';
import { RecordCache } from '@ts-streams/state';
import { processRecords, type BatchResult, type InputBatch } from '../src/operators/process-records.ts';
import { DeserializationError, ProcessingError, StreamsError } from '../src/errors/streams-error.ts';
import type { StreamTask } from '../src/task/stream-task.ts';
import { MemorySink, compile, consumed, decode, strings, partitionOf } from './task-harness.ts';

/** One sub-topology reading topics 'one' and 'two' (merged), with a processor noting what it sees. */
function twoTopics(onRecord: (seen: string, ctx: ProcessorContext<never, never>) => void = () => {}, onInit: (ctx: ProcessorContext<never, never>) => void = () => {}) {
  const b = new StreamsBuilder();
  const one = b.stream('one', Consumed.with(Serdes.String(), Serdes.Integer()));
  const two = b.stream('two', Consumed.with(Serdes.String(), Serdes.Integer()));
  one.merge(two).process<never, never>(() => {
    let ctx: ProcessorContext<never, never>;
    return {
      init(c) {
        ctx = c;
        onInit(c);
      },
      process(r) {
        const m = ctx.recordMetadata()!;
        onRecord(`${m.topic}-${m.partition}@${m.offset}:${r.value}`, ctx);
      },
    };
  }, Named.as('note'));
  return b.build();
}

/** [key, value, timestamp] with the value as an Integer. */
const ints = (entries: readonly (readonly [string, number, number])[], firstOffset = 0) => consumed(Serdes.String(), Serdes.Integer(), entries, firstOffset);

test('records of two partitions are processed in timestamp order (Kafka shouldProcessInOrder)', (t) => {
  const seen: string[] = [];
  const task = compile(twoTopics((s) => seen.push(s)), [0], 1, new MemorySink());
  t.is(task.id, '0_1');
  task.addRecords('one', 1, ints([['k', 101, 10], ['k', 102, 20], ['k', 103, 30]]));
  task.addRecords('two', 1, ints([['k', 201, 25], ['k', 202, 35], ['k', 203, 45]]));
  const queued: number[] = [];
  while (task.process()) queued.push(task.queuedRecords());
  t.deepEqual(queued, [5, 4, 3, 2, 1, 0]);
  t.deepEqual(seen, ['one-1@0:101', 'one-1@1:102', 'two-1@0:201', 'one-1@2:103', 'two-1@1:202', 'two-1@2:203']);
  t.false(task.process());
});

test('stream time is the largest timestamp processed, per task and per partition (Kafka testTimeTracking)', (t) => {
  const task = compile(twoTopics(), [0], 0, new MemorySink());
  const one = task.group.queue('one', 0);
  const two = task.group.queue('two', 0);
  // After each record: [where it came from, partition time of one, of two, stream time, records still queued].
  const step = () => {
    const before = [one.size, two.size];
    t.true(task.process());
    const from = one.size < before[0]! ? 'one' : 'two';
    return [from, one.partitionTime, two.partitionTime, task.streamTime, task.queuedRecords()];
  };
  task.addRecords('one', 0, ints([['k', 0, 1], ['k', 0, 3], ['k', 0, 5]]));
  task.addRecords('two', 0, ints([['k', 0, 2], ['k', 0, 4], ['k', 0, 6]]));
  // Nothing processed yet: every time is unknown (-1).
  t.deepEqual([one.partitionTime, two.partitionTime, task.streamTime, task.queuedRecords()], [-1, -1, -1, 6]);
  t.deepEqual(step(), ['one', 1, -1, 1, 5]);
  t.deepEqual(step(), ['two', 1, 2, 2, 4]);
  // A second batch on 'one', out of order: adding records moves no time.
  task.addRecords('one', 0, ints([['k', 0, 2], ['k', 0, 4]], 3));
  t.deepEqual([one.partitionTime, two.partitionTime, task.streamTime, task.queuedRecords()], [1, 2, 2, 6]);
  t.deepEqual(step(), ['one', 3, 2, 3, 5]);
  t.deepEqual(step(), ['two', 3, 4, 4, 4]);
  t.deepEqual(step(), ['one', 5, 4, 5, 3]);
  // Late records (2 and 4 after 5) are processed in their partition's order; neither time goes back.
  t.deepEqual(step(), ['one', 5, 4, 5, 2]);
  t.deepEqual(step(), ['one', 5, 4, 5, 1]);
  t.deepEqual(step(), ['two', 5, 6, 6, 0]);
});

test('an out-of-order record keeps its own timestamp while the stream time stays', (t) => {
  const seen: string[] = [];
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).process<never, never>(() => {
    let ctx: ProcessorContext<never, never>;
    return {
      init(c) { ctx = c; },
      process(r) { seen.push(`${r.value}@${r.timestamp} stream time ${ctx.currentStreamTimeMs()}`); },
    };
  });
  const task = compile(b.build(), [0], 0, new MemorySink());
  task.addRecords('in', 0, strings([['k', 'a', 10], ['k', 'late', 4], ['k', 'b', 12]]));
  while (task.process());
  t.deepEqual(seen, ['a@10 stream time 10', 'late@4 stream time 10', 'b@12 stream time 12']);
});

test('a record whose extracted timestamp is negative is dropped and counted; the extractor sees the record', (t) => {
  const seen: string[] = [];
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String(), {
    timestampExtractor: (r) => (r.value === 'no-time' ? -1 : r.timestamp + 1000),
  })).peek((_k, v) => seen.push(v), Named.as('seen'));
  const task = compile(b.build(), [0], 0, new MemorySink());
  task.addRecords('in', 0, strings([['k', 'a', 1], ['k', 'no-time', 2], ['k', 'b', 3]]));
  t.is(task.queuedRecords(), 2);
  while (task.process());
  t.deepEqual(seen, ['a', 'b']);
  t.is(task.streamTime, 1003);
  t.is(task.metrics.droppedRecords, 1);
  t.is(task.metrics.processed, 2);
});

test('a task over two co-partitioned topics joins by timestamp order, whatever order the batches came in', (t) => {
  // orders ⋈ customers: Kafka requires both topics partitioned alike, so one task reads partition p of each.
  const b = new StreamsBuilder();
  const customers = b.table('customers', Consumed.with(Serdes.String(), Serdes.String()), Materialized.as('customers-store'));
  b.stream('orders', Consumed.with(Serdes.String(), Serdes.String()))
    .leftJoin(customers, (order, customer) => `${order} for ${customer ?? 'nobody'}`)
    .to('enriched', Produced.with(Serdes.String(), Serdes.String()));
  const topology = b.build();
  t.is(topology.subtopologies.length, 1);
  const sink = new MemorySink();
  const p = partitionOf('alice');
  t.is(partitionOf('frank'), p); // both customers live on the same partition
  const task = compile(topology, [0], p, sink);
  t.deepEqual(task.inputTopics().sort(), ['customers', 'orders']);
  // The orders batch arrives first, but the customer updates are older: the task takes them first.
  task.addRecords('orders', p, strings([['alice', 'book', 20], ['frank', 'pen', 21], ['alice', 'lamp', 40]]));
  task.addRecords('customers', p, strings([['alice', 'Alice', 10], ['alice', 'Alice B.', 30]]));
  while (task.process());
  t.deepEqual(decode(sink.take('enriched'), Serdes.String(), Serdes.String()), [
    ['alice', 'book for Alice', 20, p],
    ['frank', 'pen for nobody', 21, p],
    ['alice', 'lamp for Alice B.', 40, p],
  ]);
});

test('prepareCommit flushes the caches downstream; committableOffsets gives the next offset to read per partition', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .count(Materialized.as('counts'))
    .toStream()
    .to('out', Produced.with(Serdes.String(), Serdes.Long()));
  const sink = new MemorySink();
  const task = compile(b.build(), [0], 0, sink, { cache: new RecordCache(1024 * 1024) });
  t.deepEqual(task.committableOffsets(), []);
  task.addRecords('in', 0, strings([['a', 'x', 1], ['a', 'x', 2], ['b', 'x', 3], ['a', 'x', 4]]));
  for (let i = 0; i < 3; i++) t.true(task.process());
  // The cache holds the counts: nothing downstream, nothing in the changelog yet.
  t.deepEqual(sink.records, []);
  // Offsets 0-2 are processed; offset 3 is still queued and is the next to read.
  t.deepEqual(task.committableOffsets(), [{ topic: 'in', partition: 0, offset: 3 }]);
  task.prepareCommit();
  t.deepEqual(decode(sink.take('out'), Serdes.String(), Serdes.Long()), [['a', 2, 2, 0], ['b', 1, 3, 0]]);
  // The changelog gets the same latest values, on the task's partition.
  t.deepEqual(sink.take('app-counts-changelog').map((r) => [Serdes.String().deserialize('', r.key), r.partition]), [['a', 0], ['b', 0]]);
  t.is(task.metrics.commits, 1);
  // Processing goes on after a commit (at-least-once: no pause between prepare and the durable write).
  t.true(task.process());
  t.false(task.process());
  t.deepEqual(task.committableOffsets(), [{ topic: 'in', partition: 0, offset: 4 }]);
  task.prepareCommit();
  t.deepEqual(decode(sink.take('out'), Serdes.String(), Serdes.Long()), [['a', 3, 4, 0]]);
});

test('the committable offset is the queued head record, past gaps in the offsets (Kafka shouldCommitNextOffset...FromQueueIfAvailable)', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).to('out', Produced.with(Serdes.String(), Serdes.String()));
  const task = compile(b.build(), [0], 1, new MemorySink());
  // A compacted topic: offsets 0, 3, 5.
  const records = [...strings([['a', 'x', 0]], 0), ...strings([['b', 'x', 3]], 3), ...strings([['c', 'x', 5]], 5)];
  task.addRecords('in', 1, records);
  task.process();
  task.process();
  t.deepEqual(task.committableOffsets(), [{ topic: 'in', partition: 1, offset: 5 }]);
  task.process();
  t.deepEqual(task.committableOffsets(), [{ topic: 'in', partition: 1, offset: 6 }]);
});

test('only partitions something was processed from have an offset to commit (Kafka shouldCommitConsumerPositionIfRecordQueueIsEmpty)', (t) => {
  const task = compile(twoTopics(), [0], 0, new MemorySink());
  task.addRecords('one', 0, ints([['k', 1, 5], ['k', 2, 6]]));
  task.addRecords('two', 0, ints([['k', 3, 9]]));
  task.process();
  t.deepEqual(task.committableOffsets(), [{ topic: 'one', partition: 0, offset: 1 }]);
  while (task.process());
  t.deepEqual(task.committableOffsets().sort((x, y) => x.topic.localeCompare(y.topic)), [
    { topic: 'one', partition: 0, offset: 2 },
    { topic: 'two', partition: 0, offset: 1 },
  ]);
});

test('a commit a processor requests is done by the batch pipeline, and prepareCommit clears the request', (t) => {
  let requestOn = '';
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).process<never, never>(() => {
    let ctx: ProcessorContext<never, never>;
    return {
      init(c) { ctx = c; },
      process(r) { if (r.value === requestOn) ctx.commit(); },
    };
  });
  const task = compile(b.build(), [0], 0, new MemorySink());
  const input = new Subject<InputBatch>();
  const results: BatchResult[] = [];
  input.pipe(processRecords(task, { commitEveryRecord: false, shouldCommit: () => false })).subscribe((r) => results.push(r));
  input.next({ topic: 'in', partition: 0, records: strings([['k', 'x', 1], ['k', 'y', 2]]) });
  t.false(task.needsCommit);
  requestOn = 'commit-now';
  input.next({ topic: 'in', partition: 0, records: strings([['k', 'commit-now', 3], ['k', 'z', 4]], 2) });
  t.deepEqual(results, [{ processed: 2, committed: false }, { processed: 2, committed: true }]);
  t.false(task.needsCommit);
  t.is(task.metrics.commits, 1);
  t.deepEqual(task.committableOffsets(), [{ topic: 'in', partition: 0, offset: 4 }]);
});

test('stream-time punctuation fires once per advance past the next interval (Kafka shouldPunctuateOnceStreamTimeAfterGap)', (t) => {
  const fired: number[] = [];
  const task = compile(twoTopics(() => {}, (ctx) => { ctx.schedule(10, 'stream-time', (ts) => fired.push(ts)); }), [0], 0, new MemorySink());
  task.addRecords('one', 0, ints([['k', 0, 20], ['k', 0, 142], ['k', 0, 155], ['k', 0, 160]]));
  task.addRecords('two', 0, ints([['k', 0, 25], ['k', 0, 145], ['k', 0, 159], ['k', 0, 161]]));
  // Stream time unknown: nothing to punctuate.
  t.false(task.maybePunctuateStreamTime());
  const punctuated: boolean[] = [];
  while (task.process()) punctuated.push(task.maybePunctuateStreamTime());
  // Stream time 20, 25, 142, 145, 155, 159, 160, 161.
  t.deepEqual(punctuated, [true, false, true, false, true, false, true, false]);
  t.deepEqual(fired, [20, 142, 155, 160]);
  t.is(task.metrics.punctuations, 4);
});

test('a cancelled stream-time punctuator fires no more (Kafka shouldRespectPunctuateCancellationStreamTime)', (t) => {
  const fired: number[] = [];
  let schedule: Cancellable | undefined;
  const task = compile(twoTopics(() => {}, (ctx) => { schedule = ctx.schedule(10, 'stream-time', (ts) => fired.push(ts)); }), [0], 0, new MemorySink());
  task.addRecords('one', 0, ints([['k', 0, 20], ['k', 0, 30], ['k', 0, 40]]));
  task.addRecords('two', 0, ints([['k', 0, 25], ['k', 0, 35], ['k', 0, 45]]));
  task.process();
  t.true(task.maybePunctuateStreamTime());
  task.process();
  t.false(task.maybePunctuateStreamTime());
  task.process();
  schedule!.cancel();
  t.false(task.maybePunctuateStreamTime());
  t.deepEqual(fired, [20]);
});

/** A task whose processor punctuates every 10 ms of wall-clock time from `start`; returns the clock's setter. */
function wallClockTask(start: number) {
  let now = start;
  const fired: number[] = [];
  const metadata: unknown[] = [];
  let schedule: Cancellable | undefined;
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).process<never, never>(() => {
    let ctx: ProcessorContext<never, never>;
    return {
      init(c) {
        ctx = c;
        schedule = c.schedule(10, 'wall-clock-time', (ts) => {
          fired.push(ts);
          metadata.push(ctx.recordMetadata());
        });
      },
      process() {},
    };
  });
  const task = compile(b.build(), [0], 0, new MemorySink(), { wallClock: () => now });
  return { task, fired, metadata, cancel: () => schedule!.cancel(), sleep: (ms: number) => { now += ms; } };
}

test('wall-clock punctuation fires each interval after the schedule (Kafka shouldPunctuateSystemTimeWhenIntervalElapsed)', (t) => {
  const { task, fired, metadata, sleep } = wallClockTask(1000);
  t.false(task.maybePunctuateWallClock());
  const punctuated: boolean[] = [];
  for (const ms of [10, 10, 9, 1, 20, 0]) {
    sleep(ms);
    punctuated.push(task.maybePunctuateWallClock());
  }
  t.deepEqual(punctuated, [true, true, false, true, true, false]);
  t.deepEqual(fired, [1010, 1020, 1030, 1050]);
  // A punctuator runs outside any record.
  t.deepEqual(metadata, [null, null, null, null]);
});

test('after a gap the wall-clock punctuator fires once and stays aligned (Kafka shouldPunctuateOnceSystemTimeAfterGap)', (t) => {
  const { task, fired, sleep } = wallClockTask(0);
  const punctuated: boolean[] = [];
  for (const ms of [100, 0, 10, 12, 7, 1, 105, 0, 5, 0]) {
    sleep(ms);
    punctuated.push(task.maybePunctuateWallClock());
  }
  t.deepEqual(punctuated, [true, false, true, true, false, true, true, false, true, false]);
  t.deepEqual(fired, [100, 110, 122, 130, 235, 240]);
});

test('a cancelled wall-clock punctuator fires no more (Kafka shouldRespectPunctuateCancellationSystemTime)', (t) => {
  const { task, fired, sleep, cancel } = wallClockTask(50);
  sleep(10);
  t.true(task.maybePunctuateWallClock());
  cancel();
  sleep(10);
  t.false(task.maybePunctuateWallClock());
  t.deepEqual(fired, [60]);
});

test('a processing error names the step, the task and the record (topic, partition, offset); its offset is not committable', (t) => {
  const b = new StreamsBuilder();
  const one = b.stream('one', Consumed.with(Serdes.String(), Serdes.Integer()));
  const two = b.stream('two', Consumed.with(Serdes.String(), Serdes.Integer()));
  one.merge(two).mapValues((v) => {
    if (v < 0) throw new RangeError(`negative ${v}`);
    return v;
  }, Named.as('check')).to('out', Produced.with(Serdes.String(), Serdes.Integer()));
  const task = compile(b.build(), [0], 1, new MemorySink());
  task.addRecords('one', 1, ints([['k', 1, 10], ['k', 2, 20], ['k', 3, 30]]));
  // The first record to process (smallest timestamp) is the bad one, at two-1@1.
  task.addRecords('two', 1, ints([['k', -5, 5], ['k', 8, 35]], 1));
  const e = t.throws(() => task.process(), { instanceOf: ProcessingError });
  t.is(e!.step, 'check');
  t.is(e!.taskId, '0_1');
  t.regex(e!.message, /'check' of task 0_1/);
  t.regex(e!.message, /two-1@1/);
  t.regex(e!.message, /negative -5/);
  t.true(e!.cause instanceof RangeError);
  t.deepEqual(task.committableOffsets(), []);
  t.is(task.metrics.processed, 0);
});

test('through the batch pipeline a processing error ends the stream with the same error', (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).peek((_k, v) => { if (v === 'bad') throw new Error('bad value'); }, Named.as('inspect'));
  const task = compile(b.build(), [0], 0, new MemorySink());
  const input = new Subject<InputBatch>();
  const results: BatchResult[] = [];
  let failure: unknown;
  input.pipe(processRecords(task, { commitEveryRecord: false, shouldCommit: () => false })).subscribe({ next: (r) => results.push(r), error: (e) => { failure = e; } });
  input.next({ topic: 'in', partition: 0, records: strings([['k', 'ok', 1], ['k', 'bad', 2], ['k', 'ok', 3]], 40) });
  t.deepEqual(results, []);
  t.true(failure instanceof ProcessingError);
  t.regex((failure as Error).message, /'inspect' of task 0_0 threw while processing in-0@41: bad value/);
  // The good record before it is processed: its offset is the one to commit (the bad record is read again).
  t.deepEqual(task.committableOffsets(), [{ topic: 'in', partition: 0, offset: 41 }]);
});

test('a punctuator error names the step and says it was in a punctuator', (t) => {
  const task = compile(twoTopics(() => {}, (ctx) => { ctx.schedule(5, 'stream-time', () => { throw new Error('tick failed'); }); }), [0], 0, new MemorySink());
  task.addRecords('one', 0, ints([['k', 1, 10]]));
  task.process();
  const e = t.throws(() => task.maybePunctuateStreamTime(), { instanceOf: ProcessingError });
  t.is(e!.step, 'note');
  t.regex(e!.message, /'note' of task 0_0 threw in a punctuator: tick failed/);
});

test('a record the serdes cannot read fails with its topic, partition and offset', (t) => {
  const task = compile(twoTopics(), [0], 1, new MemorySink());
  const records = [...ints([['k', 1, 10]], 7), { key: null, value: new Uint8Array(3), timestamp: 11, headers: [], offset: 8 }];
  const e = t.throws(() => task.addRecords('two', 1, records), { instanceOf: DeserializationError });
  t.deepEqual([e!.topic, e!.partition, e!.offset], ['two', 1, 8]);
  t.regex(e!.message, /two-1@8/);
  t.regex(e!.message, /Integer/);
  t.regex(e!.message, /Consumed\.with/);
});

test("deserialization handler 'continue' skips a record the serdes cannot read, counts it as dropped at the source and goes on; 'fail' throws", (t) => {
  const told: DeserializationError[] = [];
  const task = compile(twoTopics(), [0], 1, new MemorySink(), { onDeserializationError: (e) => (told.push(e), 'continue') });
  const bad = { key: null, value: new Uint8Array(3), timestamp: 11, headers: [], offset: 8 };
  task.addRecords('two', 1, [...ints([['k', 1, 10]], 7), bad, ...ints([['k', 2, 12]], 9)]);
  t.is(task.queuedRecords(), 2);
  while (task.process());
  t.is(task.metrics.processed, 2);
  t.deepEqual(told.map((e) => [e.topic, e.partition, e.offset]), [['two', 1, 8]]);
  t.is(task.metrics.droppedRecords, 1);
  t.deepEqual([...task.metrics.dropped.keys()].map((k) => k.split(':')[0]), ['deserialization-error']);
  // Past the skipped record: it is not read again.
  t.deepEqual(task.committableOffsets(), [{ topic: 'two', partition: 1, offset: 10 }]);
  const failing = compile(twoTopics(), [0], 1, new MemorySink(), { onDeserializationError: () => 'fail' });
  t.throws(() => failing.addRecords('two', 1, [bad]), { instanceOf: DeserializationError });
  t.is(failing.metrics.droppedRecords, 0);
});

test('records skipped at the end of a partition are committed past, and make the task commit even when nothing else is processed', (t) => {
  const task = compile(twoTopics((seen) => {
    if (seen.endsWith(':99')) throw new Error('no 99s');
  }), [0], 1, new MemorySink(), { onDeserializationError: () => 'continue' });
  const bad = (offset: number) => ({ key: null, value: new Uint8Array(3), timestamp: 11, headers: [], offset });
  // Nothing processed from the partition yet: nothing to commit, as Kafka (only partitions consumed from are committed).
  task.addRecords('two', 1, [bad(6)]);
  t.deepEqual([task.committableOffsets(), task.hasUncommitted], [[], false]);
  task.addRecords('two', 1, [...ints([['k', 1, 10]], 7), bad(8)]);
  while (task.process());
  t.deepEqual(task.committableOffsets(), [{ topic: 'two', partition: 1, offset: 9 }]);
  task.prepareCommit();
  t.deepEqual(task.preparedOffsets(), [{ topic: 'two', partition: 1, offset: 9 }]);
  // Only skipped records since the commit: the offset moved, so there is something to commit.
  task.addRecords('two', 1, [bad(9), ...ints([['k', 1, -1]], 10)]);
  t.is(task.metrics.droppedRecords, 4);
  t.true(task.hasUncommitted);
  task.prepareCommit();
  t.deepEqual(task.preparedOffsets(), [{ topic: 'two', partition: 1, offset: 11 }], 'past an unreadable record and one with a negative timestamp');
  // Queued records still come first, before what was skipped after them.
  task.addRecords('two', 1, [...ints([['k', 2, 12]], 11), bad(12)]);
  t.deepEqual(task.committableOffsets(), [{ topic: 'two', partition: 1, offset: 11 }]);
  t.true(task.process());
  t.deepEqual(task.committableOffsets(), [{ topic: 'two', partition: 1, offset: 13 }]);
  // A record that threw is read again, whatever was skipped after it: the offset stays one past the last processed.
  task.addRecords('two', 1, [bad(13), ...ints([['k', 99, 13]], 14), bad(15)]);
  t.throws(() => task.process());
  t.deepEqual(task.committableOffsets(), [{ topic: 'two', partition: 1, offset: 12 }]);
});

test('a record for a topic the task does not read is refused, naming the task and topic', (t) => {
  const task: StreamTask = compile(twoTopics(), [0], 0, new MemorySink());
  const e = t.throws(() => task.addRecords('three', 0, ints([['k', 1, 1]])), { instanceOf: StreamsError });
  t.regex(e!.message, /0_0/);
  t.regex(e!.message, /'three'/);
});

test('prepareCommit snapshots the input offsets it covers: what is processed after it is not in the prepared offsets', async (t) => {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .count(Materialized.as('counts'))
    .toStream()
    .to('out', Produced.with(Serdes.String(), Serdes.Long()));
  const sink = new MemorySink(2, true);
  const task = compile(b.build(), [0], 0, sink, { cache: new RecordCache(1024 * 1024) });
  t.deepEqual(task.preparedOffsets(), []);
  t.false(task.hasUncommitted);
  task.addRecords('in', 0, strings([['a', 'x', 1], ['b', 'x', 2], ['a', 'x', 3], ['c', 'x', 4]]));
  task.process();
  task.process();
  t.true(task.hasUncommitted);
  task.prepareCommit();
  t.false(task.hasUncommitted);
  // The cache flush sent the counts of the two records processed; none is acknowledged before the flush.
  t.deepEqual(decode(sink.records.filter((r) => r.topic === 'out'), Serdes.String(), Serdes.Long()).map(([k, n]) => [k, n]), [['a', 1], ['b', 1]]);
  t.is(sink.acknowledgedOffset('out', 0), undefined);
  // A record processed after the prepare (a caller that broke the barrier): the live offsets move, the snapshot does not.
  task.process();
  t.deepEqual(task.committableOffsets(), [{ topic: 'in', partition: 0, offset: 3 }]);
  t.deepEqual(task.preparedOffsets(), [{ topic: 'in', partition: 0, offset: 2 }]);
  await sink.flush();
  t.is(sink.acknowledgedOffset('out', 0), 1);
  t.is(sink.acknowledgedOffset(`app-counts-changelog`, 0), 1);
  task.postCommit();
  // The next prepare covers the third record.
  task.prepareCommit();
  t.deepEqual(task.preparedOffsets(), [{ topic: 'in', partition: 0, offset: 3 }]);
});

/** A cached count whose results go to a processor noting what it gets and when it is closed. */
function countIntoRecorder(log: string[]) {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .count(Materialized.as('counts'))
    .toStream()
    .process<never, never>(() => ({
      process(r) { log.push(`${r.key}=${r.value}`); },
      close() { log.push('closed'); },
    }), Named.as('recorder'));
  return b.build();
}

test('closeClean is refused with uncommitted records; after a commit it closes processors, then stores, and nothing is forwarded into a closed processor', (t) => {
  const log: string[] = [];
  const cache = new RecordCache(1024 * 1024);
  const sink = new MemorySink();
  const task = compile(countIntoRecorder(log), [0], 0, sink, { cache });
  task.addRecords('in', 0, strings([['a', 'x', 1], ['a', 'x', 2], ['b', 'x', 3]]));
  while (task.process());
  t.deepEqual(log, []);
  const e = t.throws(() => task.closeClean(), { instanceOf: StreamsError });
  t.regex(e!.message, /Task 0_0 cannot close cleanly: it processed records since its last commit\. Commit first/);
  t.false(task.isClosed);
  task.prepareCommit();
  t.deepEqual(log, ['a=2', 'b=1']);
  task.closeClean();
  t.true(task.isClosed);
  t.deepEqual(log, ['a=2', 'b=1', 'closed']);
  t.false(task.stores.get('counts')!.isOpen());
  t.is(cache.sizeBytes(), 0);
});

test('close() of a task with a synchronous sink commits first, so the caches forward into open processors', (t) => {
  const log: string[] = [];
  const task = compile(countIntoRecorder(log), [0], 0, new MemorySink(), { cache: new RecordCache(1024 * 1024) });
  task.addRecords('in', 0, strings([['a', 'x', 1], ['a', 'x', 2]]));
  while (task.process());
  task.close();
  t.deepEqual(log, ['a=2', 'closed']);
});

test('closeDirty drops the caches: nothing forwarded, nothing sent to the changelog, processors and stores closed', (t) => {
  const log: string[] = [];
  const cache = new RecordCache(1024 * 1024);
  const sink = new MemorySink();
  const task = compile(countIntoRecorder(log), [0], 0, sink, { cache });
  task.addRecords('in', 0, strings([['a', 'x', 1], ['a', 'x', 2], ['b', 'x', 3]]));
  while (task.process());
  t.true(cache.sizeBytes() > 0);
  task.closeDirty();
  t.deepEqual(log, ['closed']);
  t.deepEqual(sink.records, []);
  t.false(task.stores.get('counts')!.isOpen());
  t.is(cache.sizeBytes(), 0);
  // Closing again does nothing.
  task.closeDirty();
  task.closeClean();
  t.deepEqual(log, ['closed']);
});

test('a processor whose close throws: the other processors and the stores are closed all the same, and the error names the step', (t) => {
  const closed: string[] = [];
  const b = new StreamsBuilder();
  const s = b.stream('in', Consumed.with(Serdes.String(), Serdes.String()));
  s.process<never, never>(() => ({ process() {}, close() { closed.push('first'); throw new Error('close failed'); } }), Named.as('first'));
  s.groupByKey().count(Materialized.as('counts'));
  s.process<never, never>(() => ({ process() {}, close() { closed.push('second'); } }), Named.as('second'));
  const task = compile(b.build(), [0], 0, new MemorySink());
  const e = t.throws(() => task.closeClean(), { instanceOf: ProcessingError });
  t.is(e!.step, 'first');
  t.regex(e!.message, /Step 'first' of task 0_0 threw while closing: close failed/);
  t.deepEqual(closed, ['first', 'second']);
  t.false(task.stores.get('counts')!.isOpen());
});

/** orders ⋈ customers (a stream-table join of co-partitioned topics), into 'enriched'. */
function ordersJoinCustomers() {
  const b = new StreamsBuilder();
  const customers = b.table('customers', Consumed.with(Serdes.String(), Serdes.String()), Materialized.as('customers-store'));
  b.stream('orders', Consumed.with(Serdes.String(), Serdes.String()))
    .leftJoin(customers, (order, customer) => `${order} for ${customer ?? 'nobody'}`)
    .to('enriched', Produced.with(Serdes.String(), Serdes.String()));
  return b.build();
}

test('max.task.idle.ms 0: a stream-table join waits for its table partition to be fetched instead of running ahead of it', (t) => {
  const run = (maxTaskIdleMs: number | undefined) => {
    const sink = new MemorySink();
    const task = compile(ordersJoinCustomers(), [0], 0, sink, maxTaskIdleMs === undefined ? {} : { maxTaskIdleMs });
    const input = new Subject<InputBatch>();
    const results: number[] = [];
    input.pipe(processRecords(task, { commitEveryRecord: false, shouldCommit: () => true })).subscribe((r) => results.push(r.processed));
    // The orders are fetched first; the customers' fetch has not come back.
    input.next({ topic: 'orders', partition: 0, records: strings([['alice', 'book', 20]]) });
    task.updateLag('orders', 0, 0);
    // The customers' fetch comes back, with everything there is.
    task.updateLag('customers', 0, 0);
    input.next({ topic: 'customers', partition: 0, records: strings([['alice', 'Alice', 10]]) });
    return { results, joined: decode(sink.take('enriched'), Serdes.String(), Serdes.String()).map(([, v]) => v) };
  };
  // Waiting: the order is processed after the older customer record, and finds it.
  t.deepEqual(run(0), { results: [0, 2], joined: ['book for Alice'] });
  // Never waiting (the driver's behaviour): the order runs ahead of its table.
  t.deepEqual(run(undefined), { results: [1, 1], joined: ['book for nobody'] });
});

test('max.task.idle.ms 0: one poll\'s batches of several partitions, given as one input, are all queued before any is processed (sliced too)', async (t) => {
  const run = async (asOneInput: boolean) => {
    const sink = new MemorySink();
    const task = compile(ordersJoinCustomers(), [0], 0, sink, { maxTaskIdleMs: 0 });
    const input = new Subject<InputBatch | InputBatch[]>();
    const results: number[] = [];
    const done = new Promise<void>((resolve, reject) => {
      input.pipe(processRecords(task, { commitEveryRecord: false, shouldCommit: () => true, slice: { maxRecords: 1, maxMs: 60_000 } }))
        .subscribe({ next: (r) => results.push(r.processed), error: reject, complete: resolve });
    });
    // One poll brought both partitions, everything there is: their lags are known before either is queued (as the
    // runtime does), so the orders' partition does not wait for the customers' once it is queued alone.
    task.updateLag('orders', 0, 0);
    task.updateLag('customers', 0, 0);
    const orders = { topic: 'orders', partition: 0, records: strings([['alice', 'book', 20], ['bob', 'pen', 30]]) };
    const customers = { topic: 'customers', partition: 0, records: strings([['alice', 'Alice', 10], ['bob', 'Bob', 25]]) };
    if (asOneInput) input.next([orders, customers]);
    else [orders, customers].forEach((b) => input.next(b));
    input.complete();
    await done;
    return { results, joined: decode(sink.take('enriched'), Serdes.String(), Serdes.String()).map(([, v]) => v) };
  };
  // One input: the task picks across both partitions by timestamp (slices of one record make no difference).
  t.deepEqual(await run(true), { results: [4], joined: ['book for Alice', 'pen for Bob'] });
  // Batch by batch, the orders are processed before the customers are queued: the join runs ahead of its table.
  t.deepEqual(await run(false), { results: [2, 2], joined: ['book for nobody', 'pen for nobody'] });
});

test('max.task.idle.ms 0: a partition the caller says is caught up (its fetch came back empty) is not waited for', (t) => {
  const seen: string[] = [];
  const task = compile(twoTopics((s) => seen.push(s)), [0], 0, new MemorySink(), { maxTaskIdleMs: 0 });
  task.addRecords('one', 0, ints([['k', 1, 10], ['k', 2, 20]]));
  t.false(task.readyToProcess());
  t.false(task.process());
  task.updateLag('two', 0, 4);
  t.false(task.process(), 'records are on the broker for two-0: wait for them');
  task.updateLag('two', 0, 0);
  t.true(task.process());
  t.true(task.process());
  t.deepEqual(seen, ['one-0@0:1', 'one-0@1:2']);
});

test('a partition whose queue goes over bufferedRecordsPerPartition is reported to pause, and to resume once it drains to it', (t) => {
  const task = compile(twoTopics(), [0], 0, new MemorySink(), { bufferedRecordsPerPartition: 3 });
  task.addRecords('one', 0, ints([['k', 1, 1], ['k', 2, 2], ['k', 3, 3]]));
  t.deepEqual(task.partitionsToPause(), [], 'at the limit, not over it');
  task.addRecords('one', 0, ints([['k', 4, 4], ['k', 5, 5]], 3));
  task.addRecords('two', 0, ints([['k', 6, 6]]));
  t.deepEqual([task.bufferedRecords('one', 0), task.bufferedRecords('two', 0), task.bufferedRecords('one', 1)], [5, 1, 0]);
  t.deepEqual(task.partitionsToPause(), [{ topic: 'one', partition: 0 }]);
  t.deepEqual(task.partitionsToPause(), [], 'reported once');
  task.process();
  t.deepEqual(task.partitionsToResume(), []);
  task.process();
  t.is(task.bufferedRecords('one', 0), 3);
  t.deepEqual(task.partitionsToResume(), [{ topic: 'one', partition: 0 }]);
  t.deepEqual(task.partitionsToResume(), []);
  // Over and back under before the caller asked: nothing to report.
  task.addRecords('one', 0, ints([['k', 7, 7]], 5));
  task.process();
  t.deepEqual([task.partitionsToPause(), task.partitionsToResume()], [[], []]);
  t.throws(() => compile(twoTopics(), [0], 0, new MemorySink(), { bufferedRecordsPerPartition: 0 }), { message: /bufferedRecordsPerPartition must be an integer >= 1, got 0/ });
});

test('with a slice policy a 100k-record batch is deserialized and processed in bounded slices, yielding to the event loop between them', async (t) => {
  let seen = 0;
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .count(Materialized.as('counts'))
    .toStream()
    .peek(() => { seen++; }, Named.as('seen'));
  const task = compile(b.build(), [0], 0, new MemorySink(), { cache: new RecordCache(1024 * 1024) });
  const n = 100_000;
  const records = strings(Array.from({ length: n }, (_, i) => [`k${i % 1000}`, 'v', i] as const));
  const input = new Subject<InputBatch>();
  const results: BatchResult[] = [];
  const done = new Promise<void>((resolve, reject) => {
    input.pipe(processRecords(task, { commitEveryRecord: false, shouldCommit: () => true, slice: { maxRecords: 1000, maxMs: 60_000 } }))
      .subscribe({ next: (r) => results.push(r), error: reject, complete: resolve });
  });
  // Between slices the event loop turns: a ticker sees the task's progress at each turn.
  const ticks: { queued: number; processed: number; at: number }[] = [];
  let ticking = true;
  const tick = () => {
    ticks.push({ queued: task.queuedRecords(), processed: task.metrics.processed, at: performance.now() });
    if (ticking) setImmediate(tick);
  };
  input.next({ topic: 'in', partition: 0, records });
  // next() returned after the first slice: 1000 records deserialized, none processed.
  t.deepEqual([task.queuedRecords(), task.metrics.processed], [1000, 0]);
  setImmediate(tick);
  input.complete();
  await done;
  ticking = false;
  t.deepEqual(results, [{ processed: n, committed: true }]);
  t.is(seen, 1000, 'the cache forwarded each key once, at the commit after the last slice');
  // Every turn of the loop saw at most one slice more: 1000 records queued, or 1000 processed.
  const steps = ticks.slice(1).map((x, i) => [x.queued - ticks[i]!.queued, x.processed - ticks[i]!.processed] as const);
  t.deepEqual(steps.filter(([queued, processed]) => queued > 1000 || processed > 1000), []);
  t.true(ticks.length >= 199, `${ticks.length} turns of the event loop (99 slices deserializing, 100 processing)`);
  const gaps = ticks.slice(1).map((x, i) => x.at - ticks[i]!.at);
  // Timing is only logged (a loaded machine preempts and collects garbage at will); the slicing above is what is asserted.
  t.log(`longest time the event loop was blocked: ${Math.max(...gaps).toFixed(1)} ms over ${ticks.length} turns`);
});

test('with a slice policy slices also end after maxMs, batches are taken in order, and an error ends the stream', async (t) => {
  const order: string[] = [];
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).peek((_k, v) => {
    if (v === 'bad') throw new Error('bad value');
    order.push(v);
    const until = performance.now() + 0.05;
    while (performance.now() < until); // a slow step
  }, Named.as('slow'));
  const task = compile(b.build(), [0], 0, new MemorySink());
  const input = new Subject<InputBatch>();
  const results: number[] = [];
  let turns = 0;
  let failure: unknown;
  const ended = new Promise<void>((resolve) => {
    input.pipe(processRecords(task, { commitEveryRecord: false, slice: { maxRecords: 1_000_000, maxMs: 2 } }))
      .subscribe({ next: (r) => results.push(r.processed), error: (e) => { failure = e; resolve(); }, complete: resolve });
  });
  const ticker = setInterval(() => turns++, 0);
  input.next({ topic: 'in', partition: 0, records: strings(Array.from({ length: 1000 }, (_, i) => ['k', `a${i}`, i] as const)) });
  input.next({ topic: 'in', partition: 0, records: strings([['k', 'b0', 2000], ['k', 'bad', 2001], ['k', 'b2', 2002]], 1000) });
  input.next({ topic: 'in', partition: 0, records: strings([['k', 'c0', 3000]], 1003) });
  await ended;
  clearInterval(ticker);
  t.deepEqual(results, [1000]);
  t.true(failure instanceof ProcessingError);
  t.deepEqual(order.slice(-2), ['a999', 'b0'], 'the batches in order, the third never processed');
  t.true(turns >= 5, `timers ran ${turns} times while 1000 records of 0.05 ms were processed in slices of 2 ms`);
  t.throws(() => processRecords(task, { commitEveryRecord: false, slice: { maxRecords: 0, maxMs: 1 } }), { message: /maxRecords >= 1 and maxMs > 0/ });
});
