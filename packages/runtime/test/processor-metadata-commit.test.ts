// The task's processor metadata (Kafka Streams' ProcessorMetadata) through a task's commits and start: an aggregation
// emitting on window close keeps the window close time of its last emit under its store's name; a commit writes the
// task's metadata with every input partition's offset once it changed (Kafka Streams' committableOffsetsAndMetadata),
// else only with the partitions processed from; a task starting reads it back from all its partitions, the larger
// value of a name winning (initializeTaskTimeAndProcessorMetadata), and its aggregation goes on from there.
import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, TimeWindows, SessionWindows, type Topology } from '@ts-streams/dsl';
import { RecordCache } from '@ts-streams/state';
import { compileTask } from '../src/compile/compile-task.ts';
import type { StreamTask } from '../src/task/stream-task.ts';
import { readTopicPartitionMetadata } from '../src/task/topic-partition-metadata.ts';
import { MemorySink, APP, strings } from './task-harness.ts';

/** Topics 'one' and 'two' merged, counted per key in tumbling windows of 10 ms emitted on close: "key@start=count". */
function finalCounts(): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream('one', Consumed.with(s, s))
    .merge(b.stream('two', Consumed.with(s, s)))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(10))
    .emitStrategy('on-window-close')
    .count(Materialized.as('counts'))
    .toStream()
    .map((w, n) => ({ key: w.key, value: `${w.key}@${w.window.start}=${n}` }))
    .to('out', Produced.with(s, s));
  return b.build();
}

/** Sessions of 'one' per key (gap 10 ms, no grace) counted, each emitted once it closes: "key@start=count". */
function finalSessions(): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream('one', Consumed.with(s, s))
    .groupByKey()
    .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(10))
    .emitStrategy('on-window-close')
    .count(Materialized.as('sessions'))
    .toStream()
    .map((w, n) => ({ key: w.key, value: `${w.key}@${w.window.start}=${n}` }))
    .to('out', Produced.with(s, s));
  return b.build();
}

function task(sink: MemorySink, topology = finalCounts()): StreamTask {
  // Every record looks for closed windows (emitIntervalMs 0), as Kafka Streams' TopologyTestDriver.
  const created = compileTask({
    topology, applicationId: APP, subtopologies: [0], partition: 1, sink, cache: new RecordCache(0),
    wallClock: () => 0, maxTaskIdleMs: 0, emitIntervalMs: { onWindowClose: 0 },
  });
  // Every input partition fetched to its end (as the runtime says after a fetch): the task need not wait for one.
  for (const topic of created.inputTopics()) created.updateLag(topic, 1, 0);
  return created;
}

const emitted = (sink: MemorySink) => sink.take('out').map((r) => new TextDecoder().decode(r.value!));

/** Kafka Streams' committed metadata, built by hand from its layout: version 2, partition time, entries (int32 count, each int32 length, UTF-8 name, int64). */
function kafkaStreamsMetadata(partitionTime: number, entries: readonly (readonly [string, number])[]): string {
  const parts = [Buffer.from([2]), long(partitionTime)];
  if (entries.length > 0) parts.push(int(entries.length));
  for (const [name, value] of entries) parts.push(int(Buffer.byteLength(name)), Buffer.from(name), long(value));
  return Buffer.concat(parts).toString('base64');
}
const int = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
const long = (v: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(v));
  return b;
};

