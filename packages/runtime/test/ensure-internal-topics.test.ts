import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Grouped, TimeWindows, Materialized } from '@ts-streams/dsl';
import { planTopics } from '../src/topics/topic-plan.ts';
import { describeSinkTopics, describeSourceTopics, ensureInternalTopics } from '../src/topics/ensure-internal-topics.ts';
import { MissingSourceTopicError } from '../src/errors/missing-source-topic-error.ts';
import { InternalTopicError } from '../src/errors/internal-topic-error.ts';
import { MemoryAdmin } from './memory-admin.ts';

// ensureInternalTopics over a test double of the admin seam (MemoryAdmin): which topics it creates, with what, and
// what it refuses. The same against a real broker comes with the kafkajs adapter.

function pageViews() {
  const b = new StreamsBuilder();
  b.stream('clickstream', Consumed.with(Serdes.String(), Serdes.String()))
    .groupBy((_k, v) => v, Grouped.with(Serdes.String(), Serdes.String(), 'by-page'))
    .windowedBy(TimeWindows.ofSizeWithNoGrace({ minutes: 1 }))
    .count(Materialized.as('counts'));
  return b.build();
}

async function planOn(admin: MemoryAdmin) {
  const topology = pageViews();
  return planTopics(topology, { applicationId: 'pv', sourcePartitions: await describeSourceTopics(admin, topology) });
}

test('creates the missing internal topics with their partitions and configs, once; a second start creates nothing', async (t) => {
  const admin = new MemoryAdmin({ clickstream: 3 });
  const plan = await planOn(admin);
  t.deepEqual(await ensureInternalTopics(admin, plan, { replicationFactor: 1 }), {
    created: ['pv-by-page-repartition', 'pv-counts-changelog'], existing: [],
  });
  t.deepEqual(admin.createCalls, [[
    { name: 'pv-by-page-repartition', partitions: 3, replicationFactor: 1, configs: plan.repartitionTopics[0]!.configs },
    { name: 'pv-counts-changelog', partitions: 3, replicationFactor: 1, configs: plan.changelogTopics[0]!.configs },
  ]]);
  t.is(admin.topics.get('pv-counts-changelog')!.configs!['cleanup.policy'], 'compact,delete');

  t.deepEqual(await ensureInternalTopics(admin, await planOn(admin)), { created: [], existing: ['pv-by-page-repartition', 'pv-counts-changelog'] });
  t.is(admin.createCalls.length, 1);
});

test('an internal topic with another partition count is an error naming it, both counts and the fix; nothing is created', async (t) => {
  const admin = new MemoryAdmin({ clickstream: 3, 'pv-counts-changelog': 6 });
  const e = await t.throwsAsync(ensureInternalTopics(admin, await planOn(admin)), { instanceOf: InternalTopicError });
  t.deepEqual(e.mismatches, [{ topic: 'pv-counts-changelog', expected: 3, actual: 6 }]);
  t.regex(e.message, /Internal topic 'pv-counts-changelog' has 6 partitions, but the topology needs 3\. Delete it .*`streams reset`/);
  t.false(e.retriable);
  t.deepEqual(admin.createCalls, []);
});

test('a source topic the broker lacks is an error naming it; nothing is created for it', async (t) => {
  const admin = new MemoryAdmin({});
  const e = await t.throwsAsync(planOn(admin), { instanceOf: MissingSourceTopicError });
  t.deepEqual(e.topics, ['clickstream']);
  t.false(admin.topics.has('clickstream'));
});

test('a topic another instance created meanwhile is checked like any existing one', async (t) => {
  const admin = new MemoryAdmin({ clickstream: 3 });
  const plan = await planOn(admin);
  admin.beforeCreate = () => admin.topics.set('pv-by-page-repartition', { name: 'pv-by-page-repartition', partitions: 3 });
  t.deepEqual(await ensureInternalTopics(admin, plan), { created: ['pv-counts-changelog'], existing: ['pv-by-page-repartition'] });

  const racing = new MemoryAdmin({ clickstream: 3 });
  racing.beforeCreate = () => racing.topics.set('pv-counts-changelog', { name: 'pv-counts-changelog', partitions: 1 });
  const e = await t.throwsAsync(ensureInternalTopics(racing, plan), { instanceOf: InternalTopicError });
  t.deepEqual(e.mismatches, [{ topic: 'pv-counts-changelog', expected: 3, actual: 1 }]);
});

test('the topics a topology writes: counts of those not known already; missing ones all named in one error', async (t) => {
  const b = new StreamsBuilder();
  const words = b.stream('words', Consumed.with(Serdes.String(), Serdes.String()));
  b.stream('copies', Consumed.with(Serdes.String(), Serdes.String())).filter((_k, v) => v !== '').to('words');
  words.to('copies');
  words.to('more-copies');
  words.to('copies');
  const topology = b.build();
  // 'words' and 'copies' are inputs, described already: only 'more-copies' is asked for.
  const known = new Map([['words', 2], ['copies', 2]]);
  t.deepEqual(await describeSinkTopics(new MemoryAdmin({ 'more-copies': 4 }), topology, known), new Map([['more-copies', 4]]));
  const error = await t.throwsAsync(describeSinkTopics(new MemoryAdmin({ words: 2, copies: 2 }), topology, known));
  t.is(error!.message, "The topology writes to 'more-copies', which the broker does not have; create it, then start again (only internal topics are created by the application).");
  await t.throwsAsync(describeSinkTopics(new MemoryAdmin({}), topology, new Map([['words', 2]])), { message: /writes to 'copies', 'more-copies', which .* create them/ });
});
