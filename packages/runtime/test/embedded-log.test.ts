// The embedded log's own semantics, no broker: topics, offsets, timestamps and headers; list offsets; committed
// offsets per group; transactions (invisible until committed, aborted ones a gap, the last stable offset);
// deleteRecords, retention and compaction; durability across a restart; the lock that names the process holding it.
import test from 'ava';
import { RocksDatabase } from '@ts-streams/state';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedLog, type EmbeddedLogOptions } from '../src/embedded/embedded-log.ts';
import { EmbeddedLogLockedError } from '../src/errors/embedded-log-locked-error.ts';
import { ClientError } from '../src/errors/client-error.ts';
import { defaultPartition } from '../src/io/murmur2.ts';
import { encodeGroupOffset, encodeU64, groupOffsetKey, readU64 } from '../src/embedded/log-keys.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function openLog(t: { teardown(fn: () => Promise<void> | void): void }, dir: string, options: EmbeddedLogOptions = {}): Promise<EmbeddedLog> {
  const log = await EmbeddedLog.open(dir, { cleanerIntervalMs: 0, ...options });
  t.teardown(() => log.close());
  return log;
}

function record<P extends number | undefined>(topic: string, partition: P, key: string | null, value: string | null, timestamp: number, headers: { key: string; value: Uint8Array | null }[] = []) {
  return { topic, partition, key: key === null ? null : enc(key), value: value === null ? null : enc(value), timestamp, headers };
}

/** Every record of a partition from `from`, as [offset, key, value]. */
function readAll(log: EmbeddedLog, topic: string, partition: number, from = log.startOffset({ topic, partition })): [number, string | null, string | null][] {
  const out: [number, string | null, string | null][] = [];
  for (;;) {
    const r = log.read({ topic, partition }, from, 100);
    for (const x of r.records) out.push([x.offset!, dec(x.key), dec(x.value)]);
    if (r.lag === 0) return out;
    from = r.nextOffset;
  }
}

test('topics: records get consecutive offsets per partition and come back with their timestamps, keys, values and headers', async (t) => {
  const log = await openLog(t, tempDir(t));
  t.deepEqual(log.createTopics([{ name: 'in', partitions: 3, configs: {} }, { name: 'out', partitions: 1, configs: { 'cleanup.policy': 'compact' } }]), ['in', 'out']);
  t.deepEqual(log.createTopics([{ name: 'in', partitions: 5, configs: {} }]), [], 'an existing topic is left as it is');
  t.deepEqual(log.describeTopic('in'), { name: 'in', partitions: 3, configs: {} });
  t.deepEqual(log.describeTopic('out')?.configs, { 'cleanup.policy': 'compact' });
  t.is(log.describeTopic('nope'), undefined);
  t.deepEqual(log.topicNames(), ['in', 'out']);

  const offsets = log.append([
    record('in', 1, 'a', 'one', 1_700_000_000_123, [{ key: 'h', value: enc('x') }, { key: 'h', value: null }, { key: 'é', value: enc('') }]),
    record('in', 1, null, null, -5),
    record('in', 2, 'b', 'two', 7),
    record('in', 1, 'c', 'three', 8),
  ]);
  t.deepEqual(offsets, [{ topic: 'in', partition: 1, offset: 2 }, { topic: 'in', partition: 2, offset: 0 }]);
  const read = log.read({ topic: 'in', partition: 1 }, 0, 10);
  t.deepEqual(read.records.map((r) => [r.offset, dec(r.key), dec(r.value), r.timestamp]), [[0, 'a', 'one', 1_700_000_000_123], [1, null, null, -5], [2, 'c', 'three', 8]]);
  t.deepEqual(read.records[0]!.headers.map((h) => [h.key, dec(h.value)]), [['h', 'x'], ['h', null], ['é', '']]);
  t.deepEqual(read.records[1]!.headers, []);
  t.is(read.nextOffset, 3);
  t.is(read.lag, 0);

  // A read of fewer records than there are says how many are left.
  const part = log.read({ topic: 'in', partition: 1 }, 1, 1);
  t.deepEqual([part.records.length, part.nextOffset, part.lag], [1, 2, 1]);

  // Without a partition: Kafka's default partitioner (murmur2 of the key), so a key lands where it would on Kafka.
  const [placed] = log.append([record('in', undefined, 'user-42', 'v', 1)]);
  t.is(placed!.partition, defaultPartition(enc('user-42'), 3));

  t.is(log.startOffset({ topic: 'in', partition: 1 }), 0);
  t.is(log.endOffset({ topic: 'in', partition: 1 }), placed!.partition === 1 ? 4 : 3);
  t.is(log.endOffset({ topic: 'in', partition: 0 }), placed!.partition === 0 ? 1 : 0);
});

