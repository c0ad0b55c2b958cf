// Our Fetch decoding (src/client/kafkajs/kafkajs-fast-fetch.ts) on real fetched data: what the adapter's group
// consumer and assigned consumer read is what kafkajs's own consumer reads of the same topics — gzip and plain
// batches, headers, null keys and values, LogAppendTime — and transactions are read as Java's consumer reads them:
// read_committed leaves out aborted transactions and the markers, read_uncommitted only the markers, and both reach
// the end of the partition (past the last marker). Other kafkajs clients in the process keep kafkajs's decoder. A
// batch whose bytes changed on the broker's disk fails its CRC check: our consumers stop naming it.
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { CompressionTypes, Kafka, logLevel, type Cluster, type KafkaMessage } from 'kafkajs';
import { startBroker } from '../../../scripts/kafka/start-broker.ts';
import { stopBroker } from '../../../scripts/kafka/stop-broker.ts';
import { clientUnderTest, kafkaTest, seamClient, type TestBroker } from './kafka-test.ts';
import { createTopics, until } from './app-fixture.ts';
import type { KafkaClient } from '../src/client/kafka-client.ts';
import { fromKafkajsMessage } from '../src/client/kafkajs/kafkajs-records.ts';
import { decodeFetchesOf, decodedPartitionOf } from '../src/client/kafkajs/kafkajs-fast-fetch.ts';
import { kafkajsCluster } from '../src/client/kafkajs/kafkajs-cluster.ts';
import type { AssignedConsumer } from '../src/client/assigned-consumer.ts';
import type { GroupAssignor, GroupSnapshot, MemberAssignment } from '../src/client/group-assignor.ts';
import type { RawRecord } from '../src/io/raw-record.ts';
import { ClientError } from '../src/errors/client-error.ts';

/** Everything to the first member (one member here). */
class AllToOne implements GroupAssignor {
  readonly name = 'ts-streams-test-all-to-one';
  readonly version = 1;
  subscriptionUserData(): Uint8Array {
    return new Uint8Array(0);
  }
  assign(group: GroupSnapshot): ReadonlyMap<string, MemberAssignment> {
    const partitions = [...group.partitionsPerTopic].flatMap(([topic, n]) => Array.from({ length: n }, (_, partition) => ({ topic, partition })));
    return new Map(group.members.map((m, i) => [m.memberId, { partitions: i === 0 ? partitions : [], userData: new Uint8Array(0) }]));
  }
}

type Read = Map<string, ReturnType<typeof summary>[]>;
const key = (topic: string, partition: number) => `${topic}-${partition}`;

function summary(r: RawRecord) {
  return {
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key === null ? null : Buffer.from(r.key).toString(),
    value: r.value === null ? null : Buffer.from(r.value).toString(),
    headers: r.headers.map((h) => [h.key, h.value === null ? null : Buffer.from(h.value).toString()]),
  };
}

/** The adapter under test (KAFKA_TEST_CLIENT): the kafkats adapter's own decoding is held to the same reading. */
function adapter(t: ExecutionContext, broker: TestBroker): KafkaClient {
  const made = broker.seamClient('fetch-decoding-test');
  t.teardown(() => made.close());
  return made;
}

async function cleanup(broker: TestBroker, topics: string[], groups: string[]): Promise<void> {
  const admin = broker.kafka('fetch-decoding-cleanup').admin();
  await admin.connect();
  await admin.deleteGroups(groups).catch(() => undefined);
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}

/** The ends of the partitions (high watermarks), read with kafkajs's admin. */
async function endsOf(kafka: Kafka, topics: readonly string[]): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  for (const topic of topics) for (const o of await admin.fetchTopicOffsets(topic)) ends.set(key(topic, o.partition), Number(o.high));
  await admin.disconnect();
  return ends;
}

