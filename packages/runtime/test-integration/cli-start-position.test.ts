// Where `streams run` starts reading, on Kafka (the story: test/cli-start-position.ts; on the embedded log:
// test/cli-start-position.test.ts). Topics, application and state directory of its own.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaTest } from './kafka-test.ts';
import { startPositionStory } from '../test/cli-start-position.ts';
import { KafkajsClient } from '../src/client/kafkajs/kafkajs-client.ts';

kafkaTest('Kafka: a new application reads from the beginning, a partition never committed on is read from its start after a stop (every record counted once), --from-beginning recounts from scratch', async (t, broker) => {
  t.timeout(6 * 60_000);
  const id = randomUUID().slice(0, 8);
  const input = `cli-start-lines-${id}`;
  const output = `cli-start-counts-${id}`;
  const app = `cli-start-${id}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'streams-cli-start-'));
  const client = new KafkajsClient({ bootstrapServers: broker.brokers, clientId: 'cli-start-test', connectTimeoutMs: 10_000 });
  const admin = client.admin();
  t.teardown(async () => {
    const mine = (await admin.listTopics()).filter((x) => x === input || x === output || x.startsWith(`${app}-`));
    await admin.deleteTopics(mine).catch(() => undefined);
    await client.close();
    rmSync(stateDir, { recursive: true, force: true });
  });
  await admin.createTopics([{ name: input, partitions: 4, configs: {} }, { name: output, partitions: 2, configs: {} }]);
  await startPositionStory(t, { input, output, partitions: 4, app, flags: ['--brokers', broker.brokers.join(','), '--state-dir', stateDir] });
});
