// The leader's side of a rebalance without a Kafka client: decoded subscriptions in, each member's partitions and
// assignment userData out, as the kafkajs assigner will use it.
import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, type Topology } from '@ts-streams/dsl';
import { assignGroup, type GroupMember } from '../src/assignment/group-assignment.ts';
import { encodeSubscriptionInfo, decodeSubscriptionInfo } from '../src/assignment/subscription-info.ts';
import { encodeAssignmentInfo, decodeAssignmentInfo } from '../src/assignment/assignment-info.ts';
import { AssignorError } from '../src/assignment/assignor-error.ts';
import { tasksOfPartitions } from '../src/assignment/task-partitions.ts';
import { TaskId } from '../src/assignment/task-id.ts';

const APP = 'shop';

/** Sub-topology 0: orders ⋈ customers (co-partitioned, 6 each), re-keyed; sub-topology 1: counts (4 partitions). */
function topology(): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  const customers = b.table('customers', Consumed.with(s, s));
  b.stream('orders', Consumed.with(s, s))
    .join(customers, (order, region) => `${region}:${order}`)
    .groupBy((_k, v) => v.split(':')[0]!, Grouped.with(s, s, 'by-region'))
    .count(Materialized.as('region-counts'))
    .toStream()
    .to('out', Produced.with(s, Serdes.Long()));
  return b.build();
}

const counts: Record<string, number> = { orders: 6, customers: 6, 'shop-by-region-repartition': 4 };
const partitionCount = (t: string) => counts[t];

/** A member as the kafkajs assigner sees it: its subscription userData goes through bytes. */
function member(memberId: string, processId: string, ownedTasks: readonly TaskId[] = []): GroupMember {
  const bytes = encodeSubscriptionInfo({ processId, userEndpoint: `${processId}:7070`, ownedTasks, taskOffsetSums: [] });
  return { memberId, subscription: decodeSubscriptionInfo(bytes) };
}

test('every source partition goes to one member, co-partitioned ones together, and the userData names its tasks', (t) => {
  const topo = topology();
  const result = assignGroup({ topology: topo, applicationId: APP, partitionCount, members: [member('c-3', 'p3'), member('c-1', 'p1'), member('c-2', 'p2')] });
  t.deepEqual(result.members.map((m) => m.memberId), ['c-1', 'c-2', 'c-3']);
  const seen: string[] = [];
  for (const m of result.members) {
    for (const [topic, ps] of Object.entries(m.partitions)) for (const p of ps) seen.push(`${topic}-${p}`);
    t.deepEqual(m.partitions.orders, m.partitions.customers, `${m.memberId} reads the same partitions of both sides of the join`);
    t.is(m.info.errorCode, AssignorError.NONE);
    // The member finds the same tasks from its partitions as the leader put in its userData.
    const partitions = Object.entries(m.partitions).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition })));
    t.deepEqual(tasksOfPartitions(topo, APP, partitions).map((x) => x.task.toString()), m.info.activeTasks.map(String));
    t.deepEqual(decodeAssignmentInfo(encodeAssignmentInfo(m.info)), m.info);
    t.true(m.info.activeTasks.length === 3 || m.info.activeTasks.length === 4);
  }
  const expected = Object.entries(counts).flatMap(([topic, n]) => Array.from({ length: n }, (_, p) => `${topic}-${p}`));
  t.deepEqual(seen.sort(), expected.sort());
  // The task → instance map: every task once, with each instance's endpoint.
  const hosts = result.members[0]!.info.hosts;
  t.deepEqual(hosts.map((h) => [h.processId, h.userEndpoint, h.tasks.length]), [['p1', 'p1:7070', 4], ['p2', 'p2:7070', 3], ['p3', 'p3:7070', 3]]);
  t.is(new Set(hosts.flatMap((h) => h.tasks.map(String))).size, 10);
  t.deepEqual(result.tasks && [result.tasks.kept, result.tasks.warm, result.tasks.cold], [0, 0, 10]);
});

test('the next rebalance: members report what they ran; a joining member takes only its share', (t) => {
  const topo = topology();
  const first = assignGroup({ topology: topo, applicationId: APP, partitionCount, members: [member('a', 'pa'), member('b', 'pb')] });
  const owned = (id: string) => first.members.find((m) => m.memberId === id)!.info.activeTasks;
  const second = assignGroup({ topology: topo, applicationId: APP, partitionCount, members: [member('a2', 'pa', owned('a')), member('b2', 'pb', owned('b')), member('c', 'pc')] });
  t.deepEqual(second.tasks && [second.tasks.kept, second.tasks.cold], [7, 3]);
  for (const [before, after] of [['a', 'a2'], ['b', 'b2']] as const) {
    const had = new Set(owned(before).map(String));
    t.true(second.members.find((m) => m.memberId === after)!.info.activeTasks.every((x) => had.has(x.toString())));
  }
});

test('two members of one process are one host in the task map', (t) => {
  const result = assignGroup({ topology: topology(), applicationId: APP, partitionCount, members: [member('x-1', 'same'), member('x-2', 'same')] });
  const hosts = result.members[0]!.info.hosts;
  t.is(hosts.length, 1);
  t.is(hosts[0]!.tasks.length, 10);
  t.deepEqual(hosts[0]!.tasks.map(String), [...hosts[0]!.tasks].sort(TaskId.compare).map(String));
});

test('a missing source topic: every member gets the error naming it and no partitions', (t) => {
  const result = assignGroup({ topology: topology(), applicationId: APP, partitionCount: (topic) => (topic === 'customers' ? undefined : counts[topic]), members: [member('a', 'pa'), member('b', 'pb')] });
  t.is(result.tasks, undefined);
  for (const m of result.members) {
    t.deepEqual(m.partitions, {});
    t.is(m.info.errorCode, AssignorError.INCOMPLETE_SOURCE_TOPIC_METADATA);
    t.is(m.info.errorMessage, "Source topic 'customers' of application 'shop' does not exist; create it before starting the application.");
    t.deepEqual(decodeAssignmentInfo(encodeAssignmentInfo(m.info)), m.info);
  }
});