/** Our assigned consumer from the start of every partition until each reported lag 0 at its end; small polls. */
async function readAssigned(consumer: AssignedConsumer, ends: ReadonlyMap<string, number>): Promise<Read> {
  await consumer.connect();
  const partitions = [...ends.keys()].map((k) => {
    const i = k.lastIndexOf('-');
    return { topic: k.slice(0, i), partition: Number(k.slice(i + 1)) };
  });
  consumer.assign(partitions);
  for (const tp of partitions) consumer.seek(tp, 'earliest');
  const read: Read = new Map(partitions.map((tp) => [key(tp.topic, tp.partition), []]));
  const done = new Set<string>();
  const deadline = Date.now() + 60_000;
  while (done.size < partitions.length) {
    if (Date.now() > deadline) throw new Error(`the assigned consumer did not reach the ends in 60 s: ${done.size} of ${partitions.length}`);
    for (const b of await consumer.poll({ maxRecords: 37, timeoutMs: 500 })) {
      const k = key(b.topic, b.partition);
      read.get(k)!.push(...b.records.map(summary));
      if (b.lag === 0 && b.nextOffset === ends.get(k)) done.add(k);
    }
  }
  await consumer.close();
  return read;
}

/** Our group consumer (a group of its own) until every partition's next offset is its end. */
async function readGroup(client: KafkaClient, groupId: string, isolation: 'read_committed' | 'read_uncommitted', ends: ReadonlyMap<string, number>): Promise<Read> {
  const consumer = client.groupConsumer({ groupId, assignor: new AllToOne(), offsetReset: () => 'earliest', isolation, maxBufferedRecords: 50 });
  const topics = [...new Set([...ends.keys()].map((k) => k.slice(0, k.lastIndexOf('-'))))];
  await consumer.subscribe(topics, { onRevoked: async () => {}, onLost: async () => {}, onAssigned: async () => {} });
  const read: Read = new Map([...ends.keys()].map((k) => [k, []]));
  const next = new Map<string, number>();
  const deadline = Date.now() + 60_000;
  while ([...ends].some(([k, end]) => (next.get(k) ?? 0) < end)) {
    if (Date.now() > deadline) throw new Error(`the group consumer did not reach the ends in 60 s: ${JSON.stringify([...next])} of ${JSON.stringify([...ends])}`);
    for (const b of await consumer.poll({ maxRecords: 41, timeoutMs: 500 })) {
      const k = key(b.topic, b.partition);
      read.get(k)!.push(...b.records.map(summary));
      next.set(k, b.nextOffset);
    }
  }
  await consumer.close();
  return read;
}

/** kafkajs's own consumer (its decoder, its filtering), until it has `counts` records of each partition. */
async function readKafkajs(kafka: Kafka, groupId: string, readUncommitted: boolean, counts: ReadonlyMap<string, number>): Promise<Read> {
  const consumer = kafka.consumer({ groupId, readUncommitted, maxWaitTimeInMs: 200 });
  await consumer.connect();
  const topics = [...new Set([...counts.keys()].map((k) => k.slice(0, k.lastIndexOf('-'))))];
  await consumer.subscribe({ topics, fromBeginning: true });
  const read: Read = new Map([...counts.keys()].map((k) => [k, []]));
  let reached!: () => void;
  const done = new Promise<void>((resolve) => (reached = resolve));
  const complete = () => [...counts].every(([k, n]) => read.get(k)!.length >= n);
  await consumer.run({
    eachBatch: async ({ batch }) => {
      read.get(key(batch.topic, batch.partition))!.push(...batch.messages.map((m: KafkaMessage) => summary(fromKafkajsMessage(m))));
      if (complete()) reached();
    },
  });
  if (complete()) reached();
  const timeout = setTimeout(reached, 60_000);
  await done;
  clearTimeout(timeout);
  await consumer.disconnect();
  if (!complete()) throw new Error(`kafkajs's consumer did not read every record in 60 s`);
  return read;
}

const counts = (read: Read) => new Map([...read].map(([k, records]) => [k, records.length]));