test('mistakes are ClientErrors naming the cause: unknown topic or partition, an offset out of range, a bad name or partition count', async (t) => {
  const log = await openLog(t, tempDir(t));
  log.createTopics([{ name: 't', partitions: 2, configs: {} }]);
  const unknown = t.throws(() => log.append([record('nope', 0, 'k', 'v', 1)]), { instanceOf: ClientError });
  t.is(unknown.reason, 'unknown-topic');
  t.regex(unknown.message, /Topic 'nope' does not exist on the embedded log \(its topics: t\)/);
  t.regex(t.throws(() => log.read({ topic: 't', partition: 2 }, 0, 1), { instanceOf: ClientError }).message, /has 2 partitions: there is no partition 2/);
  // Nothing of a send with a bad record in it is written.
  t.throws(() => log.append([record('t', 0, 'k', 'v', 1), record('t', 9, 'k', 'v', 1)]), { instanceOf: ClientError });
  t.is(log.endOffset({ topic: 't', partition: 0 }), 0);
  const range = t.throws(() => log.read({ topic: 't', partition: 0 }, 5, 1), { instanceOf: ClientError });
  t.is(range.reason, 'offset-out-of-range');
  t.deepEqual(range.partitions, [{ topic: 't', partition: 0 }]);
  t.regex(t.throws(() => log.createTopics([{ name: 'bad name', partitions: 1, configs: {} }]), { instanceOf: ClientError }).message, /a topic name is 1 to 249 letters/);
  t.regex(t.throws(() => log.createTopics([{ name: 'x', partitions: 0, configs: {} }]), { instanceOf: ClientError }).message, /0 partitions: give an integer of at least 1/);
});

test('committed offsets per group; deleteGroup forgets them', async (t) => {
  const log = await openLog(t, tempDir(t));
  log.createTopics([{ name: 't', partitions: 2, configs: {} }]);
  t.is(log.committed('g', { topic: 't', partition: 0 }), undefined);
  log.commitOffsets('g', [{ topic: 't', partition: 0, offset: 0 }, { topic: 't', partition: 1, offset: 7 }]);
  log.commitOffsets('h', [{ topic: 't', partition: 1, offset: 3 }]);
  t.is(log.committed('g', { topic: 't', partition: 1 }), 7);
  t.is(log.committed('h', { topic: 't', partition: 1 }), 3);
  t.deepEqual(log.groups(), ['g', 'h']);
  t.deepEqual(log.groupOffsetsOf('g'), [{ topic: 't', partition: 0, offset: 0 }, { topic: 't', partition: 1, offset: 7 }]);
  log.deleteGroup('g');
  t.is(log.committed('g', { topic: 't', partition: 1 }), undefined);
  t.deepEqual(log.groups(), ['h']);
  const leave = log.joinGroup('h');
  t.regex(t.throws(() => log.deleteGroup('h'))!.message, /has a running member/);
  t.regex(t.throws(() => log.joinGroup('h'))!.message, /Group 'h' already has a member on this embedded log/);
  leave();
  log.deleteGroup('h');
  t.deepEqual(log.groups(), []);
});

