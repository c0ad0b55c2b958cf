// The client seam's admin, producer and assigned consumer against the real broker, for the adapter under test
// (KAFKA_TEST_CLIENT: kafkajs, src/client/kafkajs/, or @kafkats/client, src/client/kafkats/): the admin round trip, the
// producer's acknowledged offsets, and the assigned consumer (restoration's and global tables' reader).
import { randomUUID } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import { kafkaTest, type TestBroker } from './kafka-test.ts';
import type { KafkaClient } from '../src/client/kafka-client.ts';
import type { ProducerRecord } from '../src/client/kafka-producer.ts';
import type { AssignedConsumer } from '../src/client/assigned-consumer.ts';
import type { FetchedPartition } from '../src/client/fetched-partition.ts';
import { ClientError } from '../src/errors/client-error.ts';
import { defaultPartition } from '../src/io/murmur2.ts';

function client(t: ExecutionContext, broker: TestBroker): KafkaClient {
  const made = broker.seamClient('client-adapter-test');
  t.teardown(() => made.close());
  return made;
}


function record(topic: string, partitions: number, key: string, value: string): ProducerRecord {
  const keyBytes = Buffer.from(key);
  return { topic, partition: defaultPartition(keyBytes, partitions), key: keyBytes, value: Buffer.from(value), timestamp: 1_000, headers: [] };
}

kafkaTest('admin: create (partitions, configs, already existing), describe, list offsets, delete records', async (t, broker) => {
  const kafka = client(t, broker);
  const admin = kafka.admin();
  await admin.connect();
  const plain = `kafkajs-admin-${randomUUID()}`;
  const compacted = `kafkajs-admin-compact-${randomUUID()}`;
  const missing = `kafkajs-admin-missing-${randomUUID()}`;
  t.teardown(() => deleteTopics(broker, [plain, compacted]));

  const created = await admin.createTopics([
    { name: plain, partitions: 3, configs: {} },
    { name: compacted, partitions: 2, configs: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '100' } },
  ]);
  t.deepEqual([...created].sort(), [plain, compacted].sort());
  // Another instance created them meanwhile: not an error, and not in the result.
  t.deepEqual(await admin.createTopics([{ name: plain, partitions: 3, configs: {} }]), []);

  const described = await admin.describeTopics([plain, compacted, missing]);
  t.is(described.get(plain)?.partitions, 3);
  t.deepEqual(described.get(plain)?.configs, {});
  t.is(described.get(compacted)?.partitions, 2);
  t.deepEqual(described.get(compacted)?.configs, { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '100' });
  t.true(described.has(missing));
  t.is(described.get(missing), undefined);

  // 10 records into partition 1 of `plain`.
  const producer = kafka.producer({});
  await producer.connect();
  const acked = await producer.send(
    Array.from({ length: 10 }, (_, i) => ({ topic: plain, partition: 1, key: null, value: Buffer.from(String(i)), timestamp: i, headers: [] })),
  );
  t.deepEqual(acked, [{ topic: plain, partition: 1, offset: 9 }]);
  const partitions = [0, 1, 2].map((partition) => ({ topic: plain, partition }));
  t.deepEqual((await admin.listOffsets(partitions, 'latest')).map((o) => o.offset), [0, 10, 0]);
  t.deepEqual((await admin.listOffsets(partitions, 'latest', { isolation: 'read_committed' })).map((o) => o.offset), [0, 10, 0]);
  t.deepEqual((await admin.listOffsets(partitions, 'earliest')).map((o) => o.offset), [0, 0, 0]);

  await admin.deleteRecords([{ topic: plain, partition: 1, offset: 4 }]);
  t.deepEqual(await admin.listOffsets([{ topic: plain, partition: 1 }], 'earliest'), [{ topic: plain, partition: 1, offset: 4 }]);

  const pastEnd = await t.throwsAsync(admin.deleteRecords([{ topic: plain, partition: 1, offset: 11 }]), { instanceOf: ClientError });
  t.is(pastEnd.reason, 'offset-out-of-range', pastEnd.message);
  t.deepEqual(pastEnd.partitions, [{ topic: plain, partition: 1 }]);

  const noPartition = await t.throwsAsync(admin.listOffsets([{ topic: plain, partition: 7 }], 'latest'), { instanceOf: ClientError });
  t.is(noPartition.reason, 'unknown-topic', noPartition.message);
  const noTopic = await t.throwsAsync(admin.listOffsets([{ topic: missing, partition: 0 }], 'latest'), { instanceOf: ClientError });
  t.is(noTopic.reason, 'unknown-topic', noTopic.message);
  t.false((await admin.describeTopics([missing])).get(missing) !== undefined, 'nothing auto-created');
});

