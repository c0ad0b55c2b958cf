// compileTask as the Kafka runtime will use it: one task per sub-topology × partition, each with its own processors
// and stores, fed in batches through processRecords; repartition topics connect the sub-topologies' tasks, global
// stores are shared. (The test driver compiles a single task over every sub-topology instead.)
import test from 'ava';
import { Subject } from 'rxjs';
import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, Named, type ProcessorContext, type Topology } from '@ts-streams/dsl';
import { RecordCache, type KeyValueStore } from '@ts-streams/state';
import { compileTask, taskPlan, taskStoreSpecs } from '../src/compile/compile-task.ts';
import { processRecords, type InputBatch, type ProcessPolicy } from '../src/operators/process-records.ts';
import type { StreamTask } from '../src/task/stream-task.ts';
import type { ValueAndTimestamp } from '../src/state/value-and-timestamp.ts';
import type { RawRecord } from '../src/io/raw-record.ts';
import { StreamsError } from '../src/errors/streams-error.ts';
import { APP, MemorySink, compile, decode, strings, partitionOf } from './task-harness.ts';

/** Counts words: sub-topology 0 re-keys lines by word (to a repartition topic), sub-topology 1 counts. */
function wordCount(): Topology {
  const b = new StreamsBuilder();
  b.stream('lines', Consumed.with(Serdes.String(), Serdes.String()))
    .flatMapValues((line) => line.split(' '))
    .selectKey((_k, word) => word)
    .groupByKey(Grouped.with(Serdes.String(), Serdes.String(), 'by-word'))
    .count(Materialized.as('word-counts'))
    .toStream()
    .to('counts', Produced.with(Serdes.String(), Serdes.Long()));
  return b.build();
}

/** Counts per key, no repartition: one sub-topology. */
function keyCount(): Topology {
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
    .groupByKey()
    .count(Materialized.as('counts'))
    .toStream()
    .to('out', Produced.with(Serdes.String(), Serdes.Long()));
  return b.build();
}

/** A task's batch pipeline, as the runtime subscribes it: commit after every batch. */
function pipeline(task: StreamTask): (topic: string, partition: number, records: readonly RawRecord[]) => void {
  const input = new Subject<InputBatch>();
  const policy: ProcessPolicy = { commitEveryRecord: false, shouldCommit: () => true };
  let failure: unknown;
  input.pipe(processRecords(task, policy)).subscribe({ error: (e) => { failure = e; } });
  return (topic, partition, records) => {
    input.next({ topic, partition, records });
    if (failure !== undefined) throw failure;
  };
}

/** The counts a task's store holds, by key. */
function storeContents(task: StreamTask, store: string): Record<string, number> {
  const s = task.stores.get(store) as KeyValueStore<string, ValueAndTimestamp<number>>;
  return Object.fromEntries([...s.all()].map((kv) => [kv.key, kv.value.value]));
}

test('the plan of a task: its id, the nodes of its sub-topologies and their stores', (t) => {
  const topology = wordCount();
  t.is(topology.subtopologies.length, 2);
  const upstream = taskPlan({ topology, subtopologies: [0], partition: 1 });
  const downstream = taskPlan({ topology, subtopologies: [1], partition: 0 });
  t.is(upstream.taskId, '0_1');
  t.is(downstream.taskId, '1_0');
  t.deepEqual([...upstream.nodeNames], [...topology.subtopologies[0]!.nodes]);
  t.deepEqual([...downstream.nodeNames], [...topology.subtopologies[1]!.nodes]);
  t.deepEqual([...upstream.storeNames], []);
  t.deepEqual([...downstream.storeNames], ['word-counts']);
  t.deepEqual(taskStoreSpecs({ topology, subtopologies: [1], partition: 0 }).map((s) => s.name), ['word-counts']);
});

