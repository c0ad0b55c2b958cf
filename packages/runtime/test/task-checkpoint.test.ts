// A task's persistent stores across restarts, as the Kafka runtime drives them: the commit protocol writes the
// checkpoint (the changelog offsets the sink acknowledged), a clean close keeps the stores, restoration resumes from
// the checkpoint; global stores are checkpointed by their source topic's partitions.
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, type Topology } from '@ts-streams/dsl';
import { CheckpointFile, RecordCache, StateDirectory, type KeyValueStore } from '@ts-streams/state';
import type { StreamTask } from '../src/task/stream-task.ts';
import type { ValueAndTimestamp } from '../src/state/value-and-timestamp.ts';
import { APP, MemorySink, compile, openTask, strings } from './task-harness.ts';
import { restoreInSlices } from '../src/state/restore-in-slices.ts';

function countTopology(): Topology {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .count(Materialized.as('counts'))
    .toStream()
    .to('out', Produced.with(Serdes.String(), Serdes.Long()));
  return b.build();
}

function counts(task: StreamTask): Record<string, number> {
  const store = task.stores.get('counts') as KeyValueStore<string, ValueAndTimestamp<number>>;
  const out: Record<string, number> = {};
  for (const kv of store.all()) out[kv.key] = kv.value.value;
  return out;
}

/** A locked state directory in a fresh temporary directory, removed after the test. */
function stateDirectory(t: { teardown(fn: () => void): void }): StateDirectory {
  const root = mkdtempSync(join(tmpdir(), 'ts-streams-task-'));
  const sd = StateDirectory.lock(join(root, APP));
  t.teardown(() => {
    sd.release();
    rmSync(root, { recursive: true, force: true });
  });
  return sd;
}

const CHANGELOG = `${APP}-counts-changelog`;

test('postCommit checkpoints the changelog offsets the sink acknowledged; a clean restart keeps the store and restores from there', async (t) => {
  const sd = stateDirectory(t);
  const warnings: string[] = [];
  const sink = new MemorySink(2, true);
  const first = await openTask(countTopology(), [0], 1, sink, sd, { warn: (l) => warnings.push(l) });
  t.deepEqual(first.opened.restoreOffsets.get('counts'), [{ topic: CHANGELOG, partition: 1, offset: 0 }]);
  const { task } = first;
  task.addRecords('in', 1, strings([['a', 'x', 1], ['b', 'x', 2], ['a', 'x', 3]]));
  while (task.process());
  // The commit protocol: prepare, flush, commit the prepared offsets, post.
  task.prepareCommit();
  await sink.flush();
  t.deepEqual(task.preparedOffsets(), [{ topic: 'in', partition: 1, offset: 3 }]);
  task.postCommit();
  const checkpoint = new CheckpointFile(sd.checkpointPath('0_1'));
  // Three changelog records at offsets 0-2: restoration would resume at 3.
  t.deepEqual([...checkpoint.read()], [[`${CHANGELOG} 1`, 3]]);
  // A record processed and committed, but its changelog record not yet acknowledged: the checkpoint stays.
  task.addRecords('in', 1, strings([['c', 'x', 4]], 3));
  task.process();
  task.prepareCommit();
  task.postCommit();
  t.deepEqual([...checkpoint.read()], [[`${CHANGELOG} 1`, 3]]);
  await sink.flush();
  task.postCommit();
  t.deepEqual([...checkpoint.read()], [[`${CHANGELOG} 1`, 4]]);
  task.close();
  await first.closed();

  const second = await openTask(countTopology(), [0], 1, new MemorySink(2), sd, { warn: (l) => warnings.push(l) });
  t.deepEqual(warnings, [], 'a cleanly closed store is not wiped');
  t.deepEqual(second.opened.restoreOffsets.get('counts'), [{ topic: CHANGELOG, partition: 1, offset: 4 }]);
  t.deepEqual(counts(second.task), { a: 2, b: 1, c: 1 });
  second.task.close();
  await second.closed();
});

