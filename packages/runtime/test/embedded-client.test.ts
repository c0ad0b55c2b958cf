// The client seam on the embedded log, role by role (no broker): the admin, the plain and the transactional
// producer, the group consumer (the group's only member, still assigned through the assignor it carries) and the
// assigned consumer, each against the contract in src/client/.
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedLog } from '../src/embedded/embedded-log.ts';
import { EmbeddedClient } from '../src/embedded/embedded-client.ts';
import type { GroupAssignor, GroupSnapshot, MemberAssignment } from '../src/client/group-assignor.ts';
import type { FetchedPartition } from '../src/client/fetched-partition.ts';
import type { TopicPartition } from '../src/io/topic-partition.ts';
import { ClientError } from '../src/errors/client-error.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

async function setup(t: ExecutionContext): Promise<{ log: EmbeddedLog; client: EmbeddedClient }> {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-client-'));
  const log = await EmbeddedLog.open(dir, { cleanerIntervalMs: 0 });
  const client = new EmbeddedClient(log);
  t.teardown(async () => {
    await client.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });
  log.createTopics([{ name: 'in', partitions: 2, configs: {} }, { name: 'out', partitions: 1, configs: {} }]);
  return { log, client };
}

const rec = (topic: string, partition: number, value: string) => ({ topic, partition, key: enc('k'), value: enc(value), timestamp: 1, headers: [] });

/** Every partition of the subscribed topics to the one member; records what it was asked. */
class AllToOne implements GroupAssignor {
  readonly name = 'all-to-one';
  readonly version = 1;
  snapshots: GroupSnapshot[] = [];
  subscriptionUserData(): Uint8Array {
    return enc('mine');
  }
  assign(group: GroupSnapshot): ReadonlyMap<string, MemberAssignment> {
    this.snapshots.push(group);
    const partitions: TopicPartition[] = [];
    for (const [topic, n] of group.partitionsPerTopic) for (let partition = 0; partition < n; partition++) partitions.push({ topic, partition });
    return new Map([[group.members[0]!.memberId, { partitions, userData: enc('tasks') }]]);
  }
}

const values = (f: readonly FetchedPartition[]) => f.flatMap((x) => x.records.map((r) => `${x.topic}-${x.partition}@${r.offset}:${dec(r.value)}`));

test('admin: create, describe, list offsets, delete records; a created topic is there at once', async (t) => {
  const { client } = await setup(t);
  const admin = client.admin();
  await admin.connect();
  t.deepEqual(await admin.createTopics([{ name: 'new', partitions: 3, configs: { 'cleanup.policy': 'compact' } }, { name: 'in', partitions: 9, configs: {} }]), ['new']);
  t.deepEqual(await admin.describeTopics(['new', 'missing']), new Map([['new', { name: 'new', partitions: 3, configs: { 'cleanup.policy': 'compact' } }], ['missing', undefined]]));
  const producer = client.producer({});
  await producer.send([rec('in', 1, 'a'), rec('in', 1, 'b'), rec('in', 1, 'c')]);
  await admin.deleteRecords([{ topic: 'in', partition: 1, offset: 1 }]);
  t.deepEqual(await admin.listOffsets([{ topic: 'in', partition: 1 }, { topic: 'in', partition: 0 }], 'earliest'), [{ topic: 'in', partition: 1, offset: 1 }, { topic: 'in', partition: 0, offset: 0 }]);
  t.deepEqual(await admin.listOffsets([{ topic: 'in', partition: 1 }], 'latest', { isolation: 'read_committed' }), [{ topic: 'in', partition: 1, offset: 3 }]);
  const missing = await t.throwsAsync(admin.listOffsets([{ topic: 'missing', partition: 0 }], 'latest'), { instanceOf: ClientError });
  t.is(missing.reason, 'unknown-topic');
});

test("admin: list and delete topics, a group's committed offsets read and set (refused while the group has its member)", async (t) => {
  const { log, client } = await setup(t);
  const admin = client.admin();
  t.deepEqual(await admin.listTopics(), ['in', 'out']);
  t.deepEqual(await admin.committedOffsets('app', ['in', 'missing']), [], 'a group that never committed has no offsets');
  await admin.alterCommittedOffsets('app', [{ topic: 'in', partition: 1, offset: 0 }]);
  t.deepEqual(await admin.committedOffsets('app', ['in']), [{ topic: 'in', partition: 1, offset: 0 }]);
  const leave = log.joinGroup('app');
  const refused = await t.throwsAsync(admin.alterCommittedOffsets('app', [{ topic: 'in', partition: 0, offset: 0 }]), { instanceOf: ClientError });
  t.is(refused.reason, 'fatal');
  t.regex(refused.message, /group app .*running member.*Stop it/);
  leave();
  await admin.deleteTopics(['out', 'never-there']);
  t.deepEqual(await admin.listTopics(), ['in']);
});

