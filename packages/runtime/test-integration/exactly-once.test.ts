// processingGuarantee 'exactly_once_v2' on the real broker: a word count through a repartition topic runs with one
// transactional producer; a transaction aborted into its changelog and output topic (as a crashed or fenced instance
// leaves one) is invisible to read_committed consumers and to the restoration of the changelog, and every committed
// count is exact, each word's counts rising one commit after the other (nothing counted twice). Both passes (kafkajs,
// kafkats) run it on their adapter, the intruding producers too; the records are read back through the kafkajs
// adapter's read_committed reader (committed-reader.ts).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaStreams, type StreamsConfig } from '@ts-streams/runtime';
import { defaultPartition } from '../src/io/murmur2.ts';
import { kafkaTest } from './kafka-test.ts';
import { appFixture, until, type AppFixture } from './app-fixture.ts';
import { readCommitted, type CommittedRecord } from './committed-reader.ts';
import { wordCounts, wordsFor, countsOf, sorted, produceWords } from './word-count-kit.ts';

const PARTITIONS = 4;
/** What the aborted transaction writes as every word's count: far above any real count. */
const BOGUS = 1_000_000n;

kafkaTest('exactly_once_v2: an aborted transaction is invisible to read_committed consumers and to restoration; every committed count is exact and counted once', async (t, broker) => {
  const f = await appFixture(t, broker, { words: PARTITIONS, counts: PARTITIONS });
  const input = f.topic('words');
  const output = f.topic('counts');
  const changelog = `${f.applicationId}-word-counts-changelog`;
  const repartition = `${f.applicationId}-by-word-repartition`;
  const topology = wordCounts(input, output);
  const config: StreamsConfig = {
    applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, processingGuarantee: 'exactly_once_v2',
  };
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    t.log(line);
  };

  const first = wordsFor(3_000, 1);
  await produceWords(f.kafka, input, first);
  const app = new KafkaStreams(topology, config, { log });
  t.teardown(() => app.close());
  await app.start();
  t.is(app.config.commitIntervalMs, 100, "Kafka Streams' commit interval under exactly_once_v2");
  t.true(lines.some((l) => l.includes('Processing exactly-once (exactly_once_v2, transactional id') && l.includes(`${f.applicationId}-`)), 'says it runs exactly-once');
  await f.untilCommitted([input]);
  await untilRead(f, broker.brokers, repartition);
  await app.close();
  t.is(app.state, 'NOT_RUNNING');

  // A transaction of another producer writes a bogus count of every word into the changelog and the output, then
  // aborts: what a fenced or crashed instance leaves in the log.
  const seam = broker.seamClient('intruder');
  t.teardown(() => seam.close());
  const intruder = seam.producer({ transactionalId: `${f.applicationId}-intruder`, transactionTimeoutMs: 10_000 });
  await intruder.connect();
  const bogus = Buffer.alloc(8);
  bogus.writeBigInt64BE(BOGUS);
  const words = [...countsOf(first).keys()];
  const aborted = [changelog, output].flatMap((topic) => words.map((w) => {
    const key = Buffer.from(w);
    return { topic, partition: defaultPartition(key, PARTITIONS), key, value: bogus, timestamp: Date.now(), headers: [] };
  }));
  intruder.transactions!.begin();
  await intruder.send(aborted);
  await intruder.transactions!.abort();
  await intruder.close();
  // They are in the log (read_uncommitted sees them), and nowhere for read_committed.
  const uncommitted = await readAll(broker.brokers, changelog, 'read_uncommitted');
  t.is(uncommitted.filter((r) => r.value?.readBigInt64BE() === BOGUS).length, words.length, 'the aborted records were written');

  // The state directory is gone: the next run restores the store from the start of its changelog.
  rmSync(join(f.stateDir, f.applicationId), { recursive: true, force: true });
  const second = wordsFor(2_000, 2);
  await produceWords(f.kafka, input, second, first.length);
  const again = new KafkaStreams(topology, config, { log });
  t.teardown(() => again.close());
  await again.start();
  await f.untilCommitted([input]);
  await untilRead(f, broker.brokers, repartition);
  const restored = again.metrics().restored.reduce((n, r) => n + r.records, 0);
  t.true(restored > 0, `the store was restored from its changelog (${restored} records)`);
  await again.close();
  t.is(again.state, 'NOT_RUNNING');

  const expected = sorted(countsOf([...first, ...second]));
  for (const topic of [output, changelog]) {
    const records = await readCommitted(broker.brokers, topic, PARTITIONS);
    t.false(records.some((r) => r.value?.readBigInt64BE() === BOGUS), `read_committed never sees the aborted records of ${topic}`);
    const latest = new Map<string, number>();
    const rising: string[] = [];
    for (const r of records) {
      const n = Number(r.value!.readBigInt64BE());
      const before = latest.get(r.key!) ?? 0;
      // Exactly-once: each committed count of a word is above the one before it — a count written twice (a
      // transaction's records committed again after a restart) would repeat or go back.
      if (n <= before) rising.push(`${r.key}: ${before} then ${n} (partition ${r.partition} offset ${r.offset})`);
      latest.set(r.key!, n);
    }
    t.deepEqual(rising, [], `every word's committed counts in ${topic} rise`);
    t.deepEqual(sorted(latest), expected, `the latest committed count of every word in ${topic} is exact`);
  }
});