kafkaTest('our fetch decoding reads what kafkajs reads: gzip and plain batches, headers, null keys and values, LogAppendTime', async (t, broker) => {
  const id = randomUUID();
  const topic = `fetch-decoding-${id}`;
  const appendTime = `fetch-decoding-append-${id}`;
  const groups = [`fetch-decoding-ours-${id}`, `fetch-decoding-kafkajs-${id}`];
  t.teardown(() => cleanup(broker, [topic, appendTime], groups));
  const kafka = broker.kafka('fetch-decoding');
  const admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, [[topic, 2], [appendTime, 1, { 'message.timestamp.type': 'LogAppendTime' }]]);
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const before = Date.now();
  for (let send = 0; send < 6; send++) {
    const messages = Array.from({ length: 300 }, (_, j) => {
      const i = send * 300 + j;
      return {
        partition: i % 2,
        key: i % 17 === 0 ? null : `key-${i}`,
        value: i % 23 === 0 ? null : `value-${i}-${'x'.repeat(i % 50)}`,
        timestamp: String(1_700_000_000_000 + i * 1000),
        ...(i % 5 === 0 ? { headers: { h: ['1', `${i}`], e: '' } } : {}),
      };
    });
    await producer.send({ topic, messages, compression: send % 2 === 0 ? CompressionTypes.GZIP : CompressionTypes.None });
  }
  await producer.send({ topic: appendTime, messages: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, timestamp: '1000' })) });
  await producer.disconnect();

  const ends = await endsOf(kafka, [topic, appendTime]);
  t.deepEqual([...ends.values()], [900, 900, 50]);
  const theirs = await readKafkajs(kafka, groups[1]!, true, ends);
  const assigned = await readAssigned(adapter(t, broker).assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 100 }), ends);
  const group = await readGroup(adapter(t, broker), groups[0]!, 'read_uncommitted', ends);
  for (const k of ends.keys()) {
    t.deepEqual(assigned.get(k), theirs.get(k), `the assigned consumer on ${k}`);
    t.deepEqual(group.get(k), theirs.get(k), `the group consumer on ${k}`);
  }
  const p0 = theirs.get(key(topic, 0))!;
  t.like(p0[0], { offset: 0, key: null, value: null, timestamp: 1_700_000_000_000, headers: [['h', '1'], ['h', '0'], ['e', '']] });
  const appended = theirs.get(key(appendTime, 0))!;
  t.true(appended.every((r) => r.timestamp >= before - 60_000 && r.timestamp === appended[0]!.timestamp), 'LogAppendTime: the broker\'s time, one per batch');
});