kafkaTest('producer: batches in flight together, acknowledged offsets per partition, murmur2 partitions, order kept, headers and null keys and values', async (t, broker) => {
  const kafka = client(t, broker);
  const admin = kafka.admin();
  const topic = `kafkajs-producer-${randomUUID()}`;
  t.teardown(() => deleteTopics(broker, [topic]));
  await admin.createTopics([{ name: topic, partitions: 4, configs: {} }]);
  const producer = kafka.producer({});
  await producer.connect();

  // 8 sends of 500 in flight at once.
  const sends = Array.from({ length: 8 }, (_, send) =>
    Array.from({ length: 500 }, (_, i) => record(topic, 4, `key-${(send * 500 + i) % 97}`, String(send * 500 + i))),
  );
  const results = await Promise.all(sends.map((records) => producer.send(records)));
  await producer.flush();
  // Each send's last offset per partition is the running count of that partition's records so far, minus 1.
  const counts = new Map<number, number>();
  sends.forEach((records, send) => {
    const expected = new Map<number, number>();
    for (const r of records) {
      counts.set(r.partition, (counts.get(r.partition) ?? 0) + 1);
      expected.set(r.partition, counts.get(r.partition)! - 1);
    }
    t.deepEqual(
      results[send].map((o) => [o.partition, o.offset]).sort(),
      [...expected].sort(),
      `send ${send}'s acknowledged offsets`,
    );
  });
  const ends = await admin.listOffsets([0, 1, 2, 3].map((partition) => ({ topic, partition })), 'latest');
  t.deepEqual(ends.map((o) => o.offset), [0, 1, 2, 3].map((p) => counts.get(p) ?? 0));

  // Read back: each partition holds its keys in the order sent (the sends were written in call order).
  const consumer = kafka.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 10_000 });
  await consumer.connect();
  const all = [0, 1, 2, 3].map((partition) => ({ topic, partition }));
  consumer.assign(all);
  for (const tp of all) consumer.seek(tp, 'earliest');
  const read = await readToEnd(consumer, 4_000);
  for (const [partition, values] of read) {
    const expected = sends.flat().filter((r) => r.partition === partition).map((r) => Buffer.from(r.value!).toString());
    t.deepEqual(values.map((v) => v.value), expected, `partition ${partition}`);
  }
  await consumer.close();

  // Null key and value, headers (repeated keys keep their values' order), the record's own timestamp.
  const [acked] = await producer.send([
    {
      topic,
      partition: 2,
      key: null,
      value: null,
      timestamp: 1_234,
      headers: [
        { key: 'h', value: Buffer.from('1') },
        { key: 'h', value: Buffer.from('2') },
        { key: 'e', value: new Uint8Array(0) },
      ],
    },
  ]);
  const single = kafka.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 10 });
  single.assign([{ topic, partition: 2 }]);
  single.seek({ topic, partition: 2 }, acked.offset);
  const got = (await readToEnd(single, 1)).get(2)!;
  await single.close();
  t.is(got.length, 1);
  t.like(got[0], { offset: acked.offset, key: null, value: null, timestamp: 1_234 });
  t.deepEqual(
    got[0].headers.map((h) => [h.key, h.value === null ? null : Buffer.from(h.value).toString()]),
    [
      ['h', '1'],
      ['h', '2'],
      ['e', ''],
    ],
  );
  const nullHeader = { topic, partition: 2, key: null, value: null, timestamp: 1, headers: [{ key: 'n', value: null }] };
  if (broker.client === 'kafkajs') {
    // kafkajs cannot write a null header value: an error that says so, before anything is sent.
    const refused = await t.throwsAsync(producer.send([nullHeader]), { instanceOf: ClientError });
    t.regex(refused.message, /header 'n' with a null value/);
  } else {
    // The kafkats adapter writes its record batches itself: a null header value is written and read back as null.
    const [written] = await producer.send([nullHeader]);
    const reader = kafka.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 10 });
    reader.assign([{ topic, partition: 2 }]);
    reader.seek({ topic, partition: 2 }, written.offset);
    const [back] = (await readToEnd(reader, 1)).get(2)!;
    await reader.close();
    t.deepEqual(back!.headers, [{ key: 'n', value: null }]);
  }
  await producer.close();
});

