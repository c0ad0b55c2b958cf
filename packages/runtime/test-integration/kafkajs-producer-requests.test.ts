// The producer of the adapter under test (KAFKA_TEST_CLIENT) writes what one request could not: sends larger than a
// topic's max.message.bytes go out as several requests, in order, with the offsets of the last records; a record that
// is too large by itself fails with the fix in its message.
import { randomUUID } from 'node:crypto';
import { kafkaTest } from './kafka-test.ts';
import { createTopics } from './app-fixture.ts';
import type { ProducerRecord } from '../src/client/kafka-producer.ts';
import { ClientError } from '../src/errors/client-error.ts';

kafkaTest('sends of several MiB to one partition are written in several requests, in order; a record too large alone is refused with the fix', async (t, broker) => {
  const topic = `producer-requests-${randomUUID()}`;
  const kafka = broker.kafka('producer-requests-test');
  const admin = kafka.admin();
  await admin.connect();
  t.teardown(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });
  // The broker's default max.message.bytes (1 MiB), said explicitly: what one partition's batch in a request may be.
  await createTopics(admin, [[topic, 1, { 'max.message.bytes': '1048588' }]]);

  const client = broker.seamClient('producer-requests-test');
  t.teardown(() => client.close());
  const producer = client.producer({});
  await producer.connect();
  const record = (i: number, bytes: number): ProducerRecord => ({
    topic, partition: 0, key: Buffer.from(`k${i}`), value: Buffer.alloc(bytes, i % 256), timestamp: 1_000 + i, headers: [{ key: 'i', value: Buffer.from(String(i)) }],
  });
  // 3,000 records of 1 KiB: about 3 MiB in one send, and two more sends queued behind it (merged with it).
  const sends = [
    producer.send(Array.from({ length: 3_000 }, (_, i) => record(i, 1_024))),
    producer.send(Array.from({ length: 500 }, (_, i) => record(3_000 + i, 1_024))),
    producer.send([record(3_500, 10)]),
  ];
  t.deepEqual(await Promise.all(sends), [[{ topic, partition: 0, offset: 2_999 }], [{ topic, partition: 0, offset: 3_499 }], [{ topic, partition: 0, offset: 3_500 }]]);
  await producer.flush();

  // Every record there once, in order.
  const seen: number[] = [];
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  t.teardown(() => consumer.disconnect());
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let all!: () => void;
  const done = new Promise<void>((resolve) => (all = resolve));
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push(Number(message.headers!.i!.toString()));
      if (seen.length === 3_501) all();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, 30_000)))]);
  clearTimeout(timer);
  t.deepEqual(seen, Array.from({ length: 3_501 }, (_, i) => i));

  // One record of 2 MiB cannot be split: refused, saying what to change.
  const error = await t.throwsAsync(producer.send([record(9_999, 2 * 1024 * 1024)]), { instanceOf: ClientError });
  t.is(error!.reason, 'fatal');
  t.regex(error!.message, new RegExp(`^Producing 1 records to ${topic} failed \\(fatal\\): .* — a record is larger than the topic accepts: raise max\\.message\\.bytes of ${topic}`));
  t.deepEqual(error!.partitions, [{ topic, partition: 0 }]);
});
