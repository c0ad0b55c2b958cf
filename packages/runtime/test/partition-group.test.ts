// PartitionGroup and its PartitionQueues on their own: which record a task takes next across its input partitions.
// Expectations follow Kafka Streams' PartitionGroupTest (the task keeps the times: see stream-task.test.ts).
import test from 'ava';
import { NO_HEADERS } from '@ts-streams/dsl';
import { PartitionGroup } from '../src/task/partition-group.ts';
import type { PartitionQueue } from '../src/task/partition-queue.ts';
import type { QueuedRecord } from '../src/task/queued-record.ts';

const record = (timestamp: number, offset: number): QueuedRecord => ({ key: null, value: `${timestamp}`, timestamp, headers: NO_HEADERS, offset });

/** Queues records with these timestamps, at consecutive offsets from `firstOffset`. */
function add(group: PartitionGroup, q: PartitionQueue, timestamps: readonly number[], firstOffset = 0): void {
  timestamps.forEach((ts, i) => group.add(q, record(ts, firstOffset + i)));
}

/** Takes the next record as a task does; returns "<partition>:<timestamp>", or undefined when none is queued. */
function take(group: PartitionGroup): string | undefined {
  const q = group.next();
  if (!q) return undefined;
  const r = q.poll()!;
  group.polled(q);
  return `${q.partition}:${r.timestamp}`;
}

test('an empty group has nothing next', (t) => {
  const group = new PartitionGroup();
  group.queue('topic', 0);
  t.is(group.size, 0);
  t.is(group.next(), undefined);
  t.is(take(group), undefined);
});

test('each topic partition has one queue', (t) => {
  const group = new PartitionGroup();
  const q = group.queue('topic', 1);
  t.is(group.queue('topic', 1), q);
  t.not(group.queue('topic', 2), q);
  t.not(group.queue('other', 1), q);
  t.deepEqual([...group.partitions()].map((p) => `${p.topic}-${p.partition}`), ['topic-1', 'topic-2', 'other-1']);
});

test('the next record is the head with the smallest timestamp (Kafka shouldChooseNextRecordBasedOnHeadTimestamp)', (t) => {
  const group = new PartitionGroup();
  const p1 = group.queue('topic', 1);
  const p2 = group.queue('topic', 2);
  add(group, p1, [1, 5, 3]);
  t.is(group.size, 3);
  t.is(take(group), '1:1');
  t.is(take(group), '1:5');
  add(group, p2, [2, 4, 6]);
  // 1:[3]  2:[2, 4, 6]
  t.is(take(group), '2:2');
  // Partition 1's head (3) goes before 4 although partition 1 has already shown 5: heads decide, not what was seen.
  t.is(take(group), '1:3');
  t.is(take(group), '2:4');
  t.is(take(group), '2:6');
  t.is(take(group), undefined);
  t.is(group.size, 0);
});

test('records of one partition keep their order, out-of-order ones included (Kafka testTimeTracking)', (t) => {
  const group = new PartitionGroup();
  const p1 = group.queue('topic', 1);
  const p2 = group.queue('topic', 2);
  add(group, p1, [1, 3, 5]);
  add(group, p2, [2, 4, 6]);
  t.is(group.size, 6);
  t.deepEqual([take(group), take(group)], ['1:1', '2:2']);
  t.deepEqual([p1.size, p2.size, group.size], [2, 2, 4]);
  add(group, p1, [2, 4], 3);
  // 1:[3, 5, 2, 4]  2:[4, 6]
  t.deepEqual([p1.size, p2.size, group.size], [4, 2, 6]);
  const order: (string | undefined)[] = [];
  const sizes: number[][] = [];
  for (let i = 0; i < 6; i++) {
    order.push(take(group));
    sizes.push([p1.size, p2.size]);
  }
  t.deepEqual(order, ['1:3', '2:4', '1:5', '1:2', '1:4', '2:6']);
  t.deepEqual(sizes, [[3, 2], [3, 1], [2, 1], [1, 1], [0, 1], [0, 0]]);
});

test('the head offset of each queue is the next record to process', (t) => {
  const group = new PartitionGroup();
  const q = group.queue('topic', 0);
  add(group, q, [7, 8], 40);
  t.is(q.peek()!.offset, 40);
  take(group);
  t.is(q.peek()!.offset, 41);
  take(group);
  t.is(q.peek(), undefined);
});

test('a queue emptied and refilled competes again', (t) => {
  const group = new PartitionGroup();
  const a = group.queue('a', 0);
  const b = group.queue('b', 0);
  add(group, a, [1]);
  add(group, b, [10, 11]);
  t.deepEqual([take(group), take(group)], ['0:1', '0:10']);
  t.is(group.next(), b);
  add(group, a, [2]);
  t.is(group.next(), a);
  t.deepEqual([take(group), take(group), take(group)], ['0:2', '0:11', undefined]);
});