kafkaTest('assigned consumer: reads from an offset to the end, reports lag 0 when caught up, seeks, out of range is an error naming the partition', async (t, broker) => {
  const kafka = client(t, broker);
  const admin = kafka.admin();
  const topic = `kafkajs-assigned-${randomUUID()}`;
  t.teardown(() => deleteTopics(broker, [topic]));
  await admin.createTopics([{ name: topic, partitions: 2, configs: {} }]);
  const producer = kafka.producer({});
  await producer.send(Array.from({ length: 100 }, (_, i) => ({ topic, partition: 0, key: null, value: Buffer.from(String(i)), timestamp: i, headers: [] })));

  const consumer = kafka.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 30 });
  await consumer.connect();
  const p0 = { topic, partition: 0 };
  const p1 = { topic, partition: 1 };
  consumer.assign([p0, p1]);
  t.is(consumer.position(p0), undefined, 'no position before a seek');
  consumer.seek(p0, 40);
  consumer.seek(p1, 'latest');

  // Polls of at most 25 records; the last entry of each partition says lag 0.
  const offsets: number[] = [];
  let lastOf = new Map<number, FetchedPartition>();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const batches = await consumer.poll({ maxRecords: 25, timeoutMs: 1_000 });
    t.true(batches.reduce((n, b) => n + b.records.length, 0) <= 25);
    for (const b of batches) {
      if (b.partition === 0) offsets.push(...b.records.map((r) => r.offset!));
      lastOf.set(b.partition, b);
    }
    if (lastOf.get(0)?.lag === 0 && lastOf.get(1)?.lag === 0 && offsets.length >= 60) break;
  }
  t.deepEqual(offsets, Array.from({ length: 60 }, (_, i) => 40 + i));
  t.like(lastOf.get(0), { nextOffset: 100, lag: 0 });
  t.like(lastOf.get(1), { records: [], nextOffset: 0, lag: 0 });
  t.is(consumer.position(p0), 100);
  t.is(consumer.position(p1), 0);

  // New records show up; a seek back re-reads.
  await producer.send([{ topic, partition: 0, key: null, value: Buffer.from('100'), timestamp: 100, headers: [] }]);
  consumer.seek(p0, 'earliest');
  lastOf = new Map();
  const again: number[] = [];
  while (!(lastOf.get(0)?.lag === 0 && again.length >= 101)) {
    for (const b of await consumer.poll({ maxRecords: 1_000, timeoutMs: 1_000 })) {
      if (b.partition === 0) again.push(...b.records.map((r) => r.offset!));
      lastOf.set(b.partition, b);
    }
  }
  t.deepEqual(again, Array.from({ length: 101 }, (_, i) => i));

  // Past the end: out of range, naming the partition; a seek recovers.
  consumer.seek(p0, 500);
  const error = await t.throwsAsync(
    (async () => {
      for (;;) await consumer.poll({ maxRecords: 10, timeoutMs: 1_000 });
    })(),
    { instanceOf: ClientError },
  );
  t.is(error.reason, 'offset-out-of-range', error.message);
  t.deepEqual(error.partitions, [p0]);
  // Below the log start after DeleteRecords: the same.
  await admin.deleteRecords([{ topic, partition: 0, offset: 50 }]);
  consumer.seek(p0, 10);
  const below = await t.throwsAsync(
    (async () => {
      for (;;) await consumer.poll({ maxRecords: 10, timeoutMs: 1_000 });
    })(),
    { instanceOf: ClientError },
  );
  t.is(below.reason, 'offset-out-of-range');
  consumer.seek(p0, 'earliest');
  const rest = await readToEnd(consumer, 1);
  t.is(rest.get(0)![0].offset, 50);
  await consumer.close();
  await producer.close();
});

