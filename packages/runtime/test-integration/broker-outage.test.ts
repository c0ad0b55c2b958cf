// KafkaStreams and a broker that goes away: a broker of the test's own (the shared one serves the other tests),
// stopped while the application processes and started again on the same port and log directory, as a broker
// restarted in place. The application retries in place, and every word is counted exactly once.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaStreams } from '@ts-streams/runtime';
import { startBroker, restartBroker } from '../../../scripts/kafka/start-broker.ts';
import { stopBroker } from '../../../scripts/kafka/stop-broker.ts';
import type { BrokerState } from '../../../scripts/kafka/broker-state.ts';
import { kafkaTest } from './kafka-test.ts';
import { createTopics } from './app-fixture.ts';
import { countsOf, eventually, latestCounts, produceWords, sorted, wordCounts, wordsFor } from './word-count-kit.ts';

kafkaTest('the broker stops mid-run and starts again: the application retries, resumes, and every word is counted exactly once', async (t) => {
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
    applicationId, bootstrapServers: broker.bootstrap, stateDir, commitIntervalMs: 200,
    // kafkajs comes back as a new member of the group, which waits for its old self's session to expire.
    sessionTimeoutMs: 10_000,
  }, { log: (l) => { lines.push(l); t.log(`${Date.now() - started} ms: ${l}`); } });
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
  const got = await latestCounts(kafka, output, expected, 90_000);
  const again = kafka.admin();
  await again.connect();
  t.teardown(() => again.disconnect());
  if (sorted(got).size !== expected.size || [...expected].some(([k, v]) => got.get(k) !== v)) {
    // What the broker has, to tell a reader that missed records from an application that did not write them.
    t.log('output offsets', JSON.stringify(await again.fetchTopicOffsets(output)));
    t.log('output metadata', JSON.stringify((await again.fetchTopicMetadata({ topics: [output] })).topics));
    t.log('committed', JSON.stringify(await again.fetchOffsets({ groupId: applicationId, topics: [input] })));
    t.log('metrics', JSON.stringify(app.metrics().tasks));
    const reread = await latestCounts(new Kafka({ clientId: `outage-reread-${id}`, brokers: [broker.bootstrap], logLevel: logLevel.NOTHING }), output, expected, 20_000);
    t.log('read again with a new client', JSON.stringify([...sorted(reread)]));
  }
  t.deepEqual(sorted(got), sorted(expected));
  // Commits resumed: every input record's offset is committed.
  const ends = new Map((await again.fetchTopicOffsets(input)).map((o) => [o.partition, Number(o.high)]));
  const committedAll = async () => {
    const [{ partitions }] = await again.fetchOffsets({ groupId: applicationId, topics: [input] });
    return partitions.every((p) => Number(p.offset) === ends.get(p.partition));
  };
  t.true(await eventually(committedAll, 30_000), 'every input offset is committed');
  t.is(app.state, 'RUNNING', `error: ${String(app.error)}`);
  t.false(states.includes('ERROR') || states.includes('PENDING_ERROR'), `states: ${states.join(' → ')}`);
  await app.close();
});
