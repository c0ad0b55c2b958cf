// KafkaStreams and a broker that goes away: a broker of the test's own (the shared one serves the other tests),
// stopped while the application processes and started again on the same port and log directory, as a broker
// restarted in place. The application retries in place (sends, commits), rejoins, resumes, and loses nothing.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KafkaStreams } from '@ts-streams/runtime';
import { startBroker, restartBroker } from '../../../scripts/kafka/start-broker.ts';
import { stopBroker } from '../../../scripts/kafka/stop-broker.ts';
import type { BrokerState } from '../../../scripts/kafka/broker-state.ts';
import { clientUnderTest, kafkaTest } from './kafka-test.ts';
import { createTopics } from './app-fixture.ts';
import { countsOf, eventually, produceWords, wordCounts, wordsFor } from './word-count-kit.ts';

kafkaTest('the broker stops mid-run and starts again: the application retries in place, resumes, and loses nothing', async (t) => {
  // Two broker starts (~5-15 s each on a busy machine) and a session timeout to wait out.
  t.timeout(150_000);
  const id = randomUUID().slice(0, 8);
  let broker: BrokerState = await startBroker({ name: `outage-${id}`, log: (l) => t.log(l) });
  const stateDir = mkdtempSync(join(tmpdir(), 'ts-streams-outage-'));
  t.teardown(async () => {
    await stopBroker(broker);
    rmSync(stateDir, { recursive: true, force: true });
  });
  const kafka = new Kafka({ clientId: `outage-${id}`, brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10 } });
  const input = `words-${id}`;
  const output = `counts-${id}`;
  const applicationId = `outage-${id}`;
  const admin = kafka.admin();
  t.teardown(() => admin.disconnect());
  await admin.connect();
  await createTopics(admin, [[input, 4], [output, 4]]);

  const first = wordsFor(20_000, 1);
  await produceWords(kafka, input, first);
  const started = Date.now();
  const lines: string[] = [];
  const app = new KafkaStreams(wordCounts(input, output), {
    applicationId, bootstrapServers: broker.bootstrap, client: clientUnderTest, stateDir, commitIntervalMs: 200,
    // kafkajs comes back as a new member of the group, which waits for its old self's session to expire.
    sessionTimeoutMs: 10_000,
    // The repartition topic is kept as written (purged once, at the first commit) for writtenTwice below.
    repartitionPurgeIntervalMs: 3_600_000,
  }, { log: (l) => {
    lines.push(l);
    t.log(`${Date.now() - started} ms: ${l}`);
    // What the tasks processed before the rebalance after the outage closes them: with the final metrics, whether an
    // input record was processed twice.
    if (l.startsWith("Assigned the group's tasks: 8 kept")) t.log('processed before', JSON.stringify(Object.fromEntries(Object.entries(app.metrics().tasks).map(([k, v]) => [k, v.processed]))));
  } });
  const states: string[] = [];
  app.state$.subscribe((s) => states.push(s));
  t.teardown(() => app.close());
  await app.start();

  // Mid-run: once some of the input is processed.
  t.true(await eventually(() => Object.values(app.metrics().tasks).some((task) => task.processed > 0), 30_000), 'the application processes');
  await admin.disconnect();
  await stopBroker(broker, 20_000, { keepFiles: true });
  t.log(`${Date.now() - started} ms: the broker is stopped`);
  // Away until the application has met it (its group member rejoins; commits wait), for 10 s at most.
  await eventually(() => lines.some((l) => l.startsWith('Commits wait for the rebalance under way')), 10_000);
  broker = await restartBroker(broker);
  t.log(`${Date.now() - started} ms: the broker is back`);

  const second = wordsFor(2_000, 2);
  await produceWords(kafka, input, second, first.length);
  const expected = countsOf([...first, ...second]);
  // Done when the group has committed everything in the input and the repartition topic (the counts are flushed
  // to the output before their commit).
  const again = kafka.admin();
  t.teardown(() => again.disconnect());
  await again.connect();
  const repartition = `${applicationId}-by-word-repartition`;
  const caughtUp = async (topic: string) => {
    const ends = new Map((await again.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
    const [{ partitions }] = await again.fetchOffsets({ groupId: applicationId, topics: [topic] });
    return partitions.every((p) => ends.get(p.partition) === 0 || Number(p.offset) === ends.get(p.partition));
  };
  t.true(await eventually(async () => (await caughtUp(input)) && (await caughtUp(repartition)), 90_000), 'every input and repartition offset is committed');
  const got = await latestValues(kafka, output);
  const missing = [...expected].filter(([w, n]) => (got.get(w) ?? 0) < n);
  t.deepEqual(missing, [], 'no word is counted less often than it occurs: nothing is lost');
  t.deepEqual([...got.keys()].sort(), [...expected.keys()].sort());
  // At-least-once, not exactly-once: now and then (about 1 run in 8 under load) a write the broker was shutting down
  // under is stored again by the producer's retry after the restart — one partition's share of a request, so the
  // repartition topic has records twice, and they are counted twice (in the runs looked at, every input record was
  // processed once). At most what was unacknowledged: 8 sends of 1,000 records (ProducerRecordSink's bound).
  const surplus = [...got].reduce((n, [w, c]) => n + c - expected.get(w)!, 0);
  const twice = surplus === 0 ? 0 : await writtenTwice(kafka, again, repartition);
  t.log(`final processed: ${JSON.stringify(Object.fromEntries(Object.entries(app.metrics().tasks).map(([k, v]) => [k, v.processed])))}`);
  t.log(`${Date.now() - started} ms: counted ${surplus} records more than the input has; ${twice} repartition records were written twice`);
  t.true(surplus <= 8_000, `surplus ${surplus}`);
  t.is(app.state, 'RUNNING', `error: ${String(app.error)}`);
  t.false(states.includes('ERROR') || states.includes('PENDING_ERROR'), `states: ${states.join(' → ')}`);
  await app.close();
});

/** The latest count per word in `topic` (8-byte values), read from the start to the end offsets as of the call. */
async function latestValues(kafka: Kafka, topic: string): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
  await admin.disconnect();
  const next = new Map([...ends.keys()].map((p) => [p, 0]));
  const latest = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (Number(message.offset) >= ends.get(partition)!) return;
        latest.set(message.key!.toString(), Number(message.value!.readBigInt64BE()));
        next.set(partition, Number(message.offset) + 1);
      },
    });
    if (!(await eventually(() => [...ends].every(([p, end]) => next.get(p)! >= end), 60_000))) throw new Error(`reading ${topic} to its end timed out`);
  } finally {
    await consumer.disconnect();
  }
  return latest;
}

/** How many records of the repartition topic repeat an earlier one: each input line has a timestamp of its own. */
async function writtenTwice(kafka: Kafka, admin: Admin, topic: string): Promise<number> {
  const total = (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  const seen = new Set<string>();
  let read = 0;
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => {
      read++;
      seen.add(message.timestamp);
    } });
    await eventually(() => read >= total, 30_000);
  } finally {
    await consumer.disconnect();
  }
  return read - seen.size;
}
