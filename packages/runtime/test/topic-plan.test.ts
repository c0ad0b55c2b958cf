import test from 'ava';
import {
  StreamsBuilder, Serdes, Consumed, Grouped, Produced, TimeWindows, JoinWindows, Materialized, TopologyError, Suppressed, BufferConfig,
} from '@ts-streams/dsl';
import { planTopics, userSourceTopics, type TopicPlan } from '../src/topics/topic-plan.ts';
import { MissingSourceTopicError } from '../src/errors/missing-source-topic-error.ts';

// The plan Kafka Streams' assignor computes (RepartitionTopics, CopartitionedTopicsEnforcer, ChangelogTopics), over
// DSL topologies. Expected counts and configs are worked out by hand from Kafka's rules, not by running the code.

const S = () => Consumed.with(Serdes.String(), Serdes.String());
/** Strings by default: the key changes below need serdes the tests are not about. */
const builder = () => new StreamsBuilder({ defaultKeySerde: Serdes.String(), defaultValueSerde: Serdes.String() });
const counts = (o: Record<string, number>) => new Map(Object.entries(o));
const summary = (p: TopicPlan) => ({
  subtopologies: p.subtopologies.map((s) => `${s.subtopology}: ${s.tasks} tasks of ${s.sourceTopics.join(', ')}`),
  topics: [...p.repartitionTopics, ...p.changelogTopics].map((t) => `${t.name} ×${t.partitions} (sub-topology ${t.subtopology})`),
});

const REPARTITION = { 'message.timestamp.type': 'CreateTime', 'cleanup.policy': 'delete', 'segment.bytes': '52428800', 'retention.ms': '-1' };
const DAY = 86_400_000;

function pageViews() {
  const b = builder();
  b.stream('clickstream', Consumed.with(Serdes.String(), Serdes.JSON<{ pageUrl: string }>()))
    .groupBy((_user, click) => click.pageUrl, Grouped.with(Serdes.String(), Serdes.JSON<{ pageUrl: string }>(), 'clicks-by-page'))
    .windowedBy(TimeWindows.ofSizeAndGrace({ minutes: 5 }, { seconds: 30 }))
    .count(Materialized.as('page-view-counts'))
    .toStream()
    .map((w, views) => ({ key: w.key, value: String(views) }))
    .to('page-view-stats', Produced.with(Serdes.String(), Serdes.String()));
  return b.build();
}

test('page views: the groupBy repartition topic takes the clickstream count, the window changelog compact,delete with a day more retention', (t) => {
  const plan = planTopics(pageViews(), { applicationId: 'pv', sourcePartitions: counts({ clickstream: 6 }) });
  t.deepEqual(summary(plan), {
    subtopologies: ['0: 6 tasks of clickstream', '1: 6 tasks of pv-clicks-by-page-repartition'],
    topics: ['pv-clicks-by-page-repartition ×6 (sub-topology 1)', 'pv-page-view-counts-changelog ×6 (sub-topology 1)'],
  });
  t.deepEqual(plan.repartitionTopics[0]!.configs, REPARTITION);
  // A 5-minute window with 30 s grace is kept 330 s (size + grace), plus windowstore.changelog.additional.retention.ms.
  t.deepEqual(plan.changelogTopics[0]!.configs, {
    'message.timestamp.type': 'CreateTime', 'cleanup.policy': 'compact,delete', 'retention.ms': String(330_000 + DAY),
  });
  t.is(plan.changelogTopics[0]!.store, 'page-view-counts');
});

test('configs layer as Kafka: library < topic.* defaults < the store\'s logConfig, whose retention.ms is kept as given', (t) => {
  const b = builder();
  const grouped = b.stream('in', S()).groupByKey();
  grouped.count(Materialized.as('plain', { logConfig: { 'min.compaction.lag.ms': '100' } }));
  grouped.windowedBy(TimeWindows.ofSizeWithNoGrace({ seconds: 10 })).count(Materialized.as('windowed', { logConfig: { 'retention.ms': '5000' } }));
  const plan = planTopics(b.build(), {
    applicationId: 'app', sourcePartitions: counts({ in: 2 }),
    topicDefaults: { 'cleanup.policy': 'compact', 'max.message.bytes': '2000000' }, windowChangelogAdditionalRetentionMs: 1,
  });
  t.deepEqual(plan.changelogTopics.map((c) => [c.name, c.partitions, c.configs]), [
    ['app-plain-changelog', 2, { 'message.timestamp.type': 'CreateTime', 'cleanup.policy': 'compact', 'max.message.bytes': '2000000', 'min.compaction.lag.ms': '100' }],
    ['app-windowed-changelog', 2, { 'message.timestamp.type': 'CreateTime', 'cleanup.policy': 'compact', 'max.message.bytes': '2000000', 'retention.ms': '5000' }],
  ]);
});