test('a transaction: invisible until its commit, which writes its records and the group offsets together; an abort leaves a gap', async (t) => {
  const log = await openLog(t, tempDir(t));
  log.createTopics([{ name: 'in', partitions: 1, configs: {} }, { name: 'out', partitions: 1, configs: {} }]);
  log.append([record('in', 0, 'k', 'a', 1), record('in', 0, 'k', 'b', 2)]);

  const tx = log.beginTransaction();
  t.deepEqual(tx.append([record('out', 0, 'k', 'A', 1), record('out', 0, 'k', 'B', 2)]), [{ topic: 'out', partition: 0, offset: 1 }]);
  t.is(log.endOffset({ topic: 'out', partition: 0 }), 0, 'nothing staged is visible');
  t.deepEqual(log.read({ topic: 'out', partition: 0 }, 0, 10).records, []);
  tx.commit({ groupId: 'app', offsets: [{ topic: 'in', partition: 0, offset: 2 }] });
  t.deepEqual(readAll(log, 'out', 0), [[0, 'k', 'A'], [1, 'k', 'B']]);
  t.is(log.committed('app', { topic: 'in', partition: 0 }), 2);

  const aborted = log.beginTransaction();
  aborted.append([record('out', 0, 'k', 'never', 3)]);
  aborted.abort();
  t.deepEqual(log.append([record('out', 0, 'k', 'C', 4)]), [{ topic: 'out', partition: 0, offset: 3 }], 'the aborted offset 2 is a gap');
  t.deepEqual(readAll(log, 'out', 0), [[0, 'k', 'A'], [1, 'k', 'B'], [3, 'k', 'C']]);
  t.regex(t.throws(() => aborted.append([]))!.message, /was aborted already/);
});

test('the last stable offset: records written after an open transaction staged its first one are readable only once it is settled', async (t) => {
  const log = await openLog(t, tempDir(t));
  log.createTopics([{ name: 'out', partitions: 1, configs: {} }]);
  const open = log.beginTransaction();
  open.append([record('out', 0, 'k', 'tx', 1)]); // offset 0
  t.deepEqual(log.append([record('out', 0, 'k', 'direct', 2)]), [{ topic: 'out', partition: 0, offset: 1 }]);
  t.is(log.endOffset({ topic: 'out', partition: 0 }), 0);
  t.deepEqual(readAll(log, 'out', 0), [], 'a reader does not step over the open transaction');
  open.commit();
  t.deepEqual(readAll(log, 'out', 0), [[0, 'k', 'tx'], [1, 'k', 'direct']]);
});

test('a restart keeps topics, records, offsets, committed positions and aborted gaps; an uncommitted transaction is gone', async (t) => {
  const dir = tempDir(t);
  const first = await EmbeddedLog.open(dir, { cleanerIntervalMs: 0 });
  first.createTopics([{ name: 'a', partitions: 2, configs: { 'retention.ms': '-1' } }]);
  first.append([record('a', 0, 'x', '1', 10), record('a', 1, 'y', '2', 11, [{ key: 'h', value: enc('v') }])]);
  first.commitOffsets('g', [{ topic: 'a', partition: 0, offset: 1 }]);
  const aborted = first.beginTransaction();
  aborted.append([record('a', 0, 'x', 'gone', 12)]);
  aborted.abort();
  const open = first.beginTransaction();
  open.append([record('a', 1, 'y', 'uncommitted', 13)]);
  await first.close(); // as a crash: the open transaction was never written
  t.throws(() => first.topicNames(), { instanceOf: ClientError, message: /is closed/ });

  const log = await openLog(t, dir);
  t.deepEqual(log.describeTopic('a'), { name: 'a', partitions: 2, configs: { 'retention.ms': '-1' } });
  t.deepEqual(readAll(log, 'a', 0), [[0, 'x', '1']]);
  t.deepEqual(readAll(log, 'a', 1), [[0, 'y', '2']]);
  t.deepEqual(log.read({ topic: 'a', partition: 1 }, 0, 1).records[0]!.headers.map((h) => [h.key, dec(h.value)]), [['h', 'v']]);
  t.is(log.committed('g', { topic: 'a', partition: 0 }), 1);
  t.is(log.endOffset({ topic: 'a', partition: 0 }), 2, 'the aborted offset is never handed out again');
  t.is(log.endOffset({ topic: 'a', partition: 1 }), 1, 'the uncommitted one is');
  t.deepEqual(log.append([record('a', 0, 'x', '3', 14)]), [{ topic: 'a', partition: 0, offset: 2 }]);
});