kafkaTest('exactly_once_v2: a producer fenced mid-run (its transactional id taken over) aborts, restores its tasks from the changelogs and goes on; the committed counts stay exact', async (t, broker) => {
  const f = await appFixture(t, broker, { words: PARTITIONS, counts: PARTITIONS });
  const input = f.topic('words');
  const output = f.topic('counts');
  const repartition = `${f.applicationId}-by-word-repartition`;
  const lines: string[] = [];
  const app = new KafkaStreams(wordCounts(input, output), {
    applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, processingGuarantee: 'exactly_once_v2',
  }, { log: (line) => {
    lines.push(line);
    t.log(line);
  } });
  t.teardown(() => app.close());
  const first = wordsFor(2_000, 3);
  await produceWords(f.kafka, input, first);
  await app.start();
  // Both sub-topologies committed the first words: the changelog holds committed counts to restore after the fence.
  await f.untilCommitted([input]);
  await untilRead(f, broker.brokers, repartition);

  // Another producer initialises the application's transactional id (Kafka Streams' `<app>-<process id>-1`): the
  // application's producer is fenced — its open transaction aborted, its next request refused.
  const { processId } = JSON.parse(readFileSync(join(f.stateDir, f.applicationId, 'kafka-streams-process-metadata'), 'utf8')) as { processId: string };
  const seam = broker.seamClient('usurper');
  t.teardown(() => seam.close());
  const usurper = seam.producer({ transactionalId: `${f.applicationId}-${processId}-1`, transactionTimeoutMs: 10_000 });
  await usurper.connect();
  const second = wordsFor(2_000, 4);
  await produceWords(f.kafka, input, second, first.length);

  await until('the application to abort its fenced transaction', () => lines.some((l) => /The transaction was aborted .*fenced/.test(l)), 60_000);
  await f.untilCommitted([input]);
  await untilRead(f, broker.brokers, repartition);
  t.is(app.state, 'RUNNING', 'it goes on after the fence');
  t.true(app.metrics().restored.reduce((n, r) => n + r.records, 0) > 0, 'its tasks were restored from the changelogs');
  await app.close();

  const records = await readCommitted(broker.brokers, output, PARTITIONS);
  const latest = new Map<string, number>();
  const rising: string[] = [];
  for (const r of records) {
    const n = Number(r.value!.readBigInt64BE());
    if (n <= (latest.get(r.key!) ?? 0)) rising.push(`${r.key}: ${latest.get(r.key!)} then ${n}`);
    latest.set(r.key!, n);
  }
  t.deepEqual(rising, [], 'every word\'s committed counts rise');
  t.deepEqual(sorted(latest), sorted(countsOf([...first, ...second])), 'the latest committed count of every word is exact');
});

/** Every record of a topic as a consumer of `isolation` reads it. */
async function readAll(brokers: readonly string[], topic: string, isolation: 'read_committed' | 'read_uncommitted'): Promise<CommittedRecord[]> {
  return readCommitted(brokers, topic, PARTITIONS, 60_000, isolation);
}

/**
 * Waits until the group has committed, for every partition of `topic`, an offset past its last committed record.
 * (Not the end offset: under exactly-once the last offsets of a partition are transaction markers.) Call it once
 * every record that will be written there is committed: after the input is (a repartition topic's records are
 * committed in the transaction that commits the input offsets they came from).
 */
async function untilRead(f: AppFixture, brokers: readonly string[], topic: string): Promise<void> {
  const last = Array.from({ length: PARTITIONS }, () => -1);
  for (const r of await readCommitted(brokers, topic, PARTITIONS)) last[r.partition] = Math.max(last[r.partition]!, r.offset);
  let committed: number[] = [];
  await until(`the group to commit ${topic} past ${last.join(',')}`, async () => {
    committed = await f.committed(topic);
    return last.every((o, p) => o < 0 || committed[p]! > o);
  }, 60_000, () => committed.join(','));
}
