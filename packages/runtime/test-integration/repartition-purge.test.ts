// KafkaStreams deletes what it has read and committed of its repartition topics (Kafka Streams'
// repartition.purge.interval.ms), and nothing of the topics it does not own.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaStreams } from '@ts-streams/runtime';
import { kafkaTest } from './kafka-test.ts';
import { createTopics } from './app-fixture.ts';
import { countsOf, eventually, latestCounts, produceWords, sorted, wordCounts, wordsFor } from './word-count-kit.ts';

kafkaTest('after commits, the records of the repartition topic below the committed offsets are deleted: its log start moves up to its end', async (t, broker) => {
  const id = randomUUID().slice(0, 8);
  const kafka = broker.kafka(`purge-${id}`);
  const admin = kafka.admin();
  await admin.connect();
  const input = `words-${id}`;
  const output = `counts-${id}`;
  const applicationId = `purge-${id}`;
  const repartition = `${applicationId}-by-word-repartition`;
  const stateDir = mkdtempSync(join(tmpdir(), 'ts-streams-purge-'));
  t.teardown(async () => {
    await admin.deleteTopics({ topics: (await admin.listTopics()).filter((x) => x.includes(id)) }).catch(() => undefined);
    await admin.deleteGroups([applicationId]).catch(() => undefined);
    await admin.disconnect();
    rmSync(stateDir, { recursive: true, force: true });
  });
  await createTopics(admin, [[input, 4], [output, 4]]);
  const words = wordsFor(4_000, 5);
  await produceWords(kafka, input, words);

  const app = new KafkaStreams(wordCounts(input, output), {
    applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir, commitIntervalMs: 200, repartitionPurgeIntervalMs: 0,
  }, { log: (l) => t.log(l) });
  t.teardown(() => app.close());
  await app.start();
  const expected = countsOf(words);
  t.deepEqual(sorted(await latestCounts(kafka, output, expected)), sorted(expected));

  // Every word went through the repartition topic; once its consumer committed them all, they are deleted.
  const offsets = async () => (await admin.fetchTopicOffsets(repartition)).sort((a, b) => a.partition - b.partition);
  const purged = await eventually(async () => (await offsets()).every((o) => Number(o.low) === Number(o.high)), 30_000);
  const after = await offsets();
  t.true(purged, `log start = end in every partition: ${JSON.stringify(after)}`);
  t.is(after.reduce((n, o) => n + Number(o.high), 0), words.length, 'every word was written to it');
  t.true(after.every((o) => Number(o.high) > 0), 'each partition had records to delete');
  // The input topic is the user's: never purged.
  t.true((await admin.fetchTopicOffsets(input)).every((o) => Number(o.low) === 0));
  await app.close();
});