test('a repartition sub-topology and the one downstream of it run as separate tasks per partition', (t) => {
  const topology = wordCount();
  const sink = new MemorySink(2);
  const repartition = `${APP}-by-word-repartition`;
  const up = [0, 1].map((p) => compile(topology, [0], p, sink));
  const down = [0, 1].map((p) => compile(topology, [1], p, sink));
  t.deepEqual(up.map((task) => [task.id, task.inputTopics()]), [['0_0', ['lines']], ['0_1', ['lines']]]);
  t.deepEqual(down.map((task) => [task.id, task.inputTopics()]), [['1_0', [repartition]], ['1_1', [repartition]]]);
  const feedUp = up.map(pipeline);
  const feedDown = down.map(pipeline);
  const offsets = [0, 0];
  /** Moves what the upstream tasks wrote to the repartition topic into the downstream task of each record's partition. */
  const shuffle = () => {
    for (const r of sink.take(repartition)) {
      const p = r.partition!;
      feedDown[p]!(repartition, p, [{ key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers, offset: offsets[p]!++ }]);
    }
  };
  feedUp[0]!('lines', 0, strings([['l1', 'alice bob', 1], ['l2', 'frank', 2]]));
  feedUp[1]!('lines', 1, strings([['l3', 'bob frank bob', 3]]));
  // Each word goes to the repartition partition of its key, whichever input partition it came from.
  const routed = sink.records.filter((r) => r.topic === repartition).map((r) => [Serdes.String().deserialize('', r.key), r.partition]);
  t.deepEqual(routed, [['alice', 1], ['bob', 0], ['frank', 1], ['bob', 0], ['frank', 1], ['bob', 0]]);
  t.deepEqual(routed.map(([word]) => partitionOf(word as string)), routed.map(([, p]) => p));
  shuffle();
  // Each downstream task holds the counts of its partition's words only.
  t.deepEqual(storeContents(down[0]!, 'word-counts'), { bob: 3 });
  t.deepEqual(storeContents(down[1]!, 'word-counts'), { alice: 1, frank: 2 });
  const counts = decode(sink.take('counts'), Serdes.String(), Serdes.Long());
  t.deepEqual(counts.filter(([w]) => w === 'bob').map(([, n, ts, p]) => [n, ts, p]), [[1, 1, 0], [2, 3, 0], [3, 3, 0]]);
  t.deepEqual(counts.filter(([w]) => w !== 'bob').map(([w, n, , p]) => [w, n, p]), [['alice', 1, 1], ['frank', 1, 1], ['frank', 2, 1]]);
  // Changelogs go to the partition of the task that owns the store.
  t.deepEqual([...new Set(sink.take(`${APP}-word-counts-changelog`).map((r) => `${Serdes.String().deserialize('', r.key)}:${r.partition}`))].sort(), ['alice:1', 'bob:0', 'frank:1']);
  t.deepEqual(down.map((task) => task.committableOffsets()), [
    [{ topic: repartition, partition: 0, offset: 3 }],
    [{ topic: repartition, partition: 1, offset: 3 }],
  ]);
});

test('two tasks of one sub-topology keep separate state and caches, though they share the record cache', (t) => {
  const topology = keyCount();
  const sink = new MemorySink(2);
  const cache = new RecordCache(1024 * 1024);
  const [t0, t1] = [0, 1].map((p) => compile(topology, [0], p, sink, { cache })) as [StreamTask, StreamTask];
  t.not(t0.stores.get('counts'), t1.stores.get('counts'));
  // 'x' reaches both partitions (a producer with its own partitioner): each task counts what it reads.
  t0.addRecords('in', 0, strings([['x', 'a', 1], ['x', 'b', 2], ['bob', 'c', 3]]));
  t1.addRecords('in', 1, strings([['x', 'd', 4], ['alice', 'e', 5]]));
  while (t0.process());
  while (t1.process());
  t.deepEqual(sink.records, []);
  t.deepEqual(storeContents(t0, 'counts'), { bob: 1, x: 2 });
  t.deepEqual(storeContents(t1, 'counts'), { alice: 1, x: 1 });
  // Committing one task flushes its own cached entries only.
  t0.prepareCommit();
  t.deepEqual(decode(sink.take('out'), Serdes.String(), Serdes.Long()).map(([k, n]) => [k, n]), [['x', 2], ['bob', 1]]);
  t.deepEqual(sink.take(`${APP}-counts-changelog`).map((r) => r.partition), [0, 0]);
  t1.prepareCommit();
  t.deepEqual(decode(sink.take('out'), Serdes.String(), Serdes.Long()).map(([k, n]) => [k, n]), [['x', 1], ['alice', 1]]);
  t.deepEqual(sink.take(`${APP}-counts-changelog`).map((r) => r.partition), [1, 1]);
  t.deepEqual([t0.committableOffsets(), t1.committableOffsets()], [[{ topic: 'in', partition: 0, offset: 3 }], [{ topic: 'in', partition: 1, offset: 2 }]]);
});