test('committed offsets keep their metadata — through a transaction or a plain commit, across a restart; a commit without it replaces it; a log written before metadata was kept reads as before', async (t) => {
  const dir = tempDir(t);
  const first = await EmbeddedLog.open(dir, { cleanerIntervalMs: 0 });
  first.createTopics([{ name: 't', partitions: 2, configs: {} }]);
  const tx = first.beginTransaction();
  tx.append([record('t', 0, 'k', 'v', 10)]);
  tx.commit({ groupId: 'g', offsets: [{ topic: 't', partition: 0, offset: 1, metadata: 'AgAAAaJKPIjm' }] });
  first.commitOffsets('g', [{ topic: 't', partition: 1, offset: 4, metadata: 'ключ ✓ \u0000' }]);
  first.commitOffsets('h', [{ topic: 't', partition: 0, offset: 2 }, { topic: 't', partition: 1, offset: 3, metadata: '' }]);
  t.deepEqual(first.committedOffset('g', { topic: 't', partition: 0 }), { topic: 't', partition: 0, offset: 1, metadata: 'AgAAAaJKPIjm' });
  t.is(first.committedOffset('g', { topic: 'nope', partition: 0 }), undefined);
  await first.close();

  // As the log wrote a committed offset before it kept metadata: the offset's 8 bytes alone.
  const db = await RocksDatabase.open(join(dir, 'rocksdb'), { name: 'an older embedded log' });
  db.write([{ key: groupOffsetKey('old', 1, 1), value: encodeU64(9) }], { sync: true });
  await db.close();
  t.deepEqual(encodeGroupOffset(9, undefined), encodeU64(9), 'an offset without metadata is stored as before');
  t.is(readU64(encodeGroupOffset(7, 'AgAAAaJKPIjm'), 0), 7, 'an older log reads the offset of one with metadata');

  const log = await openLog(t, dir);
  t.deepEqual(log.groupOffsetsOf('g'), [{ topic: 't', partition: 0, offset: 1, metadata: 'AgAAAaJKPIjm' }, { topic: 't', partition: 1, offset: 4, metadata: 'ключ ✓ \u0000' }]);
  t.deepEqual(log.groupOffsetsOf('h'), [{ topic: 't', partition: 0, offset: 2 }, { topic: 't', partition: 1, offset: 3 }], 'none, or empty: no metadata');
  t.deepEqual(log.committedOffset('old', { topic: 't', partition: 1 }), { topic: 't', partition: 1, offset: 9 });
  t.is(log.committed('old', { topic: 't', partition: 1 }), 9);
  log.commitOffsets('g', [{ topic: 't', partition: 0, offset: 5 }]);
  t.deepEqual(log.committedOffset('g', { topic: 't', partition: 0 }), { topic: 't', partition: 0, offset: 5 }, 'replaced whole, as on Kafka');
  t.regex(t.throws(() => log.commitOffsets('g', [{ topic: 't', partition: 0, offset: 6, metadata: 7 as unknown as string }]), { instanceOf: ClientError }).message, /its metadata is a number, not a string/);
});