function orderEnrichment() {
  const b = builder();
  const customers = b.table('customers', S());
  const products = b.globalTable('products', S());
  b.stream('orders', S())
    .leftJoin(customers, (o, c) => `${o}/${c}`)
    .leftJoin(products, (_k, v) => v, (v, p) => `${v}/${p}`)
    .to('orders.enriched', Produced.with(Serdes.String(), Serdes.String()));
  return b.build();
}

test('order enrichment: the join of two user topics needs no repartition; the table is logged, the global table is not', (t) => {
  const topology = orderEnrichment();
  t.deepEqual(userSourceTopics(topology), ['customers', 'products', 'orders']);
  const plan = planTopics(topology, { applicationId: 'oe', sourcePartitions: counts({ orders: 4, customers: 4, products: 2 }) });
  t.deepEqual(summary(plan), {
    subtopologies: ['0: 4 tasks of customers, orders'],
    topics: ['oe-customers-STATE-STORE-0000000000-changelog ×4 (sub-topology 0)'],
  });
  t.deepEqual(plan.changelogTopics[0]!.configs, { 'message.timestamp.type': 'CreateTime', 'cleanup.policy': 'compact' });
});

test('order enrichment: a table with another partition count than the stream is an error naming both topics and counts', (t) => {
  const e = t.throws(() => planTopics(orderEnrichment(), { applicationId: 'oe', sourcePartitions: counts({ orders: 4, customers: 8, products: 2 }) }), { instanceOf: TopologyError });
  t.regex(e.message, /'customers' \(8 partitions\), 'orders' \(4 partitions\) differ/);
  t.regex(e.message, /repartition\(\{ numberOfPartitions \}\)/);
  t.regex(e.step!, /^KSTREAM-LEFTJOIN-/);
});

test('a missing source topic, global ones included, is an error naming every missing topic', (t) => {
  const e = t.throws(() => planTopics(orderEnrichment(), { applicationId: 'oe', sourcePartitions: counts({ orders: 4 }) }), { instanceOf: MissingSourceTopicError });
  t.deepEqual(e.topics, ['customers', 'products']);
  t.regex(e.message, /'customers', 'products'.*Create them/);
  t.false(e.retriable);
});

test('an explicit repartition keeps its numberOfPartitions, and the tasks and changelog behind it follow', (t) => {
  const b = builder();
  b.stream('in', S()).repartition({ name: 'spread', numberOfPartitions: 10 }).groupByKey().count(Materialized.as('c'));
  const plan = planTopics(b.build(), { applicationId: 'app', sourcePartitions: counts({ in: 4 }) });
  t.deepEqual(summary(plan), {
    subtopologies: ['0: 4 tasks of in', '1: 10 tasks of app-spread-repartition'],
    topics: ['app-spread-repartition ×10 (sub-topology 1)', 'app-c-changelog ×10 (sub-topology 1)'],
  });
});

test('a chain of repartitions: each takes the count of what its writer reads, through the one before', (t) => {
  const b = builder();
  b.stream('in', S())
    .repartition({ name: 'first', numberOfPartitions: 7 })
    .selectKey((_k, v) => v)
    .groupByKey(Grouped.as('second'))
    .count(Materialized.as('c1'))
    .toStream()
    .selectKey((k) => k)
    .groupByKey(Grouped.with(Serdes.String(), Serdes.Long(), 'third'))
    .count(Materialized.as('c2'));
  const plan = planTopics(b.build(), { applicationId: 'app', sourcePartitions: counts({ in: 3 }) });
  t.deepEqual(summary(plan), {
    subtopologies: ['0: 3 tasks of in', '1: 7 tasks of app-first-repartition', '2: 7 tasks of app-second-repartition', '3: 7 tasks of app-third-repartition'],
    topics: [
      'app-first-repartition ×7 (sub-topology 1)', 'app-second-repartition ×7 (sub-topology 2)', 'app-third-repartition ×7 (sub-topology 3)',
      'app-c1-changelog ×7 (sub-topology 2)', 'app-c2-changelog ×7 (sub-topology 3)',
    ],
  });
});

test('a repartition topic written from two inputs takes the larger count', (t) => {
  const b = builder();
  b.stream('a', S()).merge(b.stream('b', S())).groupBy((_k, v) => v, Grouped.as('by-value')).count(Materialized.as('c'));
  const plan = planTopics(b.build(), { applicationId: 'app', sourcePartitions: counts({ a: 3, b: 5 }) });
  t.deepEqual(summary(plan).topics, ['app-by-value-repartition ×5 (sub-topology 1)', 'app-c-changelog ×5 (sub-topology 1)']);
  t.is(plan.subtopologies[0]!.tasks, 5);
});

