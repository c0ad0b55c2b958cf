// `streams produce`, `streams tail` and `streams topics` against the real broker, as a user runs them: the CLI's bin
// in a child process, each test on topics of its own.
import { randomUUID } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import { kafkaTest, type TestBroker } from './kafka-test.ts';
import { streams, startStreams } from '../test/cli-process.ts';
import { defaultPartition } from '../src/io/murmur2.ts';

interface TailedRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: unknown;
  value: unknown;
  headers: { key: string; value: string | null }[];
  keyError?: string;
  valueError?: string;
}

/** Creates the topics through the client seam's kafkajs admin (which waits out a new topic's metadata), deleted after. */
async function createTopics(t: ExecutionContext, broker: TestBroker, topics: Record<string, number>): Promise<void> {
  const client = broker.seamClient('cli-test-setup');
  const admin = client.admin();
  t.teardown(async () => {
    await admin.deleteTopics(Object.keys(topics)).catch(() => undefined);
    await client.close();
  });
  await admin.createTopics(Object.entries(topics).map(([name, partitions]) => ({ name, partitions, configs: {} })));
}

function parse(stdout: string): TailedRecord[] {
  return stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as TailedRecord);
}

kafkaTest('produce key<TAB>value lines; tail --from-beginning --max prints them as JSON lines, in their murmur2 partitions; topics lists the end offsets', async (t, broker) => {
  const topic = `cli-lines-${randomUUID()}`;
  await createTopics(t, broker, { [topic]: 3 });
  const b = ['--brokers', broker.brokers.join(','), '--client', broker.client];
  const lines = ['user-1\tclicked /home', 'user-2\tclicked /cart', 'a value with no key', '', 'user-1\tclicked /checkout'];
  const produced = await streams(['produce', topic, ...b], { input: `${lines.join('\n')}\n` });
  t.is(produced.code, 0, produced.stderr);
  const p = (key: string) => defaultPartition(Buffer.from(key), 3);
  t.regex(produced.stdout, new RegExp(`^Produced 4 records to ${topic} on Kafka at ${broker.brokers.join(',')} \\(partition \\d: \\d(, partition \\d: \\d)*\\)\\.\\n$`));
  t.regex(produced.stdout, new RegExp(`partition ${p('user-1')}: \\d`));

  const tailed = await streams(['tail', topic, '--from-beginning', '--max', '4', ...b]);
  t.is(tailed.code, 0, tailed.stderr);
  const records = parse(tailed.stdout);
  t.is(records.length, 4);
  for (const r of records) {
    t.is(r.topic, topic);
    t.deepEqual(r.headers, []);
    if (r.key !== null) t.is(r.partition, p(r.key as string), `${String(r.key)} is in its murmur2 partition`);
  }
  const user1 = records.filter((r) => r.key === 'user-1');
  t.deepEqual(user1.map((r) => r.value), ['clicked /home', 'clicked /checkout'], "one key's records in order");
  t.true(user1[0]!.offset < user1[1]!.offset);
  t.deepEqual(records.filter((r) => r.key === null).map((r) => r.value), ['a value with no key']);
  t.deepEqual(records.filter((r) => r.key === 'user-2').map((r) => r.value), ['clicked /cart']);

  const topics = await streams(['topics', ...b]);
  t.is(topics.code, 0, topics.stderr);
  const row = topics.stdout.split('\n').find((l) => l.startsWith(`${topic} `));
  t.truthy(row, topics.stdout);
  const [, partitions, ...ends] = row!.trim().split(/\s+/);
  t.is(partitions, '3');
  const offsets = ends.slice(0, 3).map(Number);
  t.is(offsets.reduce((a, c) => a + c, 0), 4);
  t.is(ends[3], '(4)');
  t.true(topics.stdout.startsWith('TOPIC'));
  t.false(topics.stdout.includes('__consumer_offsets'), "the cluster's own topics are left out");
});

