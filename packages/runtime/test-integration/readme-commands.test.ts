// The README's `streams` CLI table on Kafka: every command that reaches a cluster, with every flag its row names (the
// story and the table: test/readme-commands.ts; on the embedded log: test/readme-commands.test.ts). Topics,
// application and state directory of its own.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaTest } from './kafka-test.ts';
import { cliTableStory } from '../test/readme-commands.ts';
import { KafkajsClient } from '../src/client/kafkajs/kafkajs-client.ts';

kafkaTest("the README's streams CLI table on Kafka: every command that reaches a cluster, with every flag its row names", async (t, broker) => {
  t.timeout(8 * 60_000);
  const id = randomUUID().slice(0, 8);
  const input = `readme-lines-${id}`;
  const output = `readme-counts-${id}`;
  const events = `readme-events-${id}`;
  const app = `readme-${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'streams-readme-kafka-'));
  const client = new KafkajsClient({ bootstrapServers: broker.brokers, clientId: 'readme-test', connectTimeoutMs: 10_000 });
  const admin = client.admin();
  t.teardown(async () => {
    const mine = (await admin.listTopics()).filter((x) => [input, output, events].includes(x) || x.startsWith(`${app}-`));
    await admin.deleteTopics(mine).catch(() => undefined);
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await admin.createTopics([input, output, events].map((name) => ({ name, partitions: 2, configs: {} })));
  await cliTableStory(t, { kind: 'kafka', input, output, events, app, dir, flags: ['--brokers', broker.brokers.join(','), '--state-dir', join(dir, 'state')] });
});
