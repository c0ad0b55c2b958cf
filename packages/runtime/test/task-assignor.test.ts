// The task assignor on its own: balance, stickiness, state preference, sub-topology spread and determinism, by
// example and by a seeded randomized search for broken invariants.
import test from 'ava';
import { assignTasks, type AssignorMember, type TaskAssignment } from '../src/assignment/task-assignor.ts';
import { TaskId } from '../src/assignment/task-id.ts';
import type { TaskOffsetSum } from '../src/assignment/subscription-info.ts';
import { StreamsError } from '../src/errors/streams-error.ts';

/** The tasks of sub-topologies with these partition counts: `[4, 2]` is 0_0..0_3, 1_0, 1_1. */
function tasksOf(partitions: readonly number[]): TaskId[] {
  return partitions.flatMap((n, s) => Array.from({ length: n }, (_, p) => new TaskId(s, p)));
}

const ids = (s: string): TaskId[] => (s === '' ? [] : s.split(' ').map(TaskId.parse));

function member(memberId: string, owned = '', state: Record<string, number> = {}): AssignorMember {
  return { memberId, ownedTasks: ids(owned), taskOffsetSums: Object.entries(state).map(([t, offsetSum]) => ({ task: TaskId.parse(t), offsetSum })) };
}

/** The assignment as `{ member: 'tasks...' }`, for exact comparisons. */
function show(a: TaskAssignment): Record<string, string> {
  return Object.fromEntries([...a.tasksByMember].map(([m, ts]) => [m, ts.join(' ')]));
}

/** Members owning what `a` gave them (the next rebalance's subscriptions). */
function owning(a: TaskAssignment, memberIds = [...a.tasksByMember.keys()]): AssignorMember[] {
  return memberIds.map((m) => ({ memberId: m, ownedTasks: a.tasksByMember.get(m) ?? [], taskOffsetSums: [] }));
}

/** Every task assigned exactly once, to a known member; task counts within one of each other. */
function checkInvariants(t: import('ava').ExecutionContext, tasks: readonly TaskId[], members: readonly AssignorMember[], a: TaskAssignment): void {
  const given = [...a.tasksByMember.values()].flat().map(String).sort();
  t.deepEqual(given, tasks.map(String).sort(), 'every task exactly once');
  t.deepEqual([...a.tasksByMember.keys()].sort(), members.map((m) => m.memberId).sort(), 'every member listed');
  const counts = [...a.tasksByMember.values()].map((ts) => ts.length);
  t.true(Math.max(...counts) - Math.min(...counts) <= 1, `balanced within one: ${counts}`);
  for (const [m, ts] of a.tasksByMember) for (const task of ts) t.is(a.ownerOf.get(task.toString()), m);
  t.is(a.kept + a.warm + a.cold, tasks.length);
}

/** Per sub-topology, the members' task counts differ by at most one. */
function spreadOf(a: TaskAssignment, subtopologies: number): number {
  let worst = 0;
  for (let s = 0; s < subtopologies; s++) {
    const counts = [...a.tasksByMember.values()].map((ts) => ts.filter((x) => x.subtopology === s).length);
    worst = Math.max(worst, Math.max(...counts) - Math.min(...counts));
  }
  return worst;
}

/** The most owned tasks any balanced assignment can leave in place (owned sets disjoint). */
function keepableBound(tasks: number, owned: readonly number[]): number {
  const floor = Math.floor(tasks / owned.length);
  const extra = tasks % owned.length;
  return owned.reduce((sum, o) => sum + Math.min(o, floor), 0) + Math.min(extra, owned.filter((o) => o > floor).length);
}