kafkaTest('produce --json with serdes (long keys, json values, timestamps, headers; bytes-hex and double), tailed back with the same serdes', async (t, broker) => {
  const events = `cli-json-${randomUUID()}`;
  const raw = `cli-hex-${randomUUID()}`;
  await createTopics(t, broker, { [events]: 2, [raw]: 1 });
  const b = ['--brokers', broker.brokers.join(','), '--client', broker.client];
  const input = [
    { key: 42, value: { page: '/home', n: 1 }, timestamp: 1_700_000_000_000, headers: { source: 'test', empty: '' } },
    { key: '43', value: [1, 2, 3], timestamp: '2024-01-01T00:00:00Z', headers: [{ key: 'h', value: '1' }, { key: 'h', value: '2' }] },
    { key: null, value: null },
  ];
  const produced = await streams(['produce', events, '--json', '--key-serde', 'long', '--value-serde', 'json', ...b], { input: input.map((r) => JSON.stringify(r)).join('\n') });
  t.is(produced.code, 0, produced.stderr);
  t.regex(produced.stdout, /^Produced 3 records to /);

  const tailed = await streams(['tail', events, '--from-beginning', '--max', '3', '--key-serde', 'long', '--value-serde', 'json', ...b]);
  t.is(tailed.code, 0, tailed.stderr);
  const records = parse(tailed.stdout);
  const byKey = new Map(records.map((r) => [r.key, r]));
  t.deepEqual(byKey.get(42)?.value, { page: '/home', n: 1 });
  t.is(byKey.get(42)?.timestamp, 1_700_000_000_000);
  t.deepEqual(byKey.get(42)?.headers, [{ key: 'source', value: 'test' }, { key: 'empty', value: '' }]);
  t.deepEqual(byKey.get(43)?.value, [1, 2, 3]);
  t.is(byKey.get(43)?.timestamp, Date.parse('2024-01-01T00:00:00Z'));
  t.deepEqual(byKey.get(43)?.headers, [{ key: 'h', value: '1' }, { key: 'h', value: '2' }]);
  t.is(byKey.get(null)?.value, null, 'a null value: a tombstone');
  t.is(byKey.get(42)?.partition, defaultPartition(Buffer.from([0, 0, 0, 0, 0, 0, 0, 42]), 2), 'a long key partitions by its 8 bytes');

  const hex = await streams(['produce', raw, '--key-serde', 'bytes-hex', '--value-serde', 'double', ...b], { input: 'cafe\t2.5\n00ff\t-1e3\n' });
  t.is(hex.code, 0, hex.stderr);
  const asBytes = parse((await streams(['tail', raw, '--from-beginning', '--max', '2', '--key-serde', 'bytes-hex', '--value-serde', 'double', ...b])).stdout);
  t.deepEqual(asBytes.map((r) => [r.key, r.value]), [['cafe', 2.5], ['00ff', -1000]]);
  // Read with the wrong serde: the record still prints, its bytes in hex, with the reason.
  const wrong = parse((await streams(['tail', raw, '--from-beginning', '--max', '1', '--value-serde', 'integer', ...b])).stdout);
  t.is(wrong[0]!.value, '4004000000000000');
  t.regex(wrong[0]!.valueError!, /^Integer cannot read it: /);
});

kafkaTest('tail without --from-beginning prints only records that arrive after it started; --timeout-ms ends it when none come', async (t, broker) => {
  const topic = `cli-live-${randomUUID()}`;
  await createTopics(t, broker, { [topic]: 2 });
  const b = ['--brokers', broker.brokers.join(','), '--client', broker.client];
  t.is((await streams(['produce', topic, ...b], { input: 'old\tbefore the tail\n' })).code, 0);

  const quiet = await streams(['tail', topic, '--timeout-ms', '1500', ...b]);
  t.is(quiet.code, 0, quiet.stderr);
  t.is(quiet.stdout, '', 'no new record: nothing printed, and it ended');

  const tail = startStreams(['tail', topic, '--max', '1', ...b]);
  tail.child.stdin!.end();
  // It may take a moment to reach its position at the end: keep producing new records until it prints one.
  for (let i = 0; tail.child.exitCode === null && i < 120; i++) {
    await streams(['produce', topic, ...b], { input: `new\tafter the tail ${i}\n` });
    await Promise.race([tail.exited, new Promise((resolve) => setTimeout(resolve, 500))]);
  }
  const result = await tail.exited;
  t.is(result.code, 0, result.stderr);
  const records = parse(result.stdout);
  t.is(records.length, 1);
  t.is(records[0]!.key, 'new');
  t.regex(String(records[0]!.value), /^after the tail \d+$/);
});

kafkaTest('mistakes against the broker: a line the serde cannot take (what was produced before it), a topic that does not exist', async (t, broker) => {
  const topic = `cli-mistakes-${randomUUID()}`;
  const missing = `cli-missing-${randomUUID()}`;
  await createTopics(t, broker, { [topic]: 1 });
  const b = ['--brokers', broker.brokers.join(','), '--client', broker.client];
  const bad = await streams(['produce', topic, '--value-serde', 'long', ...b], { input: 'a\t1\nb\tone\nc\t3\n' });
  t.is(bad.code, 1);
  t.is(bad.stderr.trim(), "streams produce: line 2 of stdin: the value: 'one' is not a whole number (a safe integer), which --value-serde long takes. Fix the line (the 1 record before it was produced).");
  const ends = await streams(['topics', ...b]);
  t.regex(ends.stdout, new RegExp(`^${topic} +1 +1$`, 'm'), 'the record before the bad line is there, none after');

  const json = await streams(['produce', topic, '--json', ...b], { input: '{"key": "a", "vaule": 1}\n' });
  t.is(json.code, 1);
  t.regex(json.stderr, /line 1 of stdin: unknown field "vaule" \(a line has "key", "value", "timestamp", "headers"\)/);

  for (const command of ['tail', 'produce']) {
    const result = await streams([command, missing, ...b]);
    t.is(result.code, 1, command);
    t.regex(result.stderr, new RegExp(`^streams ${command}: Topic '${missing}' does not exist on Kafka at .*'streams topics --brokers .*' lists the topics`));
  }
});
