// The test broker itself, through kafkajs (the runtime's client): what the runtime's tests rely on. Each run uses
// topics and a group of its own (a shared broker may hold others) and deletes its topics after.
import { randomUUID } from 'node:crypto';
import type { Admin, KafkaMessage } from 'kafkajs';
import type { ExecutionContext } from 'ava';
import { kafkaTest } from './kafka-test.ts';
import { createTopics } from './app-fixture.ts';

const RECORDS = 1_000;
const PARTITIONS = 4;
const KEYS = 50;
const SENDS = 10;

interface Received {
  partition: number;
  offset: number;
  key: string;
  seq: number;
}

kafkaTest('1,000 records over 4 partitions come back through a consumer group, each once, in order per partition', async (t, broker) => {
  const topic = `broker-test-${randomUUID()}`;
  const groupId = `broker-test-${randomUUID()}`;
  const kafka = broker.kafka('broker-test');
  const admin = await connectedAdmin(t, kafka.admin(), [topic]);
  await createTopics(admin, [[topic, PARTITIONS]]);

  // Sent in 10 awaited sends of 100 (acks from every in-sync replica, kafkajs's default): per partition, the
  // order of the sequence numbers is the order of production.
  // Idempotent: a plain kafkajs producer retries a request that timed out under load and may write it twice.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let send = 0; send < SENDS; send++) {
    const perSend = RECORDS / SENDS;
    const messages = Array.from({ length: perSend }, (_, i) => {
      const seq = send * perSend + i;
      return { key: `key-${seq % KEYS}`, value: String(seq) };
    });
    await producer.send({ topic, messages });
  }
  await producer.disconnect();

  const received: Received[] = [];
  const seen = new Set<number>();
  let allSeen!: () => void;
  const done = new Promise<void>((resolve) => (allSeen = resolve));
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500 });
  // What the group went through: one join is expected; a crash or rebalance would re-deliver uncommitted records.
  const groupEvents: string[] = [];
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
    groupEvents.push(`joined with ${JSON.stringify(payload.memberAssignment)} in ${payload.duration} ms`),
  );
  consumer.on(consumer.events.REBALANCING, () => groupEvents.push('rebalancing'));
  consumer.on(consumer.events.CRASH, ({ payload }) => groupEvents.push(`crashed: ${payload.error.message}`));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const record = decode(partition, message);
      received.push(record);
      seen.add(record.seq);
      if (seen.size === RECORDS) allSeen();
    },
  });
  const timedOut = await Promise.race([done.then(() => false), delay(60_000).then(() => true)]);
  // kafkajs commits each batch's offsets once it is processed; disconnect waits for the batch in progress.
  await consumer.disconnect();
  t.log(groupEvents.join('; '));
  t.false(timedOut, `only ${seen.size} of ${RECORDS} records arrived within 60 s`);

  // Each record exactly once.
  t.is(received.length, RECORDS, `a record arrived more than once; the group ${groupEvents.join('; ')}`);
  t.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: RECORDS }, (_, i) => i));

  // Per partition: offsets 0, 1, 2, … in arrival order, and the records in the order they were produced.
  const byPartition = new Map<number, Received[]>();
  for (const record of received) {
    if (!byPartition.has(record.partition)) byPartition.set(record.partition, []);
    byPartition.get(record.partition)!.push(record);
  }
  t.deepEqual([...byPartition.keys()].sort(), [0, 1, 2, 3], 'the 50 keys spread over all 4 partitions');
  for (const [partition, records] of byPartition) {
    t.deepEqual(records.map((r) => r.offset), records.map((_, i) => i), `offsets of partition ${partition}`);
    const seqs = records.map((r) => r.seq);
    t.deepEqual(seqs, [...seqs].sort((a, b) => a - b), `partition ${partition} is in production order`);
  }
  // A key's records all in one partition (the producer partitions by key).
  const partitionOfKey = new Map<string, Set<number>>();
  for (const r of received) partitionOfKey.set(r.key, (partitionOfKey.get(r.key) ?? new Set()).add(r.partition));
  t.true([...partitionOfKey.values()].every((partitions) => partitions.size === 1));

  // The group committed every partition's end offset: a consumer of the group that starts again reads nothing.
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const endOf = (partition: number) => ends.find((o) => o.partition === partition)?.high;
  t.deepEqual(
    committed.partitions.map((p) => [p.partition, p.offset]).sort(),
    [0, 1, 2, 3].map((partition) => [partition, endOf(partition)]),
  );
  t.is(ends.reduce((sum, o) => sum + Number(o.high), 0), RECORDS);
  await admin.deleteGroups([groupId]);
});

kafkaTest('topics are not auto-created: producing to a missing topic fails with UNKNOWN_TOPIC_OR_PARTITION, quickly, and creates nothing', async (t, broker) => {
  const topic = `broker-test-missing-${randomUUID()}`;
  const kafka = broker.kafka('broker-test');
  const admin = await connectedAdmin(t, kafka.admin(), []);
  // kafkajs asks the broker to create the topic (allowAutoTopicCreation defaults to true): the broker's setting refuses.
  const producer = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 2, initialRetryTime: 100 } });
  await producer.connect();
  const started = Date.now();
  const error = await t.throwsAsync(producer.send({ topic, messages: [{ key: 'k', value: 'v' }] }));
  const elapsed = Date.now() - started;
  await producer.disconnect();
  t.true(errorTypes(error).includes('UNKNOWN_TOPIC_OR_PARTITION'), `error chain: ${errorTypes(error).join(' ← ')}`);
  t.true(elapsed < 15_000, `failed after ${elapsed} ms`);
  t.log(`${errorTypes(error).join(' ← ')} after ${elapsed} ms`);
  t.false((await admin.listTopics()).includes(topic));
});

async function connectedAdmin(t: ExecutionContext, admin: Admin, topics: string[]): Promise<Admin> {
  await admin.connect();
  t.teardown(async () => {
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  });
  return admin;
}

function decode(partition: number, message: KafkaMessage): Received {
  return { partition, offset: Number(message.offset), key: message.key!.toString(), seq: Number(message.value!.toString()) };
}

/** The kafkajs error types (or names) along an error's cause chain: retries wrap the broker's error. */
function errorTypes(error: unknown): string[] {
  const types: string[] = [];
  for (let e = error as { type?: string; name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    types.push(e.type ?? e.name ?? String(e));
  }
  return types;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
