// A record the output topic refuses (larger than its max.message.bytes) while the application runs on the real
// broker: the application stops in ERROR with an error naming the topic and the fix, and commits nothing past what is
// durable — the group's committed offset stays where the last commit put it, the output holds exactly what was
// written before. (A step that throws: processing-errors.test.ts.)
import type { ConfigResourceTypes } from 'kafkajs';
import { StreamsBuilder, Serdes, Consumed, Produced, type Topology } from '@ts-streams/dsl';
import { KafkaStreams, type StreamsState } from '@ts-streams/runtime';
import { kafkaTest } from './kafka-test.ts';
import { appFixture, until } from './app-fixture.ts';

/** kafkajs's ConfigResourceTypes.TOPIC (not importable by name from ESM: see the kafkajs adapter's admin). */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

/** in → 'big' becomes 10 KB, the rest as is → out. */
function grow(input: string, output: string): Topology {
  const b = new StreamsBuilder();
  b.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
    .mapValues((v) => (v === 'big' ? 'x'.repeat(10_000) : v))
    .to(output, Produced.with(Serdes.String(), Serdes.String()));
  return b.build();
}

const oks = (count: number, from = 0) => Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `ok-${from + i}` }));

kafkaTest('a record the output topic refuses as too large stops the app naming the topic and the fix; the committed offset and the output stay at the last durable point', async (t, broker) => {
  const f = await appFixture(t, broker, { in: 1, out: 1 });
  const [input, output] = [f.topic('in'), f.topic('out')];
  // The output takes record batches of up to 4 KiB.
  await f.admin.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC_RESOURCE, name: output, configEntries: [{ name: 'max.message.bytes', value: '4096' }] }] });
  await f.produce(input, oks(100));
  const app = new KafkaStreams(grow(input, output), {
    applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, commitIntervalMs: 100,
  }, { log: (l) => t.log(l) });
  const states: StreamsState[] = [];
  app.state$.subscribe((s) => states.push(s));
  t.teardown(() => app.close());
  await app.start();
  await f.untilCommitted([input]);
  t.deepEqual(await f.committed(input), [100]);

  // The next record grows past the output's limit; the ones after it are fine.
  await f.produce(input, [{ key: 'b', value: 'big' }, ...oks(20, 101)]);
  await until('the application to stop in ERROR', () => app.state === 'ERROR', 30_000, () => app.state);
  const message = (app.error as Error).message;
  t.regex(message, /^Producing failed, so nothing processed since the last commit is committed: /);
  t.regex(message, new RegExp(`Producing \\d+ records to ${output} failed \\(fatal\\)`));
  t.regex(message, new RegExp(`raise max\\.message\\.bytes of ${output} \\(and the broker's message\\.max\\.bytes\\), or write smaller records`));
  t.deepEqual(states.slice(-2), ['PENDING_ERROR', 'ERROR']);
  // Nothing was committed past the 100 records whose outputs were acknowledged, and the output has exactly those.
  t.deepEqual(await f.committed(input), [100]);
  const out = await f.readAll(output);
  t.deepEqual(out.map((r) => r.value), oks(100).map((m) => m.value));
  await app.close();
  t.is(app.state, 'ERROR');
});