const joinTwoRekeyed = (left?: number, right?: number) => {
  const b = builder();
  const rekey = (topic: string, name: string, n?: number) => {
    const s = b.stream(topic, S()).selectKey((_k, v) => v);
    return n === undefined ? s : s.repartition({ name, numberOfPartitions: n });
  };
  rekey('left', 'l', left)
    .join(rekey('right', 'r', right), (a, c) => a + c, JoinWindows.ofTimeDifferenceAndGrace({ seconds: 10 }, { seconds: 5 }), { storeName: 'j' })
    .to('joined', Produced.with(Serdes.String(), Serdes.String()));
  return b.build();
};

test('a join of two repartitioned streams: both repartition topics take the larger count, and the join stores theirs', (t) => {
  const plan = planTopics(joinTwoRekeyed(), { applicationId: 'app', sourcePartitions: counts({ left: 4, right: 6 }) });
  t.deepEqual(plan.repartitionTopics.map((r) => [r.name, r.partitions]), [
    ['app-KSTREAM-KEY-SELECT-0000000001-repartition', 6],
    ['app-KSTREAM-KEY-SELECT-0000000003-repartition', 6],
  ]);
  const joinSub = plan.subtopologies.find((s) => s.sourceTopics.length === 2)!;
  t.is(joinSub.tasks, 6);
  // Join windows of ±10 s with 5 s grace: stores of size 20 s kept 25 s, plus the day.
  t.deepEqual(plan.changelogTopics.map((c) => [c.name, c.partitions, c.configs['cleanup.policy'], c.configs['retention.ms']]), [
    ['app-j-this-join-store-changelog', 6, 'compact,delete', String(25_000 + DAY)],
    ['app-j-other-join-store-changelog', 6, 'compact,delete', String(25_000 + DAY)],
  ]);
});

test('a join of two explicit repartitions: one numberOfPartitions sets the other, two different ones are an error', (t) => {
  const one = planTopics(joinTwoRekeyed(3), { applicationId: 'app', sourcePartitions: counts({ left: 4, right: 6 }) });
  t.deepEqual(one.repartitionTopics.map((r) => [r.name, r.partitions]).sort(), [['app-KSTREAM-KEY-SELECT-0000000006-repartition', 3], ['app-l-repartition', 3]]);
  const e = t.throws(() => planTopics(joinTwoRekeyed(3, 8), { applicationId: 'app', sourcePartitions: counts({ left: 4, right: 6 }) }), { instanceOf: TopologyError });
  t.regex(e.message, /'app-l-repartition' \(3 partitions\), 'app-r-repartition' \(8 partitions\)/);
});

test('an explicit repartition joined with a user topic of another count is an error naming both', (t) => {
  const b = builder();
  const table = b.table('table', S());
  b.stream('in', S()).repartition({ name: 'r', numberOfPartitions: 2 }).join(table, (v, tv) => v + tv).to('out', Produced.with(Serdes.String(), Serdes.String()));
  const e = t.throws(() => planTopics(b.build(), { applicationId: 'app', sourcePartitions: counts({ in: 4, table: 4 }) }), { instanceOf: TopologyError });
  t.regex(e.message, /'app-r-repartition' has 2 partitions.*beside 'table' \(4 partitions\)/);
});

test('a repartition topic joined with a user topic takes the user topic\'s count, whatever its own input has', (t) => {
  const b = builder();
  const table = b.table('table', S());
  b.stream('in', S()).selectKey((_k, v) => v).join(table, (v, tv) => v + tv).to('out', Produced.with(Serdes.String(), Serdes.String()));
  const plan = planTopics(b.build(), { applicationId: 'app', sourcePartitions: counts({ in: 8, table: 3 }) });
  t.deepEqual(summary(plan), {
    subtopologies: ['0: 3 tasks of table, app-KSTREAM-KEY-SELECT-0000000004-repartition', '1: 8 tasks of in'],
    topics: ['app-KSTREAM-KEY-SELECT-0000000004-repartition ×3 (sub-topology 0)', 'app-table-STATE-STORE-0000000000-changelog ×3 (sub-topology 0)'],
  });
});

test('a suppress() buffer has a changelog of its own, compacted, as Kafka logs it by default', (t) => {
  const b = builder();
  b.stream('in', S()).groupByKey().windowedBy(TimeWindows.ofSizeWithNoGrace({ minutes: 1 })).count(Materialized.as('c'))
    .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded(), 'final'));
  const plan = planTopics(b.build(), { applicationId: 'app', sourcePartitions: counts({ in: 2 }) });
  t.deepEqual(plan.changelogTopics.map((c) => [c.name, c.partitions, c.configs['cleanup.policy']]), [
    ['app-c-changelog', 2, 'compact,delete'],
    ['app-final-store-changelog', 2, 'compact'],
  ]);
});
