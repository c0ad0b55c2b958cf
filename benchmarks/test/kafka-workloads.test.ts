// The Kafka benchmarks' workload topologies build and do what their rows say (a few records through the test driver):
// a broken workload would otherwise only show when someone runs `npm run bench -- kafka-streams` against a broker.
// What the suite checks after a real run is what these assert: every record through, the counts summing to the
// input (times the windows per record), every order matched, the join's pairs.
import test from 'ava';
import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { HOPPING_ADVANCE_MS, HOPPING_WINDOW_MS, JOIN_WINDOW_MS, WORKLOADS, WINDOW_MS, workload, type WorkloadCounters, type WorkloadId } from '../src/kafka-workloads.ts';

const topics = { input: 'bench-in', input2: 'bench-in2', output: 'bench-out' };
const value = new Uint8Array(100).fill(7);
const counters = (): WorkloadCounters => ({ peeked: 0, matched: 0 });

function driver(id: WorkloadId, c = counters()) {
  return new TopologyTestDriver(workload(id).topology!(topics, c), { cacheMaxBytes: 0 });
}

function pipe(d: TopologyTestDriver, records: readonly [key: string, timestamp: number][], topic = topics.input) {
  const input = d.createInputTopic(topic, Serdes.String(), Serdes.ByteArray());
  for (const [key, timestamp] of records) input.pipeInput(key, value, timestamp);
}

test('W0, W0P and W0CP are raw client runs; every other workload is a topology reading its input topics', (t) => {
  for (const w of WORKLOADS) {
    if (w.id.startsWith('W0')) {
      t.is(w.topology, undefined, w.id);
      t.not(w.raw, undefined, w.id);
      continue;
    }
    const sources = w.topology!(topics, counters()).graph.nodes.flatMap((n) => (n.kind === 'source' ? [...n.topics] : []));
    t.deepEqual(sources, w.input2 === undefined ? [topics.input] : [topics.input, topics.input2], w.id);
  }
});

test('W1 source → peek writes nothing; W2 source → sink copies every record', async (t) => {
  const c = counters();
  const peek = driver('W1', c);
  pipe(peek, [['1', 0], ['2', 1]]);
  t.deepEqual(peek.producedTopicNames(), []);
  t.is(c.peeked, 2);
  await peek.close();

  const copy = driver('W2');
  pipe(copy, [['1', 0], ['2', 1]]);
  const out = copy.createOutputTopic(topics.output, Serdes.String(), Serdes.ByteArray()).readKeyValuesToList();
  t.deepEqual(out.map((r) => r.key), ['1', '2']);
  t.deepEqual(out[0]!.value, value);
  await copy.close();
});

test('W3 gets and puts each record in a key-value store; W4 fetches ±1 s of its window store and puts', async (t) => {
  const kv = driver('W3');
  pipe(kv, [['1', 0], ['2', 1], ['1', 2]]);
  t.deepEqual(kv.producedTopicNames().filter((n) => !n.endsWith('-changelog')), []);
  t.deepEqual(kv.getKeyValueStore<string, Uint8Array>('store').get('1'), value);
  t.deepEqual([...kv.getKeyValueStore<string, Uint8Array>('store').all()].map((e) => e.key), ['1', '2']);
  await kv.close();

  // On RocksDB too, as in the runs (the window store's segments from its 3 s retention).
  const windows = await TopologyTestDriver.create(workload('W4').topology!(topics, counters()), { cacheMaxBytes: 0 });
  pipe(windows, [['1', 10_000], ['1', 10_500], ['2', 10_600], ['1', 20_000]]);
  const store = windows.getWindowStore<string, Uint8Array>('store');
  t.deepEqual([...store.fetchRange('1', 0, 30_000)].map((e) => e.key), [20_000], 'windows older than the 3 s retention are gone');
  t.deepEqual([...store.fetchRange('2', 0, 30_000)].map((e) => e.key), []);
  await windows.close();
});