test('plain producer: each send resolves with its own last offsets once written; the sends of one turn are one write', async (t) => {
  const { log, client } = await setup(t);
  const producer = client.producer({});
  t.is(producer.transactions, undefined);
  const a = producer.send([rec('in', 0, 'a1'), rec('in', 0, 'a2'), rec('in', 1, 'a3')]);
  const b = producer.send([rec('in', 0, 'b1')]);
  t.is(log.endOffset({ topic: 'in', partition: 0 }), 0, 'not written before the turn ends');
  t.deepEqual(await a, [{ topic: 'in', partition: 0, offset: 1 }, { topic: 'in', partition: 1, offset: 0 }]);
  t.deepEqual(await b, [{ topic: 'in', partition: 0, offset: 2 }]);
  await producer.flush();
  t.deepEqual(log.read({ topic: 'in', partition: 0 }, 0, 10).records.map((r) => dec(r.value)), ['a1', 'a2', 'b1']);
  const bad = await t.throwsAsync(producer.send([rec('missing', 0, 'x')]), { instanceOf: ClientError });
  t.is(bad.reason, 'unknown-topic');
  await producer.close();
  await t.throwsAsync(producer.send([rec('in', 0, 'x')]), { message: /closed/ });
});

test('transactional producer: sends are invisible until the transaction commits with the group offsets; abort drops them; a second producer with the id is refused while the first runs', async (t) => {
  const { log, client } = await setup(t);
  const producer = client.producer({ transactionalId: 'app' });
  await producer.connect();
  const tx = producer.transactions!;
  const group = { groupId: 'app', generationId: -1, memberId: '', groupInstanceId: null };
  tx.begin();
  t.deepEqual(await producer.send([rec('out', 0, 'x'), rec('out', 0, 'y')]), [{ topic: 'out', partition: 0, offset: 1 }]);
  t.is(log.endOffset({ topic: 'out', partition: 0 }), 0);
  await tx.commit(group, [{ topic: 'in', partition: 0, offset: 5 }]);
  t.is(log.endOffset({ topic: 'out', partition: 0 }), 2);
  t.is(log.committed('app', { topic: 'in', partition: 0 }), 5);

  tx.begin();
  await producer.send([rec('out', 0, 'dropped')]);
  await tx.abort();
  await tx.commit(group, []);
  t.deepEqual(log.read({ topic: 'out', partition: 0 }, 0, 10).records.map((r) => dec(r.value)), ['x', 'y']);

  // One producer per id while it runs; closing it aborts its open transaction and frees the id.
  await producer.send([rec('out', 0, 'unfinished')]);
  t.throws(() => client.producer({ transactionalId: 'app' }), { instanceOf: ClientError, message: /is held by a running producer/ });
  await producer.close();
  const next = client.producer({ transactionalId: 'app' });
  await next.send([rec('out', 0, 'live')]);
  await next.transactions!.commit(group, []);
  t.deepEqual(log.read({ topic: 'out', partition: 0 }, 0, 10).records.map((r) => dec(r.value)), ['x', 'y', 'live']);
});