test('restoration applies changelog records and moves the checkpoint; a store with no checkpoint is wiped and restored from the start', async (t) => {
  const sd = stateDirectory(t);
  // The changelog a first instance wrote.
  const sink = new MemorySink(2);
  const writer = await openTask(countTopology(), [0], 0, sink, sd);
  writer.task.addRecords('in', 0, strings([['a', 'x', 1], ['b', 'x', 2], ['a', 'x', 3], ['a', 'x', 4]]));
  while (writer.task.process());
  writer.task.prepareCommit();
  const changelog = sink.take(CHANGELOG).map((r) => ({ key: r.key!, value: r.value, timestamp: r.timestamp }));
  t.is(changelog.length, 4);
  // Killed: no postCommit, no close (its stores closed as a process exit would release them).
  await writer.closed();
  const checkpoint = new CheckpointFile(sd.checkpointPath('0_0'));
  t.false(checkpoint.exists());

  const warnings: string[] = [];
  const next = await openTask(countTopology(), [0], 0, new MemorySink(2), sd, { warn: (l) => warnings.push(l) });
  t.is(warnings.length, 1);
  t.regex(warnings[0]!, /State store counts: wiped .* did not stop cleanly/);
  t.deepEqual(counts(next.task), {});
  // Restore in two batches, as a restore consumer polls.
  next.task.restoreBatch('counts', CHANGELOG, 0, changelog.slice(0, 2), 2);
  t.is(next.task.stateManager!.offset(CHANGELOG, 0), 2);
  next.task.restoreBatch('counts', CHANGELOG, 0, changelog.slice(2), 4);
  t.deepEqual(counts(next.task), { a: 3, b: 1 });
  t.deepEqual(next.task.metrics.processed, 0, 'restored records are not processed');
  next.task.close();
  await next.closed();
  t.deepEqual([...checkpoint.read()], [[`${CHANGELOG} 0`, 4]]);

  const again = await openTask(countTopology(), [0], 0, new MemorySink(2), sd, { warn: (l) => warnings.push(l) });
  t.is(warnings.length, 1);
  t.deepEqual(again.opened.restoreOffsets.get('counts'), [{ topic: CHANGELOG, partition: 0, offset: 4 }]);
  t.deepEqual(counts(again.task), { a: 3, b: 1 });
  again.task.close();
  await again.closed();
});

test('a global store is checkpointed by its source topic partitions, at the offsets the global task processed', async (t) => {
  const sd = stateDirectory(t);
  const topology = () => {
    const b = new StreamsBuilder();
    b.globalTable('names', Consumed.with(Serdes.String(), Serdes.String()), Materialized.as('names-store'));
    return b.build();
  };
  const first = await openTask(topology(), [], 0, new MemorySink(), sd, { globals: true, sourcePartitions: 3 });
  t.is(first.task.id, 'global');
  t.deepEqual(first.opened.restoreOffsets.get('names-store'), [0, 1, 2].map((partition) => ({ topic: 'names', partition, offset: 0 })));
  first.task.addRecords('names', 0, strings([['home', 'Home', 1], ['docs', 'Docs', 2]], 10));
  first.task.addRecords('names', 2, strings([['faq', 'FAQ', 3]], 5));
  while (first.task.process());
  first.task.prepareCommit();
  first.task.postCommit();
  const checkpoint = new CheckpointFile(sd.checkpointPath('global'));
  // Partition 1 had nothing: it is vouched for from its start.
  t.deepEqual([...checkpoint.read()], [['names 0', 12], ['names 1', 0], ['names 2', 6]]);
  first.task.close();
  await first.closed();

  const second = await openTask(topology(), [], 0, new MemorySink(), sd, { globals: true, sourcePartitions: 3 });
  t.deepEqual(second.opened.restoreOffsets.get('names-store'), [{ topic: 'names', partition: 0, offset: 12 }, { topic: 'names', partition: 1, offset: 0 }, { topic: 'names', partition: 2, offset: 6 }]);
  const store = second.task.stores.get('names-store') as KeyValueStore<string, ValueAndTimestamp<string>>;
  t.is(store.get('faq')?.value, 'FAQ');
  second.task.close();
  await second.closed();

  // The source topic gained a partition: the checkpoint does not cover it, so the store is rebuilt from the start.
  const warnings: string[] = [];
  const grown = await openTask(topology(), [], 0, new MemorySink(), sd, { globals: true, sourcePartitions: 4, warn: (l) => warnings.push(l) });
  t.is(warnings.length, 1);
  t.deepEqual(grown.opened.restoreOffsets.get('names-store')!.map((o) => o.offset), [0, 0, 0, 0]);
  grown.task.close();
  await grown.closed();
});