test('W5 counts per key; W6 per key and 5-minute window; W6H per key in the two 1 s windows each record falls in', async (t) => {
  const count = driver('W5');
  pipe(count, [['1', 0], ['2', 1], ['1', 2]]);
  t.deepEqual(count.createOutputTopic(topics.output, Serdes.String(), Serdes.Long()).readKeyValuesToList(), [
    { key: '1', value: 1 }, { key: '2', value: 1 }, { key: '1', value: 2 },
  ]);
  await count.close();

  const windowed = driver('W6');
  pipe(windowed, [['1', 0], ['1', WINDOW_MS - 1], ['1', WINDOW_MS]]);
  const out = windowed.createOutputTopic(topics.output, Serdes.timeWindowed(Serdes.String(), WINDOW_MS), Serdes.Long()).readKeyValuesToList();
  t.deepEqual(out.map((r) => [r.key!.key, r.key!.window.start, r.value]), [['1', 0, 1], ['1', 0, 2], ['1', WINDOW_MS, 1]]);
  await windowed.close();

  t.is(workload('W6H').windowsPerRecord, HOPPING_WINDOW_MS / HOPPING_ADVANCE_MS);
  const hopping = driver('W6H');
  pipe(hopping, [['1', 10_200], ['1', 10_700]]);
  const hops = hopping.createOutputTopic(topics.output, Serdes.timeWindowed(Serdes.String(), HOPPING_WINDOW_MS), Serdes.Long()).readKeyValuesToList();
  t.deepEqual(hops.map((r) => [r.key!.window.start, r.value]), [[9_500, 1], [10_000, 1], [10_000, 2], [10_500, 1]]);
  // What the suite checks: the final count of each (key, window), summed, is the records times the windows per record.
  const last = new Map(hops.map((r) => [r.key!.window.start, r.value]));
  t.is([...last.values()].reduce((a: number, b) => a + (b ?? 0), 0), 2 * workload('W6H').windowsPerRecord!);
  await hopping.close();
});

test('W7 enriches each order from the preloaded table (every order matched, one output each)', async (t) => {
  const c = counters();
  const join = driver('W7', c);
  pipe(join, [['0', 0], ['1', 1], ['2', 2]], topics.input2);
  pipe(join, [['1', 10], ['2', 11], ['1', 12], ['3', 13]]);
  const out = join.createOutputTopic(topics.output, Serdes.String(), Serdes.ByteArray()).readKeyValuesToList();
  t.deepEqual(out.map((r) => r.key), ['1', '2', '1', '3'], 'a left join: the order without a row goes through too');
  t.deepEqual(out[0]!.value, value);
  t.is(c.matched, 3);
  await join.close();
});

test('W8 emits each pair of same-key records of the two streams at most 10 s apart, once', async (t) => {
  const join = driver('W8');
  const left: [string, number][] = [['1', 1_000], ['1', 30_000], ['2', 31_000]];
  const right: [string, number][] = [['1', 1_000 + JOIN_WINDOW_MS], ['1', 12_000], ['2', 31_000 - JOIN_WINDOW_MS], ['1', 25_000]];
  // In timestamp order across both topics, as a task processes them.
  for (const [key, ts, topic] of [...left.map(([k, ts]) => [k, ts, topics.input] as const), ...right.map(([k, ts]) => [k, ts, topics.input2] as const)].sort((a, b) => a[1] - b[1])) {
    pipe(join, [[key, ts]], topic);
  }
  const out = join.createOutputTopic(topics.output, Serdes.String(), Serdes.ByteArray()).readRecordsToList();
  // key 1: 1,000↔11,000 and 30,000↔25,000 (12,000 is 11 s from 1,000, 18 s from 30,000); key 2: 31,000↔21,000
  t.deepEqual(out.map((r) => [r.key, r.timestamp]), [['1', 11_000], ['1', 30_000], ['2', 31_000]]);
  await join.close();
});
