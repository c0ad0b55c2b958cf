import { StreamsError } from '../errors/streams-error.ts';
import { TaskId } from './task-id.ts';
import type { TaskOffsetSum } from './subscription-info.ts';

/** A member of the consumer group as the assignor sees it: what its subscription said. */
export interface AssignorMember {
  readonly memberId: string;
  /** The tasks it ran until this rebalance. */
  readonly ownedTasks: readonly TaskId[];
  /** Tasks it has state for on disk (not owned), with how far their checkpoints reach. */
  readonly taskOffsetSums: readonly TaskOffsetSum[];
}

/** Who runs each task. */
export interface TaskAssignment {
  /** Every member's tasks (an empty list for a member with none), in TaskId order; members in member id order. */
  readonly tasksByMember: ReadonlyMap<string, readonly TaskId[]>;
  /** The member of each task, by task id (`s_p`). */
  readonly ownerOf: ReadonlyMap<string, string>;
  /** Tasks that stay with the member that ran them. */
  readonly kept: number;
  /** Tasks that go to a member that has state for them on disk (it restores only what it missed). */
  readonly warm: number;
  /** Tasks that go to a member without state for them: new tasks, and moves that restore from scratch. */
  readonly cold: number;
}

/**
 * Hands out whole tasks to the members of the group — never single partitions, so co-partitioned topics (both
 * sides of a join, a repartitioned aggregation's input) are always read by the same process.
 *
 * - Balanced: member task counts differ by at most one. The members that get one more are those that ran the
 *   most tasks, so that as few tasks as possible move.
 * - Sticky: a member keeps the tasks it ran, up to its share. One over its share keeps first the tasks no other
 *   member has state for, and spreads what it keeps over the sub-topologies, its own and the group's (so what
 *   the members give away does too).
 * - State-aware: a task without an owner goes to a member with state for it if one has room, the one whose
 *   checkpoint reaches furthest first (Kafka Streams' lag-aware preference, by offset sum: see TaskOffsetSum);
 *   tasks that fewer members have state for are placed first.
 * - Spread: the rest go, in TaskId order, to the member with room and the fewest tasks of that sub-topology
 *   (then the most room), so a sub-topology's tasks spread over the members as Kafka Streams' assignor spreads
 *   them. Stickiness comes before spread: moving state costs more than an uneven sub-topology.
 * - Deterministic: the result depends only on the set of members (ordered by member id) and of tasks, never on
 *   their order, so every leader computes the same.
 *
 * Owned or stateful tasks that are not in `tasks` (the topology or a partition count changed) are ignored. A
 * task two members claim to own (a member that missed a rebalance) stays with the first by member id; the
 * other counts as having its latest state.
 */
