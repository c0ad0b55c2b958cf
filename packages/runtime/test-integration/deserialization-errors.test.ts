// Records the source serdes cannot read, on the real broker: with deserializationExceptionHandler 'fail' (the default)
// the application stops in ERROR with an error naming topic, partition, offset and serde, and the bad record's offset
// is not committed; with 'log-and-continue' each bad record is skipped, logged and counted, and the application goes
// on, committing past the records it skipped.
import type { Message } from 'kafkajs';
import { StreamsBuilder, Serdes, Consumed, Produced, type Topology } from '@ts-streams/dsl';
import { KafkaStreams, DeserializationError, type StreamsState } from '@ts-streams/runtime';
import { kafkaTest } from './kafka-test.ts';
import { appFixture, until } from './app-fixture.ts';

interface Reading {
  readonly n: number;
}

/** in (JSON readings) → the reading doubled, as text → out. */
function doubled(input: string, output: string): Topology {
  const b = new StreamsBuilder();
  b.stream(input, Consumed.with(Serdes.String(), Serdes.JSON<Reading>({ name: 'Reading' })))
    .mapValues((r) => String(r.n * 2))
    .to(output, Produced.with(Serdes.String(), Serdes.String()));
  return b.build();
}

/** Record i: key k<i>, value {"n": i}, in partition i % 2; `bad` ones carry text that is not JSON. */
function readings(from: number, count: number, bad: (i: number) => boolean = () => false): Message[] {
  return Array.from({ length: count }, (_, j) => {
    const i = from + j;
    return { key: `k${i}`, value: bad(i) ? `not json {${i}` : JSON.stringify({ n: i }), partition: i % 2 };
  });
}

kafkaTest("deserializationExceptionHandler 'fail': the app stops in ERROR naming topic, partition, offset and serde; the bad offset is not committed", async (t, broker) => {
  const f = await appFixture(t, broker, { in: 2, out: 2 });
  const [input, output] = [f.topic('in'), f.topic('out')];
  await f.produce(input, readings(0, 40));
  const app = new KafkaStreams(doubled(input, output), {
    applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, commitIntervalMs: 200,
  }, { log: (l) => t.log(l) });
  const states: StreamsState[] = [];
  app.state$.subscribe((s) => states.push(s));
  t.teardown(() => app.close());
  await app.start();
  await f.untilCommitted([input]);
  t.deepEqual(await f.committed(input), [20, 20]);

  // Partition 1 gets a record that is not JSON at offset 20, then good ones; partition 0 only good ones.
  await f.produce(input, [{ key: 'bad', value: 'not json {', partition: 1 }, ...readings(40, 10)]);
  await until('the application to stop in ERROR', () => app.state === 'ERROR', 30_000, () => app.state);

  const error = app.error as DeserializationError;
  t.true(error instanceof DeserializationError, String(error));
  t.deepEqual([error.topic, error.partition, error.offset], [input, 1, 20]);
  t.true(error.message.includes(`Cannot read the record at ${input}-1@20 with key serde String / value serde JSON<Reading>`), error.message);
  t.regex(error.message, /Fix the serdes in Consumed\.with/);
  t.deepEqual(states.slice(-2), ['PENDING_ERROR', 'ERROR']);
  // Nothing past the bad record was committed: a restart reads it again (and stops again, until the serdes are fixed).
  const committed = await f.committed(input);
  t.is(committed[1], 20);
  t.true(committed[0]! >= 20 && committed[0]! <= 25, `partition 0 committed at ${committed[0]}`);
  await app.close();
  t.is(app.state, 'ERROR', 'close() after an error leaves the state as it is');
});

kafkaTest("deserializationExceptionHandler 'log-and-continue': bad records are skipped, logged and counted, and the app goes on past them", async (t, broker) => {
  const f = await appFixture(t, broker, { in: 2, out: 2 });
  const [input, output] = [f.topic('in'), f.topic('out')];
  // 8 bad records, among them the last record of partition 1 (i = 199).
  const bad = (i: number) => i % 25 === 24;
  const messages = readings(0, 200, bad);
  await f.produce(input, messages);
  const logged: string[] = [];
  const app = new KafkaStreams(doubled(input, output), {
    applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, commitIntervalMs: 200,
    deserializationExceptionHandler: 'log-and-continue',
  }, { log: (l) => { logged.push(l); t.log(l); } });
  t.teardown(() => app.close());
  await app.start();
  // Committed up to the end of both partitions: past the skipped records, the trailing one included.
  await f.untilCommitted([input]);
  const metrics = app.metrics();
  const out = await f.readAll(output);
  t.is(app.state, 'RUNNING');
  await app.close();

  const good = messages.filter((_m, i) => !bad(i));
  t.deepEqual(out.map((r) => `${r.key}=${r.value}`).sort(), good.map((m) => `${m.key}=${2 * Number(String(m.key).slice(1))}`).sort());
  const tasks = Object.values(metrics.tasks);
  t.is(tasks.reduce((n, x) => n + x.processed, 0), 192);
  t.is(tasks.reduce((n, x) => n + x.droppedRecords, 0), 8);
  const byReason = tasks.flatMap((x) => Object.entries(x.dropped)).filter(([k]) => k.startsWith('deserialization-error:'));
  t.is(byReason.reduce((n, [, v]) => n + v, 0), 8, JSON.stringify(byReason));
  const skipped = logged.filter((l) => l.startsWith('Skipping a record the serdes cannot read'));
  t.is(skipped.length, 8);
  for (let i = 0; i < 200; i++) {
    if (bad(i)) t.true(skipped.some((l) => l.includes(`${input}-${i % 2}@${Math.floor(i / 2)} `)), `record ${i} logged with its position`);
  }
});