kafkaTest('transactions: read_committed leaves out aborted transactions and markers, read_uncommitted only markers; both reach the end', async (t, broker) => {
  const id = randomUUID();
  const topic = `fetch-decoding-txn-${id}`;
  const groups = [`fetch-decoding-txn-committed-${id}`, `fetch-decoding-txn-uncommitted-${id}`, `fetch-decoding-txn-kafkajs-${id}`];
  t.teardown(() => cleanup(broker, [topic], groups));
  const kafka = broker.kafka('fetch-decoding-txn');
  const admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, [[topic, 1]]);
  await admin.disconnect();
  const plain = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const transactional = kafka.producer({ transactionalId: `fetch-decoding-${id}`, idempotent: true, maxInFlightRequests: 1 });
  await plain.connect();
  await transactional.connect();
  const send = (producer: { send: typeof plain.send }, values: string[]) => producer.send({ topic, messages: values.map((value) => ({ key: value, value })) });
  const values = (prefix: string, from: number, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${from + i}`);
  await send(plain, values('plain', 0, 3));
  let txn = await transactional.transaction();
  await send(txn, values('committed', 0, 5));
  await txn.commit();
  txn = await transactional.transaction();
  await send(txn, values('aborted', 0, 3));
  await send(plain, values('plain', 3, 1)); // inside the open (later aborted) transaction's offsets
  await send(txn, values('aborted', 3, 2));
  await txn.abort();
  txn = await transactional.transaction();
  await send(txn, values('committed', 5, 2));
  await txn.commit();
  await plain.disconnect();
  await transactional.disconnect();

  // A commit's markers are written by the transaction coordinator after EndTxn answers: the end (kafkajs's admin
  // reads the last stable offset) may stop at the last transaction's start for a moment — wait for the markers.
  let ends = await endsOf(kafka, [topic]);
  await until('the last transaction\'s commit marker in the log', async () => {
    ends = await endsOf(kafka, [topic]);
    return ends.get(key(topic, 0)) === 16 + 3; // 16 records, 3 markers
  }, 30_000, () => `end ${ends.get(key(topic, 0))}`).catch(() => undefined);
  const committed = [...values('plain', 0, 3), ...values('committed', 0, 5), ...values('plain', 3, 1), ...values('committed', 5, 2)];
  const everything = [...values('plain', 0, 3), ...values('committed', 0, 5), ...values('aborted', 0, 3), ...values('plain', 3, 1), ...values('aborted', 3, 2), ...values('committed', 5, 2)];
  t.is(ends.get(key(topic, 0)), everything.length + 3, 'three transaction markers in the log');

  const valuesOf = (read: Read) => read.get(key(topic, 0))!.map((r) => r.value);
  const readCommitted = await readAssigned(adapter(t, broker).assignedConsumer({ isolation: 'read_committed', maxBufferedRecords: 100 }), ends);
  t.deepEqual(valuesOf(readCommitted), committed, 'assigned consumer, read_committed');
  const readUncommitted = await readAssigned(adapter(t, broker).assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 100 }), ends);
  t.deepEqual(valuesOf(readUncommitted), everything, 'assigned consumer, read_uncommitted');
  const groupCommitted = await readGroup(adapter(t, broker), groups[0]!, 'read_committed', ends);
  t.deepEqual(groupCommitted, readCommitted, 'group consumer, read_committed');
  const groupUncommitted = await readGroup(adapter(t, broker), groups[1]!, 'read_uncommitted', ends);
  t.deepEqual(groupUncommitted, readUncommitted, 'group consumer, read_uncommitted');
  const theirs = await readKafkajs(kafka, groups[2]!, false, counts(readCommitted));
  t.deepEqual(theirs, readCommitted, 'kafkajs\'s own read_committed consumer reads the same');
});

kafkaTest('only the clusters registered with decodeFetchesOf get our decoding: other kafkajs clients in the process keep kafkajs\'s', async (t, broker) => {
  const topic = `fetch-decoding-scope-${randomUUID()}`;
  t.teardown(() => cleanup(broker, [topic], []));
  const kafka = broker.kafka('fetch-decoding-scope');
  const admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, [[topic, 1]]);
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
  await producer.disconnect();

  const fetchFrom = async (cluster: Cluster) => {
    await cluster.connect();
    await cluster.addMultipleTargetTopics([topic]);
    const leader = Object.keys(cluster.findLeaderForPartitions(topic, [0]))[0]!;
    const b = await cluster.findBroker({ nodeId: leader });
    const { responses } = (await b.fetch({
      isolationLevel: 0, maxWaitTime: 100, minBytes: 1, maxBytes: 1 << 20, topics: [{ topic, partitions: [{ partition: 0, fetchOffset: '1', maxBytes: 1 << 20 }] }],
    })) as { responses: { partitions: object[] }[] };
    await cluster.disconnect();
    return responses[0]!.partitions[0]!;
  };
  const ours = kafkajsCluster(kafka, 'read_uncommitted');
  const end = decodeFetchesOf(ours);
  t.teardown(end);
  const decoded = decodedPartitionOf(await fetchFrom(ours));
  t.truthy(decoded, 'a registered cluster\'s fetch is decoded by ours');
  const records: RawRecord[] = [];
  decoded!.records.read(10, records);
  t.deepEqual(records.map(summary).map((r) => [r.offset, r.key, r.value]), [[1, 'b', '2']]);
  t.is(decoded!.nextOffset, 2);

  const other = await fetchFrom(kafkajsCluster(kafka, 'read_uncommitted'));
  t.is(decodedPartitionOf(other), undefined, 'an unregistered cluster\'s fetch is kafkajs\'s');
  t.deepEqual((other as { messages: KafkaMessage[] }).messages.map((m) => [m.offset, m.key!.toString()]), [['0', 'a'], ['1', 'b']], 'kafkajs\'s messages, from the batch start');
});

/** The first file named `name` under `dir`, searched depth first. */
function findFile(dir: string, name: string, inDir: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    if (entry.name === inDir) return join(path, name);
    const found = findFile(path, name, inDir);
    if (found !== undefined) return found;
  }
  return undefined;
}

kafkaTest('a record batch whose bytes changed on the broker\'s disk fails its CRC check: our consumers stop naming the partition and offset', async (t) => {
  // A broker of the test's own: the test changes a byte of its log segment on disk (the broker does not check what it
  // serves; kafkajs's own decoder, which checks no CRC, hands the changed bytes on).
  t.timeout(150_000);
  const id = randomUUID().slice(0, 8);
  const broker = await startBroker({ name: `corrupt-${id}`, log: (l) => t.log(l) });
  t.teardown(() => stopBroker(broker).then(() => undefined));
  const kafka = new Kafka({ clientId: `corrupt-${id}`, brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const topic = `corrupt-${id}`;
  const admin = kafka.admin();
  await admin.connect();
  await createTopics(admin, [[topic, 1]]);
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `fine-${i}` })) });
  await producer.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ key: `k${5 + i}`, value: i === 2 ? 'CHANGE-ME' : `fine-${5 + i}` })) });
  await producer.disconnect();

  const segment = findFile(broker.dir, '00000000000000000000.log', `${topic}-0`);
  t.truthy(segment, 'the partition\'s first log segment');
  const at = readFileSync(segment!).indexOf('CHANGE-ME');
  t.true(at > 0);
  const fd = openSync(segment!, 'r+');
  writeSync(fd, Buffer.from('X'), 0, 1, at);
  closeSync(fd);

  const client = seamClient(clientUnderTest, [broker.bootstrap], 'corrupt-test');
  t.teardown(() => client.close());
  const expected = new RegExp(`${topic}-0 at offset 5 is corrupt`);
  const assigned = client.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 100 });
  await assigned.connect();
  assigned.assign([{ topic, partition: 0 }]);
  assigned.seek({ topic, partition: 0 }, 'earliest');
  const fromAssigned = await t.throwsAsync(async () => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) await assigned.poll({ maxRecords: 100, timeoutMs: 500 });
  }, { instanceOf: ClientError });
  t.regex(fromAssigned!.message, expected);
  t.is((fromAssigned as ClientError).reason, 'fatal');
  await assigned.close();

  const group = client.groupConsumer({ groupId: `corrupt-${id}`, assignor: new AllToOne(), offsetReset: () => 'earliest', isolation: 'read_uncommitted', maxBufferedRecords: 100 });
  await group.subscribe([topic], { onRevoked: async () => {}, onLost: async () => {}, onAssigned: async () => {} });
  const fromGroup = await t.throwsAsync(async () => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) await group.poll({ maxRecords: 100, timeoutMs: 500 });
  }, { instanceOf: ClientError });
  t.regex(fromGroup!.message, expected);
  await group.close();

  // kafkajs's own consumer reads the changed value as if nothing happened.
  const theirs = await readKafkajs(kafka, `corrupt-kafkajs-${id}`, true, new Map([[key(topic, 0), 10]]));
  t.is(theirs.get(key(topic, 0))![7]!.value, 'XHANGE-ME');
});