test('each task gets its own processor instances, initialized with its task id', (t) => {
  const made: string[] = [];
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(Serdes.String(), Serdes.String())).process<never, never>(() => {
    const instance = made.length;
    return {
      init(ctx) { made.push(`${instance}:${ctx.applicationId}/${ctx.taskId}`); },
      process() {},
    };
  });
  const topology = b.build();
  const sink = new MemorySink();
  compile(topology, [0], 1, sink);
  compile(topology, [0], 0, sink);
  t.deepEqual(made, ['0:app/0_1', '1:app/0_0']);
});

test('a global store is owned by the global task and read by every stream task; closing a stream task leaves it open', (t) => {
  const b = new StreamsBuilder();
  const names = b.globalTable('names', Consumed.with(Serdes.String(), Serdes.String()), Materialized.as('names-store'));
  b.stream('visits', Consumed.with(Serdes.String(), Serdes.String()))
    .join(names, (_k, page) => page, (page, name) => `${name} saw ${page}`)
    .to('seen', Produced.with(Serdes.String(), Serdes.String()));
  const topology = b.build();
  const sink = new MemorySink(2);
  const cache = new RecordCache(0);
  const common = { topology, applicationId: APP, sink, cache, wallClock: () => 0 };
  const global = compileTask({ ...common, subtopologies: [], partition: 0, globals: true });
  t.is(global.id, 'global');
  t.deepEqual([...global.ownStores.keys()], ['names-store']);
  // As in Kafka, the global store's group takes sub-topology id 0: the stream's tasks are 1_0 and 1_1.
  t.deepEqual(topology.subtopologies.map((st) => st.id), [1]);
  const tasks = [0, 1].map((p) => compileTask({ ...common, subtopologies: [1], partition: p, sharedStores: global.ownStores }));
  t.deepEqual(tasks.map((task) => task.id), ['1_0', '1_1']);
  for (const task of tasks) {
    t.deepEqual([...task.ownStores.keys()], []);
    t.is(task.stores.get('names-store'), global.stores.get('names-store'));
  }
  global.addRecords('names', 0, strings([['home', 'Home', 1], ['docs', 'Docs', 2]]));
  while (global.process());
  global.prepareCommit();
  // Visits keyed by user; the value is the page, looked up in the global table.
  tasks[0]!.addRecords('visits', 0, strings([['bob', 'home', 5]]));
  tasks[1]!.addRecords('visits', 1, strings([['alice', 'docs', 6], ['alice', 'nowhere', 7]]));
  for (const task of tasks) while (task.process());
  t.deepEqual(decode(sink.take('seen'), Serdes.String(), Serdes.String()).map(([k, v]) => [k, v]), [['bob', 'Home saw home'], ['alice', 'Docs saw docs']]);
  tasks[0]!.close();
  const store = global.stores.get('names-store') as KeyValueStore<string, ValueAndTimestamp<string>>;
  t.is(store.get('home')?.value, 'Home');
});

test('a processor asking for a store it is not connected to fails the task at start, naming the step and the fix', (t) => {
  const b = new StreamsBuilder();
  const s = b.stream('in', Consumed.with(Serdes.String(), Serdes.String()));
  s.groupByKey().count(Materialized.as('counts'));
  s.process<never, never>(() => ({
    init(ctx: ProcessorContext<never, never>) { ctx.getStateStore('counts'); },
    process() {},
  }), Named.as('peeker'));
  const e = t.throws(() => compile(b.build(), [0], 0, new MemorySink()), { instanceOf: StreamsError });
  t.regex(e!.message, /'peeker' has no access to store 'counts'/);
  t.regex(e!.message, /stores: \['counts'\]/);
});
