// The application's assignor as a group consumer carries it: subscription bytes in, each member's partitions and
// assignment bytes out, over the page-views topology (clickstream → repartition by page → windowed count).
import test from 'ava';
import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized } from '@ts-streams/dsl';
import { StreamsGroupAssignor, type MemberTasks } from '../src/app/streams-group-assignor.ts';
import { decodeSubscriptionInfo } from '../src/assignment/subscription-info.ts';
import { decodeAssignmentInfo } from '../src/assignment/assignment-info.ts';
import { AssignorError } from '../src/assignment/assignor-error.ts';
import { AssignmentProtocolError } from '../src/errors/assignment-protocol-error.ts';
import { tasksOfPartitions } from '../src/assignment/task-partitions.ts';
import { TaskId } from '../src/assignment/task-id.ts';
import type { GroupSnapshot } from '../src/client/group-assignor.ts';
import type { TaskAssignment } from '../src/assignment/task-assignor.ts';

const APP = 'pv';

function topology() {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream('clicks', Consumed.with(s, s))
    .groupBy((_user, page) => page, Grouped.with(s, s, 'by-page'))
    .count(Materialized.as('views'))
    .toStream()
    .to('out', Produced.with(s, Serdes.Long()));
  return b.build();
}

/** An instance's assignor, whose member state the test sets. */
function instance(processId: string, tasks: MemberTasks = { ownedTasks: [], taskOffsetSums: [] }) {
  const state = { tasks, assignments: [] as TaskAssignment[] };
  const assignor = new StreamsGroupAssignor({
    topology: topology(), applicationId: APP, processId, userEndpoint: `${processId}:7070`,
    memberTasks: () => state.tasks, onAssigned: (a) => state.assignments.push(a),
  });
  return { assignor, state };
}

const partitions = new Map([['clicks', 4], ['pv-by-page-repartition', 4]]);
const tasksOf = (ids: string[]) => ids.map((id) => TaskId.parse(id));

test('the subscription carries the process, endpoint and what the member owns and has on disk, as of the join', (t) => {
  const a = instance('p1');
  t.is(a.assignor.name, 'ts-streams');
  t.deepEqual(decodeSubscriptionInfo(Buffer.from(a.assignor.subscriptionUserData())).ownedTasks, []);
  a.state.tasks = { ownedTasks: tasksOf(['0_1', '1_3']), taskOffsetSums: [{ task: TaskId.parse('1_0'), offsetSum: 42 }] };
  const info = decodeSubscriptionInfo(Buffer.from(a.assignor.subscriptionUserData()));
  t.is(info.processId, 'p1');
  t.is(info.userEndpoint, 'p1:7070');
  t.deepEqual(info.ownedTasks.map(String), ['0_1', '1_3']);
  t.deepEqual(info.taskOffsetSums.map((s) => [String(s.task), s.offsetSum]), [['1_0', 42]]);
});

test('the leader hands out whole tasks, sticky, and each member reads its tasks from its assignment bytes', (t) => {
  const leader = instance('p1', { ownedTasks: tasksOf(['0_0', '0_1', '1_0', '1_1']), taskOffsetSums: [] });
  const other = instance('p2', { ownedTasks: tasksOf(['0_2', '0_3', '1_2', '1_3']), taskOffsetSums: [] });
  const snapshot: GroupSnapshot = {
    // One member's bytes inside a larger buffer, as a client may hand them over.
    members: [
      { memberId: 'm-b', topics: ['clicks', 'pv-by-page-repartition'], userData: other.assignor.subscriptionUserData() },
      { memberId: 'm-a', topics: ['clicks', 'pv-by-page-repartition'], userData: new Uint8Array([9, 9, ...leader.assignor.subscriptionUserData()]).subarray(2) },
    ],
    partitionsPerTopic: partitions,
  };
  const result = leader.assignor.assign(snapshot);
  t.deepEqual([...result.keys()].sort(), ['m-a', 'm-b']);
  const topo = topology();
  const got: Record<string, string[]> = {};
  for (const [memberId, a] of result) {
    const info = decodeAssignmentInfo(Buffer.from(a.userData));
    t.is(info.errorCode, AssignorError.NONE);
    // The partitions are exactly those of the tasks its userData names.
    t.deepEqual(tasksOfPartitions(topo, APP, a.partitions).map((x) => String(x.task)), info.activeTasks.map(String));
    got[memberId] = info.activeTasks.map(String);
  }
  t.deepEqual(got, { 'm-a': ['0_0', '0_1', '1_0', '1_1'], 'm-b': ['0_2', '0_3', '1_2', '1_3'] }, 'each keeps what it ran');
  t.deepEqual(leader.state.assignments.map((a) => [a.kept, a.warm, a.cold]), [[8, 0, 0]]);
});

test('a missing source topic sends every member the same error naming it, and no partitions', (t) => {
  const a = instance('p1');
  const result = a.assignor.assign({
    members: [{ memberId: 'm-a', topics: ['clicks'], userData: a.assignor.subscriptionUserData() }],
    partitionsPerTopic: new Map([['pv-by-page-repartition', 4]]),
  });
  const only = result.get('m-a')!;
  t.deepEqual(only.partitions, []);
  const info = decodeAssignmentInfo(Buffer.from(only.userData));
  t.is(info.errorCode, AssignorError.INCOMPLETE_SOURCE_TOPIC_METADATA);
  t.regex(info.errorMessage, /'clicks'.*does not exist/);
});

test("a member whose bytes are not our subscription fails the rebalance, saying so", (t) => {
  const a = instance('p1');
  t.throws(
    () => a.assignor.assign({
      members: [
        { memberId: 'm-a', topics: ['clicks'], userData: a.assignor.subscriptionUserData() },
        { memberId: 'java', topics: ['clicks'], userData: new Uint8Array([0, 2, 0, 0, 0, 1]) },
      ],
      partitionsPerTopic: partitions,
    }),
    { instanceOf: AssignmentProtocolError },
  );
});