test('many partitions: records come out in timestamp order when every queue is in order', (t) => {
  const group = new PartitionGroup();
  const queues = [0, 1, 2, 3, 4].map((p) => group.queue('topic', p));
  // Partition p holds timestamps p, p + 5, p + 10, …: all together, 0..49 once each.
  queues.forEach((q, p) => add(group, q, Array.from({ length: 10 }, (_, i) => p + 5 * i)));
  const out: number[] = [];
  for (let s = take(group); s !== undefined; s = take(group)) out.push(Number(s.split(':')[1]));
  t.deepEqual(out, Array.from({ length: 50 }, (_, i) => i));
});

test('a long-lived queue keeps its order and size as it is filled and drained in turns', (t) => {
  // The queue reuses its array and compacts it now and then: records must neither be lost nor reordered.
  const group = new PartitionGroup();
  const q = group.queue('topic', 0);
  let next = 0;
  let expected = 0;
  const wrong: string[] = [];
  for (let round = 0; round < 40; round++) {
    for (let i = 0; i < 150; i++) group.add(q, record(next, next++));
    for (let i = 0; i < 100; i++) {
      const r = q.poll()!;
      group.polled(q);
      if (r.offset !== expected++) wrong.push(`${r.offset} for ${expected - 1}`);
    }
    if (q.size !== next - expected) wrong.push(`size ${q.size} in round ${round}`);
  }
  while (take(group) !== undefined) expected++;
  t.deepEqual(wrong, []);
  t.is(expected, next);
  t.is(group.size, 0);
});

/** A group over topic partitions 1 and 2 with this max.task.idle.ms; records buffered on partition 1. */
function idling(maxTaskIdleMs: number) {
  const group = new PartitionGroup(maxTaskIdleMs);
  const p1 = group.queue('topic', 1);
  const p2 = group.queue('topic', 2);
  add(group, p1, [5, 6]);
  return { group, p1, p2 };
}

test('idling disabled (-1, the default): ready whatever is buffered (Kafka shouldNeverWaitIfIdlingIsDisabled)', (t) => {
  t.is(new PartitionGroup().maxTaskIdleMs, -1);
  const { group } = idling(-1);
  t.true(group.readyToProcess(() => 0));
  t.is(take(group), '1:5');
});

test('ready when every partition has buffered records, without reading the clock (Kafka shouldBeReadyIfAllPartitionsAreBuffered)', (t) => {
  const { group, p2 } = idling(0);
  add(group, p2, [1]);
  t.true(group.readyToProcess(() => t.fail('the clock is not read when every partition is buffered') as never));
  t.is(take(group), '2:1');
  t.false(group.readyToProcess(() => 0), 'partition 2 is empty again and its lag unknown');
});

test('max.task.idle.ms 0 waits until an empty partition is known caught up (Kafka shouldWaitForFetchesWhenMetadataIsIncomplete, shouldWaitForPollWhenLagIsNonzero)', (t) => {
  const { group, p2 } = idling(0);
  // No fetch of partition 2 came back yet: wait.
  t.false(group.readyToProcess(() => 0));
  // It came back with records still on the broker: wait for them.
  group.updateLag(p2, 3);
  t.false(group.readyToProcess(() => 0));
  // Caught up (a fetch came back empty): process what there is.
  group.updateLag(p2, 0);
  t.true(group.readyToProcess(() => 0));
  // Unknown again (a rebalance, a fetch error): wait again.
  group.updateLag(p2, undefined);
  t.false(group.readyToProcess(() => 0));
});

test('max.task.idle.ms > 0 waits that long on the wall clock for a caught-up empty partition (Kafka shouldIdleAsSpecifiedWhenLagIsZero)', (t) => {
  const { group, p1, p2 } = idling(100);
  group.updateLag(p2, 0);
  t.false(group.readyToProcess(() => 1000), 'the deadline is set when the partition is first seen empty: 1100');
  t.false(group.readyToProcess(() => 1099));
  t.true(group.readyToProcess(() => 1100));
  t.true(group.readyToProcess(() => 1101));
  // Data on partition 2 ends the wait; emptied again, a new wait starts from when it is next seen empty.
  add(group, p2, [7]);
  t.true(group.readyToProcess(() => 1200));
  t.deepEqual([take(group), take(group), take(group)], ['1:5', '1:6', '2:7']);
  add(group, p1, [8]);
  t.false(group.readyToProcess(() => 1300));
  t.false(group.readyToProcess(() => 1399));
  t.true(group.readyToProcess(() => 1400));
});

test('nothing buffered anywhere: not ready, even with every partition caught up', (t) => {
  const group = new PartitionGroup(0);
  const [a, b] = [group.queue('a', 0), group.queue('b', 0)];
  group.updateLag(a, 0);
  group.updateLag(b, 0);
  t.false(group.readyToProcess(() => 0));
});

test('an invalid max.task.idle.ms is refused, naming the allowed values', (t) => {
  t.throws(() => new PartitionGroup(-2), { message: /maxTaskIdleMs must be -1 \(never wait\), 0 .* got -2/ });
  t.throws(() => new PartitionGroup(1.5), { message: /got 1\.5/ });
});
