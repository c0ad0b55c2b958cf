// An aggregation that emits on window close, stopped and started again on the real broker (as on the embedded log:
// test/embedded-emit-final-restart.test.ts): the window close time of its last emit is committed with the input
// offsets in the task's processor metadata, as Kafka Streams commits it (under the store's name), and read back by the
// next instance — so the finals emitted across both runs are those one uninterrupted run emits, none twice.
import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, TimeWindows, type Topology } from '@ts-streams/dsl';
import { KafkaStreams } from '@ts-streams/runtime';
import { readTopicPartitionMetadata } from '../src/task/topic-partition-metadata.ts';
import { kafkaTest } from './kafka-test.ts';
import { appFixture } from './app-fixture.ts';

/** Timestamps near now (the broker's retention runs on them), from a whole minute (the window store's segments). */
const BASE = Math.floor((Date.now() - 120_000) / 60_000) * 60_000;

/** A count per key in tumbling windows of 10 s, no grace, emitted once each window closes: "key@start=count". */
function finalCounts(input: string, output: string): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream(input, Consumed.with(s, s))
    .groupByKey()
    .windowedBy(TimeWindows.ofSizeWithNoGrace(10_000))
    .emitStrategy('on-window-close')
    .count(Materialized.as('counts'))
    .toStream()
    .map((w, n) => ({ key: w.key, value: `${w.key}@${w.window.start - BASE}=${n}` }))
    .to(output, Produced.with(s, s));
  return b.build();
}

const at = (key: string, time: number) => ({ partition: 0, key, value: key, timestamp: String(BASE + time) });
// a and b in [0 s, 10 s); a at 12 s closes it; a at 15 s; b at 25 s closes [10 s, 20 s).
const FIRST = [at('a', 1000), at('b', 2000), at('a', 12_000), at('a', 15_000)];
const SECOND = [at('b', 25_000)];

kafkaTest('an emit-on-window-close count stopped and started again emits each closed window once, its last emit committed as Kafka Streams commits it', async (t, broker) => {
  const f = await appFixture(t, broker, { in: 1, out: 1 });
  const [input, output] = [f.topic('in'), f.topic('out')];
  // emitIntervalMs 0: closed windows are looked for on every record (1000 ms of wall clock otherwise, as Kafka Streams).
  const config = { applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, commitIntervalMs: 100, emitIntervalMs: { onWindowClose: 0 } };
  const run = async (name: string) => {
    const app = new KafkaStreams(finalCounts(input, output), config, { log: (l) => t.log(`${name}: ${l}`) });
    t.teardown(() => app.close());
    await app.start();
    await f.untilCommitted([input]);
    await app.close();
    t.is(app.error, undefined, String(app.error));
  };

  await f.produce(input, FIRST);
  await run('1st');
  t.deepEqual((await f.readAll(output)).map((r) => r.value), ['a@0=1', 'b@0=1']);
  const [committed] = await f.admin.fetchOffsets({ groupId: f.applicationId, topics: [input] });
  const metadata = readTopicPartitionMetadata(committed!.partitions[0]!.metadata);
  t.deepEqual([metadata.partitionTime, [...metadata.processorMetadata]], [BASE + 15_000, [['counts', BASE + 12_000]]], "the last emit's window close time under the store's name");

  await f.produce(input, SECOND);
  await run('2nd');
  // What one uninterrupted run emits (test/embedded-emit-final-restart.test.ts runs that): [0 s, 10 s) not again.
  t.deepEqual((await f.readAll(output)).map((r) => r.value), ['a@0=1', 'b@0=1', 'a@10000=2']);
});