test('a dirty close writes no checkpoint; the one the last commit wrote stays, and restoration resumes from it', async (t) => {
  const sd = stateDirectory(t);
  const sink = new MemorySink(2);
  const first = await openTask(countTopology(), [0], 0, sink, sd, { cache: new RecordCache(1024 * 1024) });
  first.task.addRecords('in', 0, strings([['a', 'x', 1], ['b', 'x', 2]]));
  while (first.task.process());
  first.task.prepareCommit();
  await sink.flush();
  first.task.postCommit();
  const checkpoint = new CheckpointFile(sd.checkpointPath('0_0'));
  t.deepEqual([...checkpoint.read()], [[`${CHANGELOG} 0`, 2]]);
  first.task.addRecords('in', 0, strings([['a', 'x', 3], ['c', 'x', 4]], 2));
  while (first.task.process());
  first.task.closeDirty();
  await first.closed();
  // The cached counts were dropped: neither forwarded nor logged.
  t.is(sink.take(CHANGELOG).length, 2);
  t.is(sink.take('out').length, 2);
  t.deepEqual([...checkpoint.read()], [[`${CHANGELOG} 0`, 2]]);
  const warnings: string[] = [];
  const second = await openTask(countTopology(), [0], 0, new MemorySink(2), sd, { warn: (l) => warnings.push(l) });
  t.deepEqual(warnings, []);
  t.deepEqual(second.opened.restoreOffsets.get('counts'), [{ topic: CHANGELOG, partition: 0, offset: 2 }]);
  t.deepEqual(counts(second.task), { a: 1, b: 1 });
  second.task.close();
  await second.closed();
});

test('restoreInSlices applies a large restore batch in slices, yielding between them, and notes the offset after the last', async (t) => {
  const sd = stateDirectory(t);
  const { task, closed } = await openTask(countTopology(), [0], 0, new MemorySink(2), sd);
  // The changelog of 25 keys, as a task writes it.
  const writerSink = new MemorySink(2);
  const writer = compile(countTopology(), [0], 0, writerSink);
  writer.addRecords('in', 0, strings(Array.from({ length: 25 }, (_, i) => [`k${i}`, 'x', i] as const)));
  while (writer.process());
  const records = writerSink.take(CHANGELOG).map((r) => ({ key: r.key!, value: r.value, timestamp: r.timestamp }));
  t.is(records.length, 25);
  const restoring = restoreInSlices(task, 'counts', CHANGELOG, 0, records, 125, 10);
  // The first slice is in at once; the rest after turns of the event loop.
  t.is(Object.keys(counts(task)).length, 10);
  t.is(task.stateManager!.offset(CHANGELOG, 0), 0);
  await new Promise((resolve) => setImmediate(resolve));
  t.is(Object.keys(counts(task)).length, 20);
  await restoring;
  t.is(Object.keys(counts(task)).length, 25);
  t.is(task.stateManager!.offset(CHANGELOG, 0), 125);
  task.close();
  await closed();
});