kafkaTest("admin: list and delete topics, a group's committed offsets read and set (refused while the group has a member)", async (t, broker) => {
  const kafka = client(t, broker);
  const admin = kafka.admin();
  const topic = `kafkajs-admin-offsets-${randomUUID()}`;
  const gone = `kafkajs-admin-gone-${randomUUID()}`;
  const groupId = `kafkajs-admin-group-${randomUUID()}`;
  t.teardown(() => deleteTopics(broker, [topic, gone]));
  await admin.createTopics([{ name: topic, partitions: 2, configs: {} }, { name: gone, partitions: 1, configs: {} }]);
  const listed = await admin.listTopics();
  t.true(listed.includes(topic) && listed.includes(gone));

  await admin.deleteTopics([gone, `kafkajs-admin-never-${randomUUID()}`]);
  await poll(async () => !(await admin.listTopics()).includes(gone), 'the deleted topic is no longer listed');

  t.deepEqual(await admin.committedOffsets(groupId, [topic]), [], 'a group that never committed has no offsets');
  await admin.alterCommittedOffsets(groupId, [{ topic, partition: 0, offset: 0 }, { topic, partition: 1, offset: 0 }]);
  t.deepEqual([...(await admin.committedOffsets(groupId, [topic]))].sort((a, b) => a.partition - b.partition), [
    { topic, partition: 0, offset: 0 },
    { topic, partition: 1, offset: 0 },
  ]);

  // A running member: kafkajs's own consumer in the group.
  const member = broker.kafka('kafkajs-admin-member').consumer({ groupId });
  await member.connect();
  t.teardown(() => member.disconnect());
  await member.subscribe({ topics: [topic] });
  const joined = new Promise<void>((resolve) => member.on(member.events.GROUP_JOIN, () => resolve()));
  await member.run({ eachMessage: async () => {} });
  await joined;
  const refused = await t.throwsAsync(admin.alterCommittedOffsets(groupId, [{ topic, partition: 0, offset: 0 }]), { instanceOf: ClientError });
  t.is(refused.reason, 'fatal');
  t.regex(refused.message, /active member.*Stop every instance/);
});

/** Polls `condition` until it holds, for at most 30 s. */
async function poll(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within 30 s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Polls until every partition read reported lag 0 and at least `minRecords` came: records per partition. */
async function readToEnd(consumer: AssignedConsumer, minRecords: number): Promise<Map<number, { offset: number; key: Uint8Array | null; value: string | null; timestamp: number; headers: readonly { key: string; value: Uint8Array | null }[] }[]>> {
  const read = new Map<number, { offset: number; key: Uint8Array | null; value: string | null; timestamp: number; headers: readonly { key: string; value: Uint8Array | null }[] }[]>();
  const caughtUp = new Set<number>();
  let count = 0;
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    for (const b of await consumer.poll({ maxRecords: 2_000, timeoutMs: 500 })) {
      if (!read.has(b.partition)) read.set(b.partition, []);
      for (const r of b.records) {
        read.get(b.partition)!.push({ offset: r.offset!, key: r.key, value: r.value === null ? null : Buffer.from(r.value).toString(), timestamp: r.timestamp, headers: r.headers });
        count++;
      }
      if (b.lag === 0) caughtUp.add(b.partition);
      else caughtUp.delete(b.partition);
    }
    if (count >= minRecords && caughtUp.size === read.size && read.size > 0) return read;
  }
  throw new Error(`read ${count} records, not caught up within 15 s`);
}

async function deleteTopics(broker: TestBroker, topics: string[]): Promise<void> {
  const admin = broker.kafka('kafkajs-adapter-cleanup').admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}