test('deleteRecords moves the log start; reading before it is out of range; deleteTopics removes a topic and its offsets', async (t) => {
  const log = await openLog(t, tempDir(t));
  log.createTopics([{ name: 't', partitions: 1, configs: {} }]);
  log.append(Array.from({ length: 10 }, (_, i) => record('t', 0, `k${i}`, `v${i}`, i)));
  log.commitOffsets('g', [{ topic: 't', partition: 0, offset: 10 }]);
  log.deleteRecords([{ topic: 't', partition: 0, offset: 4 }]);
  t.is(log.startOffset({ topic: 't', partition: 0 }), 4);
  t.deepEqual(readAll(log, 't', 0).map(([o]) => o), [4, 5, 6, 7, 8, 9]);
  t.is(t.throws(() => log.read({ topic: 't', partition: 0 }, 3, 1), { instanceOf: ClientError }).reason, 'offset-out-of-range');
  log.deleteRecords([{ topic: 't', partition: 0, offset: 2 }]); // before the start: nothing changes
  t.is(log.startOffset({ topic: 't', partition: 0 }), 4);
  t.is(t.throws(() => log.deleteRecords([{ topic: 't', partition: 0, offset: 11 }]), { instanceOf: ClientError }).reason, 'offset-out-of-range');
  log.deleteRecords([{ topic: 't', partition: 0, offset: 10 }]);
  t.deepEqual(readAll(log, 't', 0), []);
  t.deepEqual(log.append([record('t', 0, 'k', 'v', 1)]), [{ topic: 't', partition: 0, offset: 10 }]);

  t.deepEqual(log.deleteTopics(['t', 'nope']), ['t']);
  t.is(log.describeTopic('t'), undefined);
  t.deepEqual(log.groups(), []);
  log.createTopics([{ name: 't', partitions: 1, configs: {} }]);
  t.deepEqual(readAll(log, 't', 0), [], 'a topic made again under the name starts empty');
  t.is(log.endOffset({ topic: 't', partition: 0 }), 0);
});

test('retention: records older than retention.ms go from the start of delete topics, up to the first newer one', async (t) => {
  const log = await openLog(t, tempDir(t));
  const now = 1_000_000_000;
  log.createTopics([
    { name: 'short', partitions: 1, configs: { 'retention.ms': '1000' } },
    { name: 'forever', partitions: 1, configs: { 'retention.ms': '-1' } },
    { name: 'compacted', partitions: 1, configs: { 'cleanup.policy': 'compact', 'retention.ms': '1000' } },
  ]);
  const stamps = [now - 5_000, now - 3_000, now - 500, now - 4_000, now];
  for (const topic of ['short', 'forever', 'compacted']) log.append(stamps.map((ts, i) => record(topic, 0, `k${i}`, 'v', ts)));
  const report = await log.clean({ now });
  t.is(report.expired, 2);
  t.is(log.startOffset({ topic: 'short', partition: 0 }), 2, 'the first two are older than a second; the third is not, and the old one after it stays');
  t.deepEqual(readAll(log, 'short', 0).map(([o]) => o), [2, 3, 4]);
  t.is(log.startOffset({ topic: 'forever', partition: 0 }), 0);
  t.is(log.startOffset({ topic: 'compacted', partition: 0 }), 0, 'compact only: no retention');
  // Everything old: the log start reaches the end.
  t.is((await log.clean({ now: now + 10_000 })).expired, 3);
  t.deepEqual(readAll(log, 'short', 0), []);
  t.is(log.startOffset({ topic: 'short', partition: 0 }), 5);
});

test('compaction keeps the latest record of each key (tombstones too) and records without a key, and survives a restart', async (t) => {
  const dir = tempDir(t);
  const first = await EmbeddedLog.open(dir, { cleanerIntervalMs: 0 });
  first.createTopics([{ name: 'changelog', partitions: 2, configs: { 'cleanup.policy': 'compact' } }, { name: 'plain', partitions: 1, configs: {} }]);
  const writes: [string | null, string | null][] = [['a', '1'], ['b', '1'], ['a', '2'], [null, 'n'], ['c', '1'], ['b', null], ['a', '3'], ['c', '2']];
  first.append(writes.map(([k, v], i) => record('changelog', 0, k, v, i)));
  first.append(writes.map(([k, v], i) => record('plain', 0, k, v, i)));
  first.append([record('changelog', 1, 'z', '1', 1)]);
  const report = await first.clean({ force: true, retention: false });
  t.is(report.compacted, 4);
  t.deepEqual(readAll(first, 'changelog', 0), [[3, null, 'n'], [5, 'b', null], [6, 'a', '3'], [7, 'c', '2']]);
  t.is(first.endOffset({ topic: 'changelog', partition: 0 }), 8, 'compaction leaves the offsets as they were');
  t.is(readAll(first, 'plain', 0).length, writes.length, 'a delete topic is not compacted');
  t.deepEqual(readAll(first, 'changelog', 1), [[0, 'z', '1']]);
  // More writes, compacted in a later pass against what is there.
  first.append([record('changelog', 0, 'a', '4', 9), record('changelog', 0, 'd', '1', 10)]);
  t.is((await first.clean({ force: true })).compacted, 1);
  await first.close();
  const log = await openLog(t, dir);
  t.deepEqual(readAll(log, 'changelog', 0), [[3, null, 'n'], [5, 'b', null], [7, 'c', '2'], [8, 'a', '4'], [9, 'd', '1']]);
  t.is((await log.clean({ force: true })).compacted, 0, 'after a restart, a pass finds nothing more to remove');
});

