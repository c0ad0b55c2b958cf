// What `streams run <folder>` hands a folder's generator.ts (the Generator contract), on the real broker: send
// serializes with the serdes and puts each key in its murmur2 partition, sleep ends early when the run stops, a missing
// topic on Kafka is an error naming it (only the embedded log creates topics).
import { randomUUID } from 'node:crypto';
import { Serdes } from '@ts-streams/dsl';
import { kafkaTest } from './kafka-test.ts';
import { defaultPartition } from '../src/io/murmur2.ts';
import { createGeneratorContext } from '../src/cli/generator-context.ts';
import { CliError } from '../src/cli/cli-error.ts';
import type { Generator } from '../src/cli/generator.ts';

interface Click {
  readonly page: string;
}

kafkaTest('a generator sends typed records through the context: serialized, partitioned as Kafka, read back as sent; sleep ends when the signal aborts', async (t, broker) => {
  const topic = `cli-generated-${randomUUID()}`;
  const client = broker.seamClient('cli-generator-test');
  const admin = client.admin();
  t.teardown(async () => {
    await admin.deleteTopics([topic]).catch(() => undefined);
    await client.close();
  });
  await admin.createTopics([{ name: topic, partitions: 3, configs: {} }]);
  const producer = client.producer({});
  await producer.connect();
  const stop = new AbortController();
  const lines: string[] = [];
  const context = createGeneratorContext({ admin, producer, target: { kind: 'kafka', brokers: broker.brokers, client: broker.client }, signal: stop.signal, log: (l) => lines.push(l) });

  // A generator as an example writes one: batches until the signal aborts.
  let rounds = 0;
  const generate: Generator = async ({ send, signal, sleep }) => {
    while (!signal.aborted) {
      rounds++;
      await send(topic, { key: Serdes.String(), value: Serdes.JSON<Click>() }, [
        { key: `user-${rounds}`, value: { page: `/page-${rounds}` }, timestamp: 1_000 * rounds, headers: [{ key: 'round', value: Buffer.from(String(rounds)) }] },
        { key: 'user-0', value: { page: '/home' } },
      ]);
      if (rounds === 3) stop.abort();
      await sleep(rounds === 3 ? 60_000 : 10);
    }
  };
  const started = Date.now();
  await generate(context);
  t.is(rounds, 3);
  t.true(Date.now() - started < 30_000, 'sleep(60 s) ended when the signal aborted');
  t.deepEqual(lines, [], 'nothing created on Kafka');

  const reader = client.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 100 });
  const partitions = [0, 1, 2].map((partition) => ({ topic, partition }));
  reader.assign(partitions);
  for (const p of partitions) reader.seek(p, 'earliest');
  const read: { partition: number; key: string; value: Click; timestamp: number; headers: string[] }[] = [];
  for (const deadline = Date.now() + 30_000; read.length < 6 && Date.now() < deadline; ) {
    for (const batch of await reader.poll({ maxRecords: 100, timeoutMs: 500 })) {
      for (const r of batch.records) {
        read.push({
          partition: batch.partition,
          key: Serdes.String().deserialize(topic, r.key)!,
          value: Serdes.JSON<Click>().deserialize(topic, r.value)!,
          timestamp: r.timestamp,
          headers: r.headers.map((h) => `${h.key}=${Buffer.from(h.value!).toString()}`),
        });
      }
    }
  }
  await reader.close();
  t.is(read.length, 6);
  for (const r of read) t.is(r.partition, defaultPartition(Buffer.from(r.key), 3), `${r.key} in its murmur2 partition`);
  for (const n of [1, 2, 3]) {
    const r = read.find((x) => x.key === `user-${n}`)!;
    t.deepEqual(r.value, { page: `/page-${n}` });
    t.is(r.timestamp, 1_000 * n);
    t.deepEqual(r.headers, [`round=${n}`]);
  }
  const home = read.filter((x) => x.key === 'user-0');
  t.is(home.length, 3);
  t.true(home.every((x) => x.timestamp >= started - 1_000 && x.headers.length === 0), 'no timestamp given: now; no headers given: none');

  const missing = `cli-generated-missing-${randomUUID()}`;
  const error = await t.throwsAsync(context.send(missing, { key: Serdes.String(), value: Serdes.String() }, [{ key: 'k', value: 'v' }]), { instanceOf: CliError });
  t.regex(error.message, new RegExp(`^Topic '${missing}' does not exist on Kafka at `));
  await producer.close();
});
