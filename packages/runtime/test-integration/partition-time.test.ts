// The partition time committed with each input offset, as Kafka Streams commits it (its TopicPartitionMetadata), on
// the real broker: a restart — or Kafka Streams taking the application over, examples/kafka-streams-migration —
// starts each partition from it, so stream time does not go back to the first record read after the restart.
import { StreamsBuilder, Serdes, Consumed, Produced, type ProcessorContext, type Topology } from '@ts-streams/dsl';
import { KafkaStreams } from '@ts-streams/runtime';
import { kafkaTest } from './kafka-test.ts';
import { appFixture } from './app-fixture.ts';

/** Each record's value and the task's stream time when it was processed. */
function streamTimes(input: string, output: string): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream(input, Consumed.with(s, s))
    .process<string, string>(() => {
      let ctx: ProcessorContext<string, string>;
      return {
        init(c) { ctx = c; },
        process(r) { ctx.forward({ ...r, value: `${r.value} at stream time ${ctx.currentStreamTimeMs() - BASE}` }); },
      };
    })
    .to(output, Produced.with(s, s));
  return b.build();
}

/** Timestamps near now: the broker's retention runs on them. */
const BASE = Date.now() - 60_000;

/** Kafka Streams' committed metadata for a partition time: base64 of version 2 and the time (8 bytes, big-endian). */
function kafkaStreamsMetadata(partitionTime: number): string {
  const b = Buffer.alloc(9);
  b[0] = 2;
  b.writeBigInt64BE(BigInt(partitionTime), 1);
  return b.toString('base64');
}

kafkaTest('the partition time is committed with the offsets as Kafka Streams commits it, and a restart resumes stream time from it', async (t, broker) => {
  const f = await appFixture(t, broker, { in: 2, out: 2 });
  const [input, output] = [f.topic('in'), f.topic('out')];
  const config = { applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, commitIntervalMs: 100 };
  const at = (partition: number, value: string, time: number) => ({ partition, key: value, value, timestamp: String(BASE + time) });

  await f.produce(input, [at(0, 'a', 1000), at(0, 'b', 5000), at(0, 'c', 3000), at(1, 'd', 2000)]);
  const first = new KafkaStreams(streamTimes(input, output), config, { log: (l) => t.log(`1st: ${l}`) });
  t.teardown(() => first.close());
  await first.start();
  await f.untilCommitted([input]);
  await first.close();
  t.is(first.error, undefined, String(first.error));
  const [committed] = await f.admin.fetchOffsets({ groupId: f.applicationId, topics: [input] });
  t.deepEqual(
    committed!.partitions.sort((a, b) => a.partition - b.partition).map((p) => ({ partition: p.partition, offset: p.offset, metadata: p.metadata })),
    [{ partition: 0, offset: '3', metadata: kafkaStreamsMetadata(BASE + 5000) }, { partition: 1, offset: '1', metadata: kafkaStreamsMetadata(BASE + 2000) }],
    "each partition's largest timestamp committed with its offset, in Kafka Streams' format",
  );

  // Records older than what each partition already saw: their tasks' stream time stays where it was.
  await f.produce(input, [at(0, 'late', 4000), at(1, 'later', 1500)]);
  const second = new KafkaStreams(streamTimes(input, output), config, { log: (l) => t.log(`2nd: ${l}`) });
  t.teardown(() => second.close());
  await second.start();
  await f.untilCommitted([input]);
  await second.close();
  t.is(second.error, undefined, String(second.error));
  t.deepEqual((await f.readAll(output)).map((r) => r.value).sort(), [
    'a at stream time 1000', 'b at stream time 5000', 'c at stream time 5000', 'd at stream time 2000',
    'late at stream time 5000', 'later at stream time 2000',
  ]);
});