test("the last emit's window close time is committed under the store's name with every input partition once it changes, else with those processed from", (t) => {
  const sink = new MemorySink();
  const a = task(sink);
  // 'two' had an offset committed before (nothing to read since), 'one' had none.
  a.initializeMetadata('two', 1, 5, readTopicPartitionMetadata(kafkaStreamsMetadata(-1, [])));
  a.addRecords('one', 1, strings([['a', 'x', 1], ['b', 'x', 2], ['a', 'x', 12]]));
  while (a.process());
  t.deepEqual(emitted(sink), ['a@0=1', 'b@0=1']);
  t.is(a.processorMetadata.get('counts'), 12);
  a.prepareCommit();
  t.deepEqual(a.preparedOffsetsWithMetadata(), [
    { topic: 'one', partition: 1, offset: 3, metadata: kafkaStreamsMetadata(12, [['counts', 12]]) },
    { topic: 'two', partition: 1, offset: 5, metadata: kafkaStreamsMetadata(-1, [['counts', 12]]) },
  ]);
  a.postCommit();

  // A record that closes no window since: the metadata did not change, only the partition processed from is committed.
  a.addRecords('one', 1, strings([['a', 'x', 13]], 3));
  while (a.process());
  t.deepEqual(emitted(sink), []);
  a.prepareCommit();
  t.deepEqual(a.preparedOffsetsWithMetadata(), [{ topic: 'one', partition: 1, offset: 4, metadata: kafkaStreamsMetadata(13, [['counts', 12]]) }]);
  a.postCommit();

  // [10, 20) closes: a commit that fails (no postCommit) leaves the change to commit, so the next commit writes it
  // with every partition again; once one went through, only the partition processed from.
  a.addRecords('one', 1, strings([['a', 'x', 25]], 4));
  while (a.process());
  t.deepEqual(emitted(sink), ['a@10=2']);
  const everyPartition = [
    { topic: 'one', partition: 1, offset: 5, metadata: kafkaStreamsMetadata(25, [['counts', 25]]) },
    { topic: 'two', partition: 1, offset: 5, metadata: kafkaStreamsMetadata(-1, [['counts', 25]]) },
  ];
  a.prepareCommit();
  t.deepEqual(a.preparedOffsetsWithMetadata(), everyPartition);
  a.prepareCommit();
  t.deepEqual(a.preparedOffsetsWithMetadata(), everyPartition);
  a.postCommit();
  a.prepareCommit();
  t.deepEqual(a.preparedOffsetsWithMetadata(), everyPartition.slice(0, 1));
});

test('a task starts from the processor metadata of all its partitions, the larger value winning, and its aggregation goes on from it', (t) => {
  const sink = new MemorySink();
  const b = task(sink);
  // What the previous owner committed: [0, 10) emitted (close time 12) — 'two' carries an older commit — and the
  // metadata of a processor this topology does not have, kept and committed again as Kafka Streams does.
  b.initializeMetadata('one', 1, 3, readTopicPartitionMetadata(kafkaStreamsMetadata(12, [['counts', 12], ['other-store', 7]])));
  b.initializeMetadata('two', 1, 5, readTopicPartitionMetadata(kafkaStreamsMetadata(-1, [['counts', 3]])));
  t.deepEqual([...b.processorMetadata.toMap()].sort(), [['counts', 12], ['other-store', 7]]);
  t.false(b.processorMetadata.needsCommit, 'reading it back is no change to commit');
  // A record of [0, 10) still accepted (this processor's observed stream time starts over, as Kafka's), then
  // one in [10, 20), then one closing [10, 20): only [10, 20) goes out — [0, 10) was emitted before the move.
  b.addRecords('one', 1, strings([['a', 'x', 5], ['a', 'x', 15], ['a', 'x', 25]], 3));
  while (b.process());
  t.deepEqual(emitted(sink), ['a@10=1']);
  t.is(b.processorMetadata.get('counts'), 25);
  b.prepareCommit();
  t.deepEqual(b.preparedOffsetsWithMetadata().map((o) => [o.topic, o.offset, [...readTopicPartitionMetadata(o.metadata).processorMetadata].sort()]), [
    ['one', 6, [['counts', 25], ['other-store', 7]]],
    ['two', 5, [['counts', 25], ['other-store', 7]]],
  ]);

  // Without the committed metadata (as before ts-streams kept it), the same records emit [0, 10) again.
  const fresh = new MemorySink();
  const c = task(fresh);
  c.addRecords('one', 1, strings([['a', 'x', 5], ['a', 'x', 15], ['a', 'x', 25]], 3));
  while (c.process());
  t.deepEqual(emitted(fresh), ['a@0=1', 'a@10=1']);
});

test('a session aggregation emitting on close keeps its last emit under its store name and goes on from it', (t) => {
  const records = strings([['a', 'x', 0], ['a', 'x', 5], ['b', 'x', 30], ['a', 'x', 50]]);
  // From nothing: b at 30 closes the session a [0, 5] (close time 30 − gap 10 = 20), a at 50 closes b [30, 30].
  const fresh = new MemorySink();
  const c = task(fresh, finalSessions());
  c.addRecords('one', 1, records);
  while (c.process());
  t.deepEqual(emitted(fresh), ['a@0=2', 'b@30=1']);
  t.is(c.processorMetadata.get('sessions'), 40);
  // Started from metadata saying sessions ending before 20 went out already: a [0, 5] does not go out again.
  const sink = new MemorySink();
  const d = task(sink, finalSessions());
  d.initializeMetadata('one', 1, 0, readTopicPartitionMetadata(kafkaStreamsMetadata(-1, [['sessions', 20]])));
  d.addRecords('one', 1, records);
  while (d.process());
  t.deepEqual(emitted(sink), ['b@30=1']);
});
