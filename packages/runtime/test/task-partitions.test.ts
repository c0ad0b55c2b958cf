// Which partitions make up each task (Kafka Streams' PartitionGrouper), on the leader's side from partition counts
// and on a member's side from its assigned partitions, with compileTask's task ids.
import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, type Topology } from '@ts-streams/dsl';
import { taskPartitions, tasksOfPartitions, groupSourceTopics, missingSourceTopics, subtopologySourceTopics } from '../src/assignment/task-partitions.ts';
import { taskPlan } from '../src/compile/compile-task.ts';
import { StreamsError } from '../src/errors/streams-error.ts';

const APP = 'app';

/**
 * Sub-topology 0: orders (4 partitions) joined with the customers table (4), re-keyed by region into a
 * repartition topic; also merged with 'more-orders' (2 partitions). Sub-topology 1: counts per region from the
 * repartition topic. A global table ('rates') is read outside the group.
 */
function topology(): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  const customers = b.table('customers', Consumed.with(s, s));
  b.globalTable('rates', Consumed.with(s, s));
  b.stream('orders', Consumed.with(s, s))
    .merge(b.stream('more-orders', Consumed.with(s, s)))
    .join(customers, (order, region) => `${region}:${order}`)
    .groupBy((_k, v) => v.split(':')[0]!, Grouped.with(s, s, 'by-region'))
    .count(Materialized.as('region-counts'))
    .toStream()
    .to('region-counts-out', Produced.with(s, Serdes.Long()));
  return b.build();
}

const counts: Record<string, number> = { orders: 4, customers: 4, 'more-orders': 2, rates: 3, 'app-by-region-repartition': 3 };
const count = (t: string) => counts[t];
const show = (tps: ReturnType<typeof taskPartitions>) => tps.map(({ task, partitions }) => `${task}: ${partitions.map((p) => `${p.topic}-${p.partition}`).join(' ')}`);

test('the group reads the sub-topologies\' source topics, repartition topics with the application id; not global tables', (t) => {
  const topo = topology();
  t.deepEqual(groupSourceTopics(topo, APP), ['app-by-region-repartition', 'customers', 'more-orders', 'orders']);
  t.deepEqual([...subtopologySourceTopics(topo, APP).keys()], topo.subtopologies.map((s) => s.id));
});

test('a sub-topology has as many tasks as its source topic with the most partitions; each reads partition p of every topic that has it', (t) => {
  const topo = topology();
  const [first, second] = topo.subtopologies.map((s) => s.id);
  t.deepEqual(show(taskPartitions(topo, APP, count)), [
    `${first}_0: customers-0 more-orders-0 orders-0`,
    `${first}_1: customers-1 more-orders-1 orders-1`,
    `${first}_2: customers-2 orders-2`,
    `${first}_3: customers-3 orders-3`,
    `${second}_0: app-by-region-repartition-0`,
    `${second}_1: app-by-region-repartition-1`,
    `${second}_2: app-by-region-repartition-2`,
  ]);
});

test('task ids are the ones compileTask gives the task of that sub-topology and partition', (t) => {
  const topo = topology();
  for (const { task } of taskPartitions(topo, APP, count)) {
    t.is(taskPlan({ topology: topo, subtopologies: [task.subtopology], partition: task.partition }).taskId, task.toString());
  }
});

test('a member finds its tasks from its assigned partitions alone', (t) => {
  const topo = topology();
  const all = taskPartitions(topo, APP, count);
  const mine = [all[1]!, all[2]!, all[5]!];
  const partitions = mine.flatMap((tp) => tp.partitions).reverse();
  t.deepEqual(show(tasksOfPartitions(topo, APP, partitions)), show(mine));
  t.throws(() => tasksOfPartitions(topo, APP, [{ topic: 'rates', partition: 0 }]), { instanceOf: StreamsError, message: /no sub-topology of application 'app' reads topic 'rates'/ });
});

test('a missing source topic is an error naming it', (t) => {
  const topo = topology();
  const without = (...gone: string[]) => (topic: string) => (gone.includes(topic) ? undefined : counts[topic]);
  t.deepEqual(missingSourceTopics(topo, APP, without('orders', 'app-by-region-repartition')), ['app-by-region-repartition', 'orders']);
  t.throws(() => taskPartitions(topo, APP, without('orders')), { instanceOf: StreamsError, message: "Source topic 'orders' of application 'app' does not exist; create it (only internal topics are created by the application)." });
  t.throws(() => taskPartitions(topo, APP, without('orders', 'customers')), { instanceOf: StreamsError, message: /Source topics 'customers', 'orders' of application 'app' do not exist; create them/ });
});