/** mulberry32: a small seeded PRNG, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(xs: readonly T[], rnd: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

test('a fresh group: balanced within one and every sub-topology spread, for 1-5 members over 1-3 sub-topologies of 1-8 partitions', (t) => {
  for (let members = 1; members <= 5; members++) {
    for (let subs = 1; subs <= 3; subs++) {
      for (let p = 1; p <= 8; p++) {
        // Equal partition counts, and unequal ones (p, p-1, ... down to 1).
        for (const counts of [Array(subs).fill(p), Array.from({ length: subs }, (_, s) => Math.max(1, p - s * 3))]) {
          const tasks = tasksOf(counts);
          const ms = Array.from({ length: members }, (_, i) => member(`m${i}`));
          const a = assignTasks(tasks, ms);
          checkInvariants(t, tasks, ms, a);
          t.true(spreadOf(a, subs) <= 1, `${members} members over ${counts}: ${JSON.stringify(show(a))}`);
          t.is(a.cold, tasks.length);
        }
      }
    }
  }
});

test('a fresh group of two over two sub-topologies of four: each member gets two of each', (t) => {
  const a = assignTasks(tasksOf([4, 4]), [member('b'), member('a')]);
  t.deepEqual(show(a), { a: '0_0 0_2 1_0 1_2', b: '0_1 0_3 1_1 1_3' });
});

test('a member joins: only its share moves, taken evenly from the others and from every sub-topology', (t) => {
  const tasks = tasksOf([4, 4, 4]);
  const before = assignTasks(tasks, [member('a'), member('b')]);
  const after = assignTasks(tasks, [...owning(before), member('c')]);
  checkInvariants(t, tasks, [member('a'), member('b'), member('c')], after);
  t.is(after.kept, 8, 'a and b keep 4 each');
  t.is(after.tasksByMember.get('c')!.length, 4);
  for (const m of ['a', 'b']) {
    const prev = new Set(before.tasksByMember.get(m)!.map(String));
    t.true(after.tasksByMember.get(m)!.every((x) => prev.has(x.toString())), `${m} keeps only tasks it had`);
  }
  t.is(spreadOf(after, 3), 1);
});

test('one instance ran everything; a second joins: the first keeps half, spread over the sub-topologies, the second takes the rest', (t) => {
  const tasks = tasksOf([4, 4]);
  const a = assignTasks(tasks, [member('first', tasks.join(' ')), member('second')]);
  t.deepEqual(show(a), { first: '0_0 0_1 1_0 1_1', second: '0_2 0_3 1_2 1_3' });
  t.is(a.kept, 4);
  t.is(a.cold, 4);
});

test('a member leaves: the others keep all their tasks, its tasks spread over them', (t) => {
  const tasks = tasksOf([3, 4]);
  const before = assignTasks(tasks, [member('a'), member('b'), member('c')]);
  const after = assignTasks(tasks, owning(before, ['a', 'c']));
  checkInvariants(t, tasks, owning(before, ['a', 'c']), after);
  t.is(after.kept, before.tasksByMember.get('a')!.length + before.tasksByMember.get('c')!.length);
  for (const m of ['a', 'c']) {
    const now = new Set(after.tasksByMember.get(m)!.map(String));
    t.true(before.tasksByMember.get(m)!.every((x) => now.has(x.toString())), `${m} keeps all it had`);
  }
});

test('after a join or a leave, stickiness comes first and sub-topologies stay spread within two', (t) => {
  // Spreading perfectly would move tasks that can stay; Kafka Streams' assignor too keeps state in place first.
  let within1 = 0;
  let cases = 0;
  for (let members = 1; members <= 5; members++) {
    for (let subs = 1; subs <= 3; subs++) {
      for (let p = 1; p <= 8; p++) {
        const tasks = tasksOf(Array(subs).fill(p));
        const ids = Array.from({ length: members }, (_, i) => `m${i}`);
        const before = assignTasks(tasks, ids.map((id) => member(id)));
        for (const now of [[...ids, 'new'], ids.slice(1)]) {
          if (now.length === 0) continue;
          const a = assignTasks(tasks, owning(before, now));
          checkInvariants(t, tasks, owning(before, now), a);
          t.true(spreadOf(a, subs) <= 2);
          cases++;
          if (spreadOf(a, subs) <= 1) within1++;
        }
      }
    }
  }
  t.log(`${within1} of ${cases} joins and leaves keep every sub-topology within one`);
  t.true(within1 / cases > 0.9);
});

test('members join and leave over many rebalances: each time no more tasks move than balance forces', (t) => {
  const tasks = tasksOf([8, 5, 3]);
  let current = assignTasks(tasks, [member('m0')]);
  const sizes = [2, 3, 5, 4, 2, 1, 3];
  let next = 1;
  for (const size of sizes) {
    let ids = [...current.tasksByMember.keys()];
    while (ids.length > size) ids = ids.slice(1); // the oldest leaves
    while (ids.length < size) ids.push(`m${next++}`);
    const ms = owning(current, ids);
    const a = assignTasks(tasks, ms);
    checkInvariants(t, tasks, ms, a);
    t.is(a.kept, keepableBound(tasks.length, ms.map((m) => m.ownedTasks.length)), `to ${size} members`);
    current = a;
  }
});

test('a task without owner goes to a member that has its state on disk', (t) => {
  const tasks = tasksOf([6]);
  // A member that ran 0_4 and 0_5 is gone; b has old state for 0_4, c for 0_4 (further on) and 0_5. Each has
  // room for one more: c takes 0_5, which only it has state for, b takes 0_4.
  const a = assignTasks(tasks, [member('a', '0_0 0_1'), member('b', '0_2', { '0_4': 10 }), member('c', '0_3', { '0_4': 25, '0_5': 3 })]);
  t.deepEqual(show(a), { a: '0_0 0_1', b: '0_2 0_4', c: '0_3 0_5' });
  t.deepEqual([a.kept, a.warm, a.cold], [4, 2, 0]);
});

test('of two members with state for a task, the one whose checkpoint reaches further gets it', (t) => {
  const a = assignTasks(tasksOf([2]), [member('a', '', { '0_0': 5 }), member('b', '', { '0_0': 7 })]);
  t.deepEqual(show(a), { a: '0_1', b: '0_0' });
  const swapped = assignTasks(tasksOf([2]), [member('a', '', { '0_0': 7 }), member('b', '', { '0_0': 5 })]);
  t.deepEqual(show(swapped), { a: '0_0', b: '0_1' });
});

test('the owner keeps its task over a member with state for it', (t) => {
  const a = assignTasks(tasksOf([2]), [member('a', '0_1'), member('b', '0_0', { '0_1': 1e12 })]);
  t.deepEqual(show(a), { a: '0_1', b: '0_0' });
  t.is(a.kept, 2);
});

test('a member over its share gives away first the tasks another member has state for', (t) => {
  // 'second' restarts with the state of 0_0 and 0_1, which 'first' took over while it was away.
  const tasks = tasksOf([4]);
  const a = assignTasks(tasks, [member('first', '0_0 0_1 0_2 0_3'), member('second', '', { '0_0': 100, '0_1': 90 })]);
  t.deepEqual(show(a), { first: '0_2 0_3', second: '0_0 0_1' });
  t.deepEqual([a.kept, a.warm, a.cold], [2, 2, 0]);
});

test('the member with one more task is one that ran more, so nothing moves needlessly', (t) => {
  // 5 tasks, 2 members: 'z' ran 3, 'a' ran 2; 'z' keeps its 3 although 'a' sorts first.
  const a = assignTasks(tasksOf([5]), [member('a', '0_0 0_1'), member('z', '0_2 0_3 0_4')]);
  t.deepEqual(show(a), { a: '0_0 0_1', z: '0_2 0_3 0_4' });
});

test('tasks that no longer exist, and a task claimed by two members, are resolved without error', (t) => {
  // 'a' still lists 0_7 (the topic shrank) and 3_0 (a sub-topology gone); a and b both claim 0_1.
  const a = assignTasks(tasksOf([4]), [member('a', '0_0 0_1 0_7 3_0'), member('b', '0_1 0_2', { '9_9': 4 })]);
  t.deepEqual(show(a), { a: '0_0 0_1', b: '0_2 0_3' });
  t.is(a.kept, 3);
});

test('more members than tasks: some get none, each task once', (t) => {
  const tasks = tasksOf([1, 2]);
  const ms = ['a', 'b', 'c', 'd', 'e'].map((m) => member(m));
  const a = assignTasks(tasks, ms);
  checkInvariants(t, tasks, ms, a);
  t.deepEqual(show(a), { a: '0_0', b: '1_0', c: '1_1', d: '', e: '' });
  t.deepEqual(show(assignTasks([], ms)), { a: '', b: '', c: '', d: '', e: '' });
});

test('the same members and tasks in any order give the same assignment', (t) => {
  const rnd = prng(7);
  const tasks = tasksOf([5, 3, 8]);
  const ms = [member('m1', '0_0 0_1 2_7', { '1_2': 40 }), member('m2', '1_0 2_0 2_1 2_2 2_3 2_4'), member('m3', '', { '0_4': 1, '2_5': 9 }), member('m4')];
  const expected = show(assignTasks(tasks, ms));
  for (let i = 0; i < 50; i++) {
    const shuffled = shuffle(ms, rnd).map((m) => ({ ...m, ownedTasks: shuffle(m.ownedTasks, rnd), taskOffsetSums: shuffle(m.taskOffsetSums, rnd) }));
    t.deepEqual(show(assignTasks(shuffle(tasks, rnd), shuffled)), expected);
  }
});

test('randomized: every task once, balanced within one, owned tasks kept as far as balance allows, deterministic', (t) => {
  const rnd = prng(20240615);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  for (let round = 0; round < 400; round++) {
    const counts = Array.from({ length: int(1, 4) }, () => int(1, 12));
    const tasks = tasksOf(counts);
    const memberIds = Array.from({ length: int(1, 7) }, (_, i) => `member-${int(0, 9)}${i}`);
    // A previous generation: disjoint owned sets (some tasks unowned, some owned by a member now gone), plus
    // stale tasks and random state on disk.
    const owned = new Map(memberIds.map((m) => [m, [] as TaskId[]]));
    for (const task of tasks) {
      if (rnd() < 0.25) continue;
      const m = memberIds[int(0, memberIds.length)]; // index length = a member that left
      if (m !== undefined) owned.get(m)!.push(task);
    }
    const ms: AssignorMember[] = memberIds.map((m) => {
      const state: TaskOffsetSum[] = tasks.filter(() => rnd() < 0.15).map((task) => ({ task, offsetSum: int(0, 1000) }));
      const mine = owned.get(m)!;
      const stale = rnd() < 0.2 ? [new TaskId(counts.length + 1, 0)] : [];
      return { memberId: m, ownedTasks: [...mine, ...stale], taskOffsetSums: state.filter((s) => !mine.some((o) => o.equals(s.task))) };
    });
    const a = assignTasks(tasks, ms);
    const where = `round ${round}: ${counts} over ${memberIds.length} members`;
    checkInvariants(t, tasks, ms, a);
    t.is(a.kept, keepableBound(tasks.length, memberIds.map((m) => owned.get(m)!.length)), `kept as many as balance allows, ${where}`);
    const floor = Math.floor(tasks.length / memberIds.length);
    for (const m of memberIds) {
      const now = new Set(a.tasksByMember.get(m)!.map(String));
      const mine = owned.get(m)!;
      if (mine.length <= floor) t.true(mine.every((x) => now.has(x.toString())), `${m} ran no more than its share and keeps all, ${where}`);
      t.true(mine.filter((x) => now.has(x.toString())).length >= Math.min(mine.length, floor), `${m} keeps its share, ${where}`);
    }
    t.deepEqual(show(assignTasks(shuffle(tasks, rnd), shuffle(ms, rnd))), show(a), `deterministic, ${where}`);
  }
});

test('wrong input is an error naming it', (t) => {
  t.throws(() => assignTasks(tasksOf([1]), []), { instanceOf: StreamsError, message: /no members/ });
  t.throws(() => assignTasks(tasksOf([1]), [member('a'), member('a')]), { instanceOf: StreamsError, message: /'a' is listed twice/ });
  t.throws(() => assignTasks([...tasksOf([2]), new TaskId(0, 1)], [member('a')]), { instanceOf: StreamsError, message: /0_1 is listed twice/ });
});
