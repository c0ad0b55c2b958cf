// The Kafka benchmark's workload topologies build and do what their rows say (a few records through the test driver):
// a broken workload would otherwise only show when someone runs `npm run bench -- kafka` against a broker.
import test from 'ava';
import { Serdes } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { WORKLOADS, WINDOW_MS, workload } from '../src/kafka-workloads.ts';

const topics = { input: 'bench-in', output: 'bench-out' };
const value = new Uint8Array(100);

function pipe(driver: TopologyTestDriver, records: readonly [key: string, timestamp: number][]) {
  const input = driver.createInputTopic(topics.input, Serdes.String(), Serdes.ByteArray());
  for (const [key, timestamp] of records) input.pipeInput(key, value, timestamp);
}

test('every workload but W0 (the raw consumer) has a topology reading the input topic', (t) => {
  for (const w of WORKLOADS) {
    if (w.id === 'W0') t.is(w.topology, undefined);
    else t.deepEqual(w.topology!(topics).graph.nodes.flatMap((n) => (n.kind === 'source' ? [...n.topics] : [])), [topics.input], w.id);
  }
});

test('W1 source → peek writes nothing; W2 source → sink copies every record', async (t) => {
  const peek = new TopologyTestDriver(workload('W1').topology!(topics));
  pipe(peek, [['1', 0], ['2', 1]]);
  t.deepEqual(peek.producedTopicNames(), []);
  await peek.close();

  const copy = new TopologyTestDriver(workload('W2').topology!(topics));
  pipe(copy, [['1', 0], ['2', 1]]);
  const out = copy.createOutputTopic(topics.output, Serdes.String(), Serdes.ByteArray()).readKeyValuesToList();
  t.deepEqual(out.map((r) => r.key), ['1', '2']);
  t.deepEqual(out[0]!.value, value);
  await copy.close();
});

test('W5 counts per key and W6 per key and 5-minute window', async (t) => {
  const count = new TopologyTestDriver(workload('W5').topology!(topics), { cacheMaxBytes: 0 });
  pipe(count, [['1', 0], ['2', 1], ['1', 2]]);
  t.deepEqual(count.createOutputTopic(topics.output, Serdes.String(), Serdes.Long()).readKeyValuesToList(), [
    { key: '1', value: 1 }, { key: '2', value: 1 }, { key: '1', value: 2 },
  ]);
  await count.close();

  const windowed = new TopologyTestDriver(workload('W6').topology!(topics), { cacheMaxBytes: 0 });
  pipe(windowed, [['1', 0], ['1', WINDOW_MS - 1], ['1', WINDOW_MS]]);
  const out = windowed.createOutputTopic(topics.output, Serdes.timeWindowed(Serdes.String(), WINDOW_MS), Serdes.Long()).readKeyValuesToList();
  t.deepEqual(out.map((r) => [r.key!.key, r.key!.window.start, r.value]), [['1', 0, 1], ['1', 0, 2], ['1', WINDOW_MS, 1]]);
  await windowed.close();
});