test('compaction in the background: a partition half rewritten is compacted without being asked', async (t) => {
  const log = await openLog(t, tempDir(t), { cleanerIntervalMs: 50 });
  log.createTopics([{ name: 'c', partitions: 1, configs: { 'cleanup.policy': 'compact' } }]);
  for (let round = 0; round < 3; round++) log.append(Array.from({ length: 1_000 }, (_, i) => record('c', 0, `k${i}`, `${round}`, round)));
  const deadline = Date.now() + 30_000;
  while (readAll(log, 'c', 0).length > 1_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const left = readAll(log, 'c', 0);
  t.is(left.length, 1_000);
  t.true(left.every(([o, , v]) => v === '2' && o >= 2_000));
});

test('a transactional id is one running producer\'s: another is refused while it runs; once it ends, a new one fences it', async (t) => {
  const log = await openLog(t, tempDir(t));
  log.createTopics([{ name: 'out', partitions: 1, configs: {} }]);
  const first = log.initTransactions('app');
  log.transactionOf('app', first).append([record('out', 0, 'k', 'dropped', 1)]);
  t.regex(t.throws(() => log.initTransactions('app'), { instanceOf: ClientError }).message, /Transactional id 'app' is held by a running producer on this embedded log/);
  log.endTransactions('app', first); // its open transaction is aborted
  const second = log.initTransactions('app');
  const fenced = t.throws(() => log.transactionOf('app', first), { instanceOf: ClientError });
  t.is(fenced.reason, 'fenced');
  log.transactionOf('app', second).append([record('out', 0, 'k', 'live', 2)]);
  log.transactionOf('app', second).commit();
  t.deepEqual(readAll(log, 'out', 0), [[1, 'k', 'live']]);
});

test('a topic deleted while a transaction has records staged for it fails that commit, naming it', async (t) => {
  const log = await openLog(t, tempDir(t));
  log.createTopics([{ name: 'gone', partitions: 1, configs: {} }]);
  const tx = log.beginTransaction();
  tx.append([record('gone', 0, 'k', 'v', 1)]);
  log.deleteTopics(['gone']);
  const e = t.throws(() => tx.commit(), { instanceOf: ClientError });
  t.is(e.reason, 'unknown-topic');
  t.regex(e.message, /gone-0: the topic was deleted meanwhile/);
});

test('one process holds the log: a second open here is refused, and another process is refused with this pid', async (t) => {
  const dir = tempDir(t);
  const log = await openLog(t, dir);
  const here = await t.throwsAsync(EmbeddedLog.open(dir), { instanceOf: EmbeddedLogLockedError });
  t.true(here.sameProcess);
  t.regex(here.message, /already open in this process/);
  t.deepEqual(EmbeddedLog.holder(dir)?.pid, process.pid);

  const child = spawn(process.execPath, ['--conditions=@ts-streams/source', '--import=tsx', fileURLToPath(new URL('./embedded-log-child.ts', import.meta.url)), 'open', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.is(code, 3, out);
  t.regex(out, new RegExp(`held by process ${process.pid} \\(since .*\\): another 'streams run' on this state directory\\? Stop process ${process.pid}`));
  t.true(log.isOpen);
});