export function assignTasks(tasks: readonly TaskId[], members: readonly AssignorMember[]): TaskAssignment {
  if (members.length === 0) throw new StreamsError('Cannot assign tasks to a group with no members (the leader is always one).');
  const all = [...tasks].sort(TaskId.compare);
  const indexOf = new Map<string, number>();
  all.forEach((t, k) => {
    const id = t.toString();
    if (indexOf.has(id)) throw new StreamsError(`Task ${id} is listed twice among the tasks to assign.`);
    indexOf.set(id, k);
  });
  const ms = [...members].sort((a, b) => compareStrings(a.memberId, b.memberId));
  for (let i = 1; i < ms.length; i++) {
    if (ms[i]!.memberId === ms[i - 1]!.memberId) throw new StreamsError(`Member '${ms[i]!.memberId}' is listed twice among the group's members.`);
  }
  const N = all.length;
  const M = ms.length;

  // Previous owners (the first claimant by member id) and, per task, the other members with state for it, the
  // furthest checkpoint first.
  const prevOwner = new Int32Array(N).fill(-1);
  const holders: { member: number; offsetSum: number }[][] = all.map(() => []);
  ms.forEach((m, i) => {
    for (const t of m.ownedTasks) {
      const k = indexOf.get(t.toString());
      if (k === undefined) continue;
      if (prevOwner[k] === -1) prevOwner[k] = i;
      else if (prevOwner[k] !== i) holders[k]!.push({ member: i, offsetSum: Number.MAX_SAFE_INTEGER });
    }
  });
  ms.forEach((m, i) => {
    for (const { task, offsetSum } of m.taskOffsetSums) {
      const k = indexOf.get(task.toString());
      if (k === undefined || prevOwner[k] === i || holders[k]!.some((h) => h.member === i)) continue;
      holders[k]!.push({ member: i, offsetSum });
    }
  });
  for (const h of holders) h.sort((a, b) => b.offsetSum - a.offsetSum || a.member - b.member);
  const owned: number[][] = ms.map(() => []);
  for (let k = 0; k < N; k++) if (prevOwner[k]! >= 0) owned[prevOwner[k]!]!.push(k);

  // Shares: floor(N/M) each, one more for the N mod M members that ran the most tasks (then that have state
  // for the most).
  const stateful = new Array<number>(M).fill(0);
  for (const h of holders) for (const { member } of h) stateful[member]!++;
  const quota = new Array<number>(M).fill(Math.floor(N / M));
  const byOwned = ms.map((_, i) => i).sort((a, b) => owned[b]!.length - owned[a]!.length || stateful[b]! - stateful[a]! || a - b);
  for (let j = 0; j < N % M; j++) quota[byOwned[j]!]!++;

  const owner = new Int32Array(N).fill(-1);
  const load = new Array<number>(M).fill(0);
  const perSubtopology = ms.map(() => new Map<number, number>());
  const inGroup = new Map<number, number>();
  const countIn = (i: number, k: number) => perSubtopology[i]!.get(all[k]!.subtopology) ?? 0;
  const countInGroup = (k: number) => inGroup.get(all[k]!.subtopology) ?? 0;
  const give = (k: number, i: number) => {
    owner[k] = i;
    load[i]!++;
    perSubtopology[i]!.set(all[k]!.subtopology, countIn(i, k) + 1);
    inGroup.set(all[k]!.subtopology, countInGroup(k) + 1);
  };
  let kept = 0;
  let warm = 0;

  // Which of two of its tasks member i, over its share, keeps first.
  const keepsBefore = (i: number, a: number, b: number): boolean => {
    const sa = holders[a]!.length > 0 ? 1 : 0;
    const sb = holders[b]!.length > 0 ? 1 : 0;
    if (sa !== sb) return sa < sb;
    const ca = countIn(i, a);
    const cb = countIn(i, b);
    if (ca !== cb) return ca < cb;
    // Of sub-topologies this member holds as many of, keep one the members before it kept fewer of: what
    // the members give away then spans the sub-topologies too.
    const ga = countInGroup(a);
    const gb = countInGroup(b);
    return ga !== gb ? ga < gb : a < b;
  };

  // 1. Each member keeps what it ran, up to its share.
  for (let i = 0; i < M; i++) {
    const mine = owned[i]!;
    if (mine.length <= quota[i]!) {
      for (const k of mine) give(k, i);
      kept += mine.length;
      continue;
    }
    const left = [...mine];
    while (load[i]! < quota[i]!) {
      let best = 0;
      for (let j = 1; j < left.length; j++) if (keepsBefore(i, left[j]!, left[best]!)) best = j;
      give(left[best]!, i);
      left.splice(best, 1);
      kept++;
    }
  }

  // 2. A task without an owner goes to the member with room whose state for it reaches furthest. Tasks with
  // fewer such members choose first, so one member's room is not taken by a task another could have had.
  const unowned: number[] = [];
  for (let k = 0; k < N; k++) if (owner[k] === -1 && holders[k]!.length > 0) unowned.push(k);
  unowned.sort((a, b) => holders[a]!.length - holders[b]!.length || a - b);
  for (const k of unowned) {
    const h = holders[k]!.find(({ member }) => load[member]! < quota[member]!);
    if (h) {
      give(k, h.member);
      warm++;
    }
  }

  // 3. The rest spread: the member with room and the fewest tasks of the sub-topology, then the most room.
  for (let k = 0; k < N; k++) {
    if (owner[k] !== -1) continue;
    let best = -1;
    for (let i = 0; i < M; i++) {
      if (load[i]! >= quota[i]!) continue;
      if (best === -1) {
        best = i;
        continue;
      }
      const c = countIn(i, k) - countIn(best, k);
      if (c < 0 || (c === 0 && quota[i]! - load[i]! > quota[best]! - load[best]!)) best = i;
    }
    give(k, best);
  }

  const tasksByMember = new Map<string, TaskId[]>(ms.map((m) => [m.memberId, []]));
  const ownerOf = new Map<string, string>();
  for (let k = 0; k < N; k++) {
    const m = ms[owner[k]!]!.memberId;
    tasksByMember.get(m)!.push(all[k]!);
    ownerOf.set(all[k]!.toString(), m);
  }
  return { tasksByMember, ownerOf, kept, warm, cold: N - kept - warm };
}

/** Code-unit order, as Java's String#compareTo: the same on every leader whatever its locale. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
