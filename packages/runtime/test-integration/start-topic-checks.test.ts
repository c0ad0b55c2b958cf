// What KafkaStreams#start checks of the topics on the real broker before it joins the group: joined topics must be
// co-partitioned (a join after a key change gets a repartition topic of the other side's count instead), every
// source topic must exist, and so must every sink topic; each failure is one error naming the topics and the fix,
// with the application in ERROR and nothing created.
import type { ExecutionContext } from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Joined, JoinWindows, StreamJoined, TopologyError, type Topology } from '@ts-streams/dsl';
import { KafkaStreams } from '@ts-streams/runtime';
import { kafkaTest, type TestBroker } from './kafka-test.ts';
import { appFixture, type AppFixture } from './app-fixture.ts';
import { MissingSourceTopicError } from '../src/errors/missing-source-topic-error.ts';

const s = Serdes.String();

function streamStreamJoin(left: string, right: string, output: string): Topology {
  const b = new StreamsBuilder();
  b.stream(left, Consumed.with(s, s))
    .join(b.stream(right, Consumed.with(s, s)), (l, r) => `${l}+${r}`, JoinWindows.ofTimeDifferenceWithNoGrace(1000), StreamJoined.with(s, s, s))
    .to(output, Produced.with(s, s));
  return b.build();
}

function streamTableJoin(stream: string, table: string, output: string, rekey = false): Topology {
  const b = new StreamsBuilder();
  const source = b.stream(stream, Consumed.with(s, s));
  (rekey ? source.selectKey((_k, v) => v) : source)
    .join(b.table(table, Consumed.with(s, s)), (v, tv) => `${v}@${tv}`, Joined.with(s, s, s))
    .to(output, Produced.with(s, s));
  return b.build();
}

/** Starts the topology, expecting start() to reject; returns the error after checking the app ended in ERROR with it. */
async function startFails(t: ExecutionContext, broker: TestBroker, f: AppFixture, topology: Topology): Promise<Error> {
  const app = new KafkaStreams(topology, { applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir }, { log: (l) => t.log(l) });
  t.teardown(() => app.close());
  const error = await t.throwsAsync(app.start());
  t.is(app.state, 'ERROR');
  t.is(app.error, error);
  // Nothing made for an application that cannot run: no internal topic, no group.
  t.deepEqual((await f.admin.listTopics()).filter((x) => x.startsWith(`${f.applicationId}-`)), []);
  t.false((await f.admin.listGroups()).groups.some((g) => g.groupId === f.applicationId));
  return error!;
}

kafkaTest('a stream-stream join of topics with 4 and 3 partitions: start rejects, naming both topics and their counts', async (t, broker) => {
  const f = await appFixture(t, broker, { left: 4, right: 3, out: 4 });
  const error = await startFails(t, broker, f, streamStreamJoin(f.topic('left'), f.topic('right'), f.topic('out')));
  t.true(error instanceof TopologyError, error.name);
  t.true(error.message.includes(`'${f.topic('left')}' (4 partitions), '${f.topic('right')}' (3 partitions)`), error.message);
  t.regex(error.message, /co-partitioned/);
  t.regex(error.message, /Recreate one with the other's count, or repartition one side/);
});

kafkaTest('a stream-table join of topics with 2 and 3 partitions: start rejects, naming both topics and their counts', async (t, broker) => {
  const f = await appFixture(t, broker, { clicks: 2, users: 3, out: 2 });
  const error = await startFails(t, broker, f, streamTableJoin(f.topic('clicks'), f.topic('users'), f.topic('out')));
  t.true(error instanceof TopologyError, error.name);
  t.true(error.message.includes(`'${f.topic('clicks')}' (2 partitions), '${f.topic('users')}' (3 partitions)`), error.message);
});

kafkaTest('a join after a key change is co-partitioned by its repartition topic, which takes the table\'s partition count', async (t, broker) => {
  const f = await appFixture(t, broker, { clicks: 4, users: 3, out: 3 });
  const app = new KafkaStreams(streamTableJoin(f.topic('clicks'), f.topic('users'), f.topic('out'), true), {
    applicationId: f.applicationId, bootstrapServers: broker.brokers, client: broker.client, stateDir: f.stateDir,
  }, { log: (l) => t.log(l) });
  t.teardown(() => app.close());
  await app.start();
  const internal = (await f.admin.listTopics()).filter((x) => x.startsWith(`${f.applicationId}-`));
  const meta = await f.admin.fetchTopicMetadata({ topics: internal });
  t.deepEqual(meta.topics.map((x) => [x.name.endsWith('-repartition') ? 'repartition' : 'changelog', x.partitions.length]).sort(), [['changelog', 3], ['repartition', 3]]);
  // Tasks: 4 reading the clicks, 3 joining the repartitioned clicks with the users.
  t.is(Object.keys(app.metrics().tasks).sort().join(','), '0_0,0_1,0_2,0_3,1_0,1_1,1_2');
  await app.close();
  t.is(app.state, 'NOT_RUNNING');
});

kafkaTest('a source topic that does not exist: start rejects naming it, and says to create it', async (t, broker) => {
  const f = await appFixture(t, broker, { users: 2, out: 2 });
  const error = await startFails(t, broker, f, streamTableJoin(f.topic('clicks'), f.topic('users'), f.topic('out')));
  t.true(error instanceof MissingSourceTopicError, error.name);
  t.deepEqual((error as MissingSourceTopicError).topics, [f.topic('clicks')]);
  t.regex(error.message, new RegExp(`reads topic '${f.topic('clicks')}', which the broker does not have. Create it`));
});

kafkaTest('source topics that do not exist, a global table\'s among them: one error naming them all', async (t, broker) => {
  const f = await appFixture(t, broker, { out: 2 });
  const b = new StreamsBuilder();
  const products = b.globalTable(f.topic('products'), Consumed.with(s, s));
  b.stream(f.topic('orders'), Consumed.with(s, s)).join(products, (_k, v) => v, (v, p) => `${v}:${p}`).to(f.topic('out'), Produced.with(s, s));
  const error = await startFails(t, broker, f, b.build());
  t.true(error instanceof MissingSourceTopicError, error.name);
  t.deepEqual([...(error as MissingSourceTopicError).topics].sort(), [f.topic('orders'), f.topic('products')].sort());
  t.regex(error.message, /Create them .*then start the application again/);
});

kafkaTest('a sink topic that does not exist: start rejects naming it, before any internal topic is created', async (t, broker) => {
  const f = await appFixture(t, broker, { clicks: 2, users: 2 });
  const error = await startFails(t, broker, f, streamTableJoin(f.topic('clicks'), f.topic('users'), f.topic('out')));
  t.true(error.message.includes(`writes to '${f.topic('out')}', which the broker does not have; create it`), error.message);
  t.false((await f.admin.listTopics()).includes(f.topic('out')), 'the sink topic is not created');
});