test('group consumer: assigned through its assignor as the only member; polls, pauses, seeks, commits; close revokes', async (t) => {
  const { log, client } = await setup(t);
  log.append([rec('in', 0, 'a'), rec('in', 0, 'b'), rec('in', 1, 'c')]);
  log.commitOffsets('g', [{ topic: 'in', partition: 0, offset: 1 }]);
  const assignor = new AllToOne();
  const consumer = client.groupConsumer({ groupId: 'g', assignor, offsetReset: () => 'earliest', isolation: 'read_committed', maxBufferedRecords: 100 });
  const events: string[] = [];
  await consumer.subscribe(['in', 'missing'], {
    onAssigned: async (a) => void events.push(`assigned ${a.partitions.map((p) => `${p.topic}-${p.partition}`).join(',')} ${dec(a.userData)}`),
    onRevoked: async (ps) => void events.push(`revoked ${ps.map((p) => `${p.topic}-${p.partition}`).join(',')}`),
    onLost: async () => void events.push('lost'),
  });
  t.deepEqual(events, ['assigned in-0,in-1 tasks']);
  t.is(assignor.snapshots.length, 1);
  t.deepEqual(assignor.snapshots[0]!.partitionsPerTopic, new Map([['in', 2]]), 'a topic the log does not have is absent');
  t.deepEqual(assignor.snapshots[0]!.members.map((m) => [m.topics, dec(m.userData as Uint8Array)]), [[['in', 'missing'], 'mine']]);

  // From the committed offset (in-0) or offsetReset (in-1); every partition has an entry, lag 0 once caught up.
  const first = await consumer.poll({ maxRecords: 10, timeoutMs: 1_000 });
  t.deepEqual(values(first).sort(), ['in-0@1:b', 'in-1@0:c']);
  t.true(first.every((f) => f.lag === 0));

  // Nothing new: a poll waits, and a write wakes it.
  const waiting = consumer.poll({ maxRecords: 10, timeoutMs: 10_000 });
  setTimeout(() => log.append([rec('in', 1, 'd')]), 50);
  t.deepEqual(values(await waiting), ['in-1@1:d']);
  const empty = await consumer.poll({ maxRecords: 10, timeoutMs: 50 });
  t.deepEqual(empty.map((f) => [f.topic, f.partition, f.records.length, f.lag]).sort(), [['in', 0, 0, 0], ['in', 1, 0, 0]]);

  consumer.pause([{ topic: 'in', partition: 1 }]);
  log.append([rec('in', 1, 'e'), rec('in', 0, 'f')]);
  t.deepEqual(values(await consumer.poll({ maxRecords: 10, timeoutMs: 1_000 })), ['in-0@2:f']);
  consumer.resume([{ topic: 'in', partition: 1 }]);
  consumer.seek({ topic: 'in', partition: 0, offset: 0 });
  t.deepEqual(values(await consumer.poll({ maxRecords: 10, timeoutMs: 1_000 })).sort(), ['in-0@0:a', 'in-0@1:b', 'in-0@2:f', 'in-1@2:e']);

  // maxRecords is shared: each partition gets its part first.
  log.append([...['1', '2', '3', '4'].map((v) => rec('in', 0, v)), ...['5', '6', '7', '8'].map((v) => rec('in', 1, v))]);
  const shared = await consumer.poll({ maxRecords: 4, timeoutMs: 1_000 });
  t.deepEqual(shared.map((f) => [f.partition, f.records.length, f.lag]).sort(), [[0, 2, 2], [1, 2, 2]]);

  // Deleted records: the position is reset by offsetReset.
  await consumer.poll({ maxRecords: 100, timeoutMs: 50 });
  log.append([rec('in', 0, 'g')]);
  log.deleteRecords([{ topic: 'in', partition: 0, offset: 7 }]);
  consumer.seek({ topic: 'in', partition: 0, offset: 2 });
  t.deepEqual(values(await consumer.poll({ maxRecords: 10, timeoutMs: 1_000 })), ['in-0@7:g']);

  await consumer.commit([{ topic: 'in', partition: 0, offset: 8 }]);
  t.deepEqual(await consumer.committed([{ topic: 'in', partition: 0 }, { topic: 'in', partition: 1 }]), [{ topic: 'in', partition: 0, offset: 8 }, { topic: 'in', partition: 1, offset: undefined }]);

  // The group's only member: another is refused until this one leaves.
  const second = client.groupConsumer({ groupId: 'g', assignor, offsetReset: () => 'earliest', isolation: 'read_committed', maxBufferedRecords: 100 });
  await t.throwsAsync(second.subscribe(['in'], { onAssigned: async () => undefined, onRevoked: async () => undefined, onLost: async () => undefined }), { message: /Group 'g' already has a member/ });
  await consumer.close();
  t.deepEqual(events.slice(1), ['revoked in-0,in-1']);
  t.deepEqual(await consumer.poll({ maxRecords: 10, timeoutMs: 10 }), []);
  await t.throwsAsync(consumer.commit([{ topic: 'in', partition: 0, offset: 9 }]), { instanceOf: ClientError, message: /left the group/ });
});

test('assigned consumer: no position until a seek; earliest and latest; caught up answers at once; out of range rejects naming the partition', async (t) => {
  const { log, client } = await setup(t);
  log.append([rec('in', 0, 'a'), rec('in', 0, 'b'), rec('in', 0, 'c')]);
  const consumer = client.assignedConsumer({ isolation: 'read_committed', maxBufferedRecords: 100 });
  await consumer.connect();
  const tp = { topic: 'in', partition: 0 };
  consumer.assign([tp, { topic: 'in', partition: 1 }]);
  t.is(consumer.position(tp), undefined);
  t.deepEqual(await consumer.poll({ maxRecords: 10, timeoutMs: 20 }), [], 'nothing positioned: nothing read');
  consumer.seek(tp, 'latest');
  t.is(consumer.position(tp), 3);
  const started = Date.now();
  const caughtUp = await consumer.poll({ maxRecords: 10, timeoutMs: 5_000 });
  t.true(Date.now() - started < 2_000, 'a caught-up partition answers without waiting for the timeout');
  t.deepEqual(caughtUp.map((f) => [f.records.length, f.nextOffset, f.lag]), [[0, 3, 0]]);
  consumer.seek(tp, 'earliest');
  consumer.seek({ topic: 'in', partition: 1 }, 0);
  t.deepEqual(values(await consumer.poll({ maxRecords: 2, timeoutMs: 1_000 })), ['in-0@0:a', 'in-0@1:b']);
  t.is(consumer.position(tp), 2);
  log.deleteRecords([{ topic: 'in', partition: 0, offset: 3 }]);
  const e = await t.throwsAsync(consumer.poll({ maxRecords: 10, timeoutMs: 100 }), { instanceOf: ClientError });
  t.is(e.reason, 'offset-out-of-range');
  t.deepEqual(e.partitions, [tp]);
  consumer.seek(tp, 'earliest');
  t.deepEqual((await consumer.poll({ maxRecords: 10, timeoutMs: 100 })).map((f) => [f.partition, f.nextOffset, f.lag]).sort(), [[0, 3, 0], [1, 0, 0]]);
  await consumer.close();
  await t.throwsAsync(consumer.poll({ maxRecords: 1, timeoutMs: 1 }), { message: /closed/ });
});
