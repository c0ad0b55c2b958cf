// ProducerRecordSink on the real broker: records sent faster than the producer acknowledges them pile up in the
// sink; backlog(limit) is the round loop's backpressure — it resolves once at most `limit` records are unacknowledged.
import { randomUUID } from 'node:crypto';
import { kafkaTest } from './kafka-test.ts';
import { createTopics } from './app-fixture.ts';
import { ProducerRecordSink } from '../src/app/producer-record-sink.ts';

kafkaTest('backlog(limit) waits until the producer is at most limit records behind; flush acknowledges everything', async (t, broker) => {
  const topic = `sink-backlog-${randomUUID()}`;
  const client = broker.seamClient('sink-backlog-test');
  t.teardown(() => client.close());
  const kafka = broker.kafka('sink-backlog-admin');
  const admin = kafka.admin();
  await admin.connect();
  t.teardown(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });
  await createTopics(admin, [[topic, 2]]);
  const producer = client.producer({});
  await producer.connect();
  const sink = new ProducerRecordSink(producer, { partitions: new Map([[topic, 2]]), batchSize: 100, maxInFlight: 2 });
  const TOTAL = 20_000;
  const value = Buffer.alloc(100, 1);
  for (let i = 0; i < TOTAL; i++) sink.send({ topic, partition: undefined, key: Buffer.from(`k${i}`), value, timestamp: 1_000, headers: [] });
  t.true(sink.pending > 1_000, `${sink.pending} pending right after the sends`);
  const behind = sink.backlog(1_000);
  t.not(behind, undefined, 'more than the limit behind: there is something to wait for');
  await behind;
  t.true(sink.pending <= 1_000, `${sink.pending} pending after backlog(1000)`);
  t.is(sink.backlog(1_000), undefined, 'within the limit: nothing to wait for');
  await sink.flush();
  t.is(sink.pending, 0);
  t.is(sink.acknowledged, TOTAL);
  const ends = await admin.fetchTopicOffsets(topic);
  t.is(ends.reduce((n, p) => n + Number(p.high), 0), TOTAL);
  await producer.close();
});
