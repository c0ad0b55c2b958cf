// A step that throws while the application runs on the real broker: the application stops in ERROR with an error
// naming the step, the task and the record (topic, partition, offset), nothing of that partition from the failed
// record on is committed or written, and the committed offsets (read with kafkajs's admin) say so.
import type { Message } from 'kafkajs';
import { StreamsBuilder, Serdes, Consumed, Produced, Named, type Topology } from '@ts-streams/dsl';
import { KafkaStreams, ProcessingError, type StreamsState } from '@ts-streams/runtime';
import { kafkaTest } from './kafka-test.ts';
import { appFixture, until } from './app-fixture.ts';

/** in → upper case (step 'shout', which throws on 'boom') → out. */
function shout(input: string, output: string): Topology {
  const b = new StreamsBuilder();
  b.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
    .mapValues((v) => {
      if (v === 'boom') throw new RangeError('cannot shout boom');
      return v.toUpperCase();
    }, Named.as('shout'))
    .to(output, Produced.with(Serdes.String(), Serdes.String()));
  return b.build();
}

const words = (prefix: string, count: number): Message[] => Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `${prefix}${i}`, partition: i % 2 }));

kafkaTest('a step that throws stops the app in ERROR naming the step, the task and the record; its offset is not committed', async (t, broker) => {
  const f = await appFixture(t, broker, { in: 2, out: 2 });
  const [input, output] = [f.topic('in'), f.topic('out')];
  await f.produce(input, words('before', 40));
  const app = new KafkaStreams(shout(input, output), {
    applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir, commitIntervalMs: 200,
  }, { log: (l) => t.log(l) });
  const states: StreamsState[] = [];
  app.state$.subscribe((s) => states.push(s));
  t.teardown(() => app.close());
  await app.start();
  await f.untilCommitted([input]);
  t.deepEqual(await f.committed(input), [20, 20]);

  // Partition 0 gets the record the step throws on at offset 20, then more; partition 1 only good ones.
  await f.produce(input, [{ key: 'b', value: 'boom', partition: 0 }, ...words('after', 10)]);
  await until('the application to stop in ERROR', () => app.state === 'ERROR', 30_000, () => app.state);

  const error = app.error as ProcessingError;
  t.true(error instanceof ProcessingError, String(error));
  t.deepEqual([error.step, error.taskId, error.topic, error.partition, error.offset], ['shout', '0_0', input, 0, 20]);
  t.is(error.message, `Step 'shout' of task 0_0 threw while processing ${input}-0@20: cannot shout boom`);
  t.true(error.cause instanceof RangeError);
  t.deepEqual(states.slice(-2), ['PENDING_ERROR', 'ERROR']);
  const committed = await f.committed(input);
  t.is(committed[0], 20, 'the failed record is read again after a restart');
  t.true(committed[1]! >= 20 && committed[1]! <= 25, `partition 1 committed at ${committed[1]}`);
  // Nothing of partition 0 past the failed record was processed: the partition stops at the record that threw.
  const out = await f.readAll(output);
  t.is(out.filter((r) => r.value!.startsWith('BEFORE')).length, 40);
  t.deepEqual(out.filter((r) => r.value!.startsWith('AFTER') && Number(r.value!.slice(5)) % 2 === 0), []);
  await app.close();
  t.is(app.state, 'ERROR');
});
