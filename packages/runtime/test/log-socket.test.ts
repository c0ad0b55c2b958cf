// The embedded log served on a local socket (LogServer) and reached through it (LogSocketClient), as `streams run`
// serves it to the other commands: the client seam's admin, producer and assigned consumer against the contract in
// src/client/, bytes crossing unchanged; refusals; the serving process going away; reaching the log of a state
// directory held by another process (served, not served, killed); where the socket lives.
import test, { type ExecutionContext } from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmbeddedLog } from '../src/embedded/embedded-log.ts';
import { embeddedLogDir, openEmbeddedLog } from '../src/embedded/open-embedded-log.ts';
import { LogServer, MAX_FETCH_BYTES } from '../src/embedded/socket/log-server.ts';
import { LogSocketClient } from '../src/embedded/socket/log-socket-client.ts';
import { LogConnection } from '../src/embedded/socket/log-connection.ts';
import { reachEmbeddedLog } from '../src/embedded/socket/reach-embedded-log.ts';
import { logSocketPath } from '../src/embedded/socket/socket-path.ts';
import type { ProducerRecord } from '../src/client/kafka-producer.ts';
import type { FetchedPartition } from '../src/client/fetched-partition.ts';
import { ClientError } from '../src/errors/client-error.ts';
import { EmbeddedLogLockedError } from '../src/errors/embedded-log-locked-error.ts';

const enc = (s: string) => new TextEncoder().encode(s);

function tempDir(t: ExecutionContext, prefix = 'log-socket-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A log served on its socket in this process, and a client connected to it. */
async function served(t: ExecutionContext): Promise<{ log: EmbeddedLog; server: LogServer; client: LogSocketClient }> {
  const dir = tempDir(t);
  const log = await EmbeddedLog.open(dir, { cleanerIntervalMs: 0 });
  const server = await LogServer.listen(log);
  const client = await LogSocketClient.connect(server.path);
  t.teardown(async () => {
    await client.close();
    await server.close();
    await log.close();
  });
  log.createTopics([{ name: 'in', partitions: 2, configs: {} }]);
  return { log, server, client };
}

/** Every byte value, and the shapes that must not be confused: null against empty, repeated and null headers. */
function awkwardRecords(topic: string, partition: number): ProducerRecord[] {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  return [
    { topic, partition, key: null, value: null, timestamp: 0, headers: [] },
    { topic, partition, key: new Uint8Array(0), value: new Uint8Array(0), timestamp: 1, headers: [{ key: '', value: new Uint8Array(0) }] },
    { topic, partition, key: all, value: all.slice().reverse(), timestamp: 2 ** 41 + 7, headers: [{ key: 'h', value: null }, { key: 'h', value: all }, { key: 'ключ ✓', value: enc('\u0000\n\t') }] },
    { topic, partition, key: enc('big'), value: new Uint8Array(1 << 20).fill(0xab), timestamp: 1_796_514_606_326, headers: [] },
  ];
}

const plain = (r: { key: Uint8Array | null; value: Uint8Array | null; timestamp: number; headers: readonly { key: string; value: Uint8Array | null }[] }) => ({
  key: r.key === null ? null : [...r.key],
  // Values as their length and hash: the 1 MiB one would fill a failure's report.
  value: r.value === null ? null : `${r.value.length}:${createHash('sha256').update(r.value).digest('hex')}`,
  timestamp: r.timestamp,
  headers: r.headers.map((h) => [h.key, h.value === null ? null : [...h.value]]),
});

async function pollAll(consumer: { poll(o: { maxRecords: number; timeoutMs: number }): Promise<readonly FetchedPartition[]> }, want: number): Promise<FetchedPartition[]> {
  const out: FetchedPartition[] = [];
  const deadline = Date.now() + 20_000;
  while (out.reduce((n, f) => n + f.records.length, 0) < want && Date.now() < deadline) out.push(...(await consumer.poll({ maxRecords: 1_000, timeoutMs: 200 })));
  return out;
}

test('admin through the socket: create, describe (a missing topic undefined), list, offsets, delete records, committed offsets set and read (refused while the group runs here), delete topics', async (t) => {
  const { log, client } = await served(t);
  const admin = client.admin();
  await admin.connect();
  t.deepEqual(await admin.createTopics([{ name: 'new', partitions: 3, configs: { 'cleanup.policy': 'compact' } }, { name: 'in', partitions: 9, configs: {} }]), ['new']);
  t.deepEqual(await admin.describeTopics(['new', 'missing']), new Map([['new', { name: 'new', partitions: 3, configs: { 'cleanup.policy': 'compact' } }], ['missing', undefined]]));
  t.deepEqual(await admin.listTopics(), ['in', 'new']);
  log.append([1, 2, 3].map((i) => ({ topic: 'in', partition: 1, key: null, value: enc(`v${i}`), timestamp: i, headers: [] })));
  await admin.deleteRecords([{ topic: 'in', partition: 1, offset: 1 }]);
  t.deepEqual(await admin.listOffsets([{ topic: 'in', partition: 1 }, { topic: 'in', partition: 0 }], 'earliest'), [{ topic: 'in', partition: 1, offset: 1 }, { topic: 'in', partition: 0, offset: 0 }]);
  t.deepEqual(await admin.listOffsets([{ topic: 'in', partition: 1 }], 'latest'), [{ topic: 'in', partition: 1, offset: 3 }]);
  const beyond = await t.throwsAsync(admin.deleteRecords([{ topic: 'in', partition: 1, offset: 9 }]), { instanceOf: ClientError });
  t.is(beyond.reason, 'offset-out-of-range');
  t.deepEqual(beyond.partitions, [{ topic: 'in', partition: 1 }]);
  const unknown = await t.throwsAsync(admin.listOffsets([{ topic: 'nope', partition: 0 }], 'latest'), { instanceOf: ClientError });
  t.is(unknown.reason, 'unknown-topic');
  t.regex(unknown.message, /Topic 'nope' does not exist on the embedded log/);

  await admin.alterCommittedOffsets('app', [{ topic: 'in', partition: 1, offset: 2 }]);
  t.deepEqual(await admin.committedOffsets('app', ['in', 'new']), [{ topic: 'in', partition: 1, offset: 2 }]);
  t.is(log.committed('app', { topic: 'in', partition: 1 }), 2);
  const leave = log.joinGroup('app');
  const running = await t.throwsAsync(admin.alterCommittedOffsets('app', [{ topic: 'in', partition: 1, offset: 0 }]), { instanceOf: ClientError });
  t.is(running.reason, 'fatal');
  t.regex(running.message, /group app .*running member .*Stop it/);
  leave();

  await admin.deleteTopics(['new', 'never-was']);
  t.deepEqual(await admin.listTopics(), ['in']);
});

test('committed offsets cross the socket with their metadata: read as the log keeps them, set with or without', async (t) => {
  const { log, client } = await served(t);
  const admin = client.admin();
  const tx = log.beginTransaction();
  tx.append([{ topic: 'in', partition: 0, key: null, value: enc('v'), timestamp: 1, headers: [] }]);
  tx.commit({ groupId: 'app', offsets: [{ topic: 'in', partition: 0, offset: 1, metadata: 'AgAAAaJKPIjm' }] });
  log.commitOffsets('app', [{ topic: 'in', partition: 1, offset: 0 }]);
  t.deepEqual(await admin.committedOffsets('app', ['in']), [{ topic: 'in', partition: 0, offset: 1, metadata: 'AgAAAaJKPIjm' }, { topic: 'in', partition: 1, offset: 0 }]);

  await admin.alterCommittedOffsets('app', [{ topic: 'in', partition: 0, offset: 0 }, { topic: 'in', partition: 1, offset: 0, metadata: 'ключ ✓' }]);
  t.deepEqual(log.groupOffsetsOf('app'), [{ topic: 'in', partition: 0, offset: 0 }, { topic: 'in', partition: 1, offset: 0, metadata: 'ключ ✓' }]);
  t.deepEqual(await admin.committedOffsets('app', ['in']), [{ topic: 'in', partition: 0, offset: 0 }, { topic: 'in', partition: 1, offset: 0, metadata: 'ключ ✓' }]);
});

test('produce and fetch through the socket: every byte, null against empty, repeated and null headers, big timestamps and a 1 MiB value cross unchanged; a send of 5,000 records written in order', async (t) => {
  const { log, client } = await served(t);
  const producer = client.producer({});
  await producer.connect();
  const sent = awkwardRecords('in', 0);
  const many: ProducerRecord[] = Array.from({ length: 5_000 }, (_, i) => ({ topic: 'in', partition: i % 2, key: enc(`k${i}`), value: enc(`v${i}`), timestamp: i, headers: [] }));
  t.deepEqual(await producer.send(sent), [{ topic: 'in', partition: 0, offset: 3 }]);
  t.deepEqual([...(await producer.send(many))].sort((a, b) => a.partition - b.partition), [{ topic: 'in', partition: 0, offset: 2_503 }, { topic: 'in', partition: 1, offset: 2_499 }]);
  await producer.flush();
  // What the log holds, read in this process, is what was sent.
  t.deepEqual(log.read({ topic: 'in', partition: 0 }, 0, 4).records.map(plain), sent.map(plain));

  const consumer = client.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 1_000 });
  await consumer.connect();
  consumer.assign([{ topic: 'in', partition: 0 }, { topic: 'in', partition: 1 }]);
  consumer.seek({ topic: 'in', partition: 0 }, 'earliest');
  consumer.seek({ topic: 'in', partition: 1 }, 2_000);
  t.is(consumer.position({ topic: 'in', partition: 0 }), undefined, 'earliest is resolved by the serving process at the next poll');
  t.is(consumer.position({ topic: 'in', partition: 1 }), 2_000);
  const fetched = await pollAll(consumer, 2_504 + 500);
  const p0 = fetched.filter((f) => f.partition === 0).flatMap((f) => f.records);
  const p1 = fetched.filter((f) => f.partition === 1).flatMap((f) => f.records);
  t.deepEqual(p0.slice(0, 4).map(plain), sent.map(plain));
  t.deepEqual(p0.map((r) => r.offset), Array.from({ length: 2_504 }, (_, i) => i));
  t.deepEqual(p1.map((r) => r.offset), Array.from({ length: 500 }, (_, i) => 2_000 + i));
  t.deepEqual(p1.map((r) => new TextDecoder().decode(r.value!)), many.filter((_, i) => i % 2 === 1).slice(2_000).map((r) => new TextDecoder().decode(r.value!)));
  t.is(consumer.position({ topic: 'in', partition: 0 }), 2_504);
  t.is(consumer.position({ topic: 'in', partition: 1 }), 2_500);
  // Caught up: an entry per partition, empty, lag 0.
  t.deepEqual((await consumer.poll({ maxRecords: 10, timeoutMs: 1_000 })).map((f) => [f.partition, f.records.length, f.lag]).sort(), [[0, 0, 0], [1, 0, 0]]);
  await producer.close();
  await consumer.close();
});

test('assigned consumer through the socket: latest, pause and resume, a position out of range and a missing topic reject naming them; a poll shares maxRecords', async (t) => {
  const { log, client } = await served(t);
  log.append(Array.from({ length: 10 }, (_, i) => ({ topic: 'in', partition: i % 2, key: null, value: enc(`v${i}`), timestamp: i, headers: [] })));
  const consumer = client.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 100 });
  consumer.assign([{ topic: 'in', partition: 0 }, { topic: 'in', partition: 1 }]);
  consumer.seek({ topic: 'in', partition: 0 }, 'latest');
  consumer.seek({ topic: 'in', partition: 1 }, 0);
  const shared = await consumer.poll({ maxRecords: 4, timeoutMs: 100 });
  t.deepEqual(shared.map((f) => [f.partition, f.records.length]).sort(), [[0, 0], [1, 4]], 'the caught-up partition leaves its share to the other');
  t.is(consumer.position({ topic: 'in', partition: 0 }), 5);

  consumer.pause([{ topic: 'in', partition: 1 }]);
  log.append([{ topic: 'in', partition: 0, key: null, value: enc('new'), timestamp: 1, headers: [] }]);
  const paused = await consumer.poll({ maxRecords: 100, timeoutMs: 100 });
  t.deepEqual(paused.map((f) => [f.partition, f.records.map((r) => new TextDecoder().decode(r.value!))]), [[0, ['new']]]);
  consumer.resume([{ topic: 'in', partition: 1 }]);
  t.deepEqual((await consumer.poll({ maxRecords: 100, timeoutMs: 100 })).find((f) => f.partition === 1)?.records.map((r) => r.offset), [4]);

  consumer.seek({ topic: 'in', partition: 1 }, 99);
  const outOfRange = await t.throwsAsync(consumer.poll({ maxRecords: 10, timeoutMs: 100 }), { instanceOf: ClientError });
  t.is(outOfRange.reason, 'offset-out-of-range');
  t.deepEqual(outOfRange.partitions, [{ topic: 'in', partition: 1 }]);
  t.is(consumer.position({ topic: 'in', partition: 1 }), 99, 'a failed fetch moves nothing');
  t.throws(() => consumer.seek({ topic: 'other', partition: 0 }, 0), { message: /not assigned/ });

  const missing = client.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 100 });
  missing.assign([{ topic: 'gone', partition: 0 }]);
  missing.seek({ topic: 'gone', partition: 0 }, 'earliest');
  t.is((await t.throwsAsync(missing.poll({ maxRecords: 10, timeoutMs: 100 }), { instanceOf: ClientError })).reason, 'unknown-topic');
});

test('a fetch answers with at most MAX_FETCH_BYTES of records: a partition of large values comes over several polls, in order, its lag counting the rest', async (t) => {
  const { log, client } = await served(t);
  const value = new Uint8Array(1 << 20).fill(7);
  log.append(Array.from({ length: 20 }, (_, i) => ({ topic: 'in', partition: 1, key: enc(`k${i}`), value, timestamp: i, headers: [] })));
  const consumer = client.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: 1_000 });
  consumer.assign([{ topic: 'in', partition: 1 }]);
  consumer.seek({ topic: 'in', partition: 1 }, 0);
  const first = (await consumer.poll({ maxRecords: 1_000, timeoutMs: 100 }))[0]!;
  t.true(first.records.length > 0 && first.records.length * value.length <= MAX_FETCH_BYTES, `${first.records.length} records`);
  t.is(first.nextOffset, first.records.length);
  t.is(first.lag, 20 - first.records.length);
  const rest = await pollAll(consumer, 20 - first.records.length);
  t.deepEqual([...first.records, ...rest.flatMap((f) => f.records)].map((r) => r.offset), Array.from({ length: 20 }, (_, i) => i));
});

test('through the socket an application cannot run: a group consumer and a transactional producer are refused naming the serving pid', async (t) => {
  const { client } = await served(t);
  const group = t.throws(() => client.groupConsumer(), { instanceOf: ClientError });
  t.regex(group.message, new RegExp(`through the socket of process ${process.pid}, which holds it: .*Stop process ${process.pid} first`));
  t.throws(() => client.producer({ transactionalId: 'app' }), { instanceOf: ClientError, message: /produce transactionally \(transactional id 'app'\)/ });
});

test('the serving process stops: every later request rejects as unreachable, saying to run the command again; the socket file is gone', async (t) => {
  const { server, client } = await served(t);
  const admin = client.admin();
  t.deepEqual(await admin.listTopics(), ['in']);
  t.true(existsSync(server.path));
  await server.close();
  t.false(existsSync(server.path));
  const e = await t.throwsAsync(admin.listTopics(), { instanceOf: ClientError });
  t.is(e.reason, 'unreachable');
  t.regex(e.message, new RegExp(`Process ${process.pid}, the 'streams run' serving the embedded log, closed the connection on .*: it stopped\\. Run the command again`));
});

test('a socket file left by a process that died is replaced; anything else at the path is an error naming it', async (t) => {
  const dir = tempDir(t);
  const log = await EmbeddedLog.open(join(dir, 'log'), { cleanerIntervalMs: 0 });
  t.teardown(() => log.close());
  // A real socket file nobody listens on: listened on, linked to the log's path, then closed (which unlinks only the first name).
  const first = join(dir, 'first.sock');
  const other = createServer();
  await new Promise<void>((resolve) => other.listen(first, resolve));
  linkSync(first, logSocketPath(log.dir));
  await new Promise<void>((resolve) => other.close(() => resolve()));
  t.true(lstatSync(logSocketPath(log.dir)).isSocket());
  const server = await LogServer.listen(log);
  const client = await LogSocketClient.connect(server.path);
  t.deepEqual(await client.admin().listTopics(), []);
  await client.close();
  await server.close();

  writeFileSync(logSocketPath(log.dir), 'not a socket');
  await t.throwsAsync(LogServer.listen(log), { instanceOf: ClientError, message: /Cannot serve the embedded log on .*embedded\.sock: something that is not a socket is there/ });
});

test('a socket that accepts and never answers (a stuck process): hello gives up as unreachable, which reaching a log tries again', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'mute.sock');
  const mute = createServer((socket) => socket.resume()); // reads what comes, answers nothing
  await new Promise<void>((resolve) => mute.listen(path, resolve));
  t.teardown(() => new Promise<void>((resolve) => mute.close(() => resolve())));
  const started = Date.now();
  const e = await t.throwsAsync(LogConnection.open(path, 300), { instanceOf: ClientError });
  t.true(Date.now() - started >= 300);
  t.is(e.reason, 'unreachable');
  t.regex(e.message, /did not answer within 300 ms/);
});

test('the socket lives in the log directory unless that path is too long for a socket address: then in the temp directory, keyed on the log', (t) => {
  const short = '/tmp/x/.log';
  t.is(logSocketPath(short), '/tmp/x/.log/embedded.sock');
  const deep = join('/tmp', 'd'.repeat(120), '.log');
  const fallback = logSocketPath(deep);
  t.true(Buffer.byteLength(fallback) <= 103, fallback);
  t.regex(fallback, /ts-streams-[0-9a-f]{16}\.sock$/);
  t.is(logSocketPath(deep), fallback, 'both sides work it out alike');
  t.not(logSocketPath(join('/tmp', 'e'.repeat(120), '.log')), fallback);
});

test('a deep state directory: served and reached through the fallback socket', async (t) => {
  const base = tempDir(t);
  const stateDir = join(base, 'a'.repeat(60), 'b'.repeat(40));
  mkdirSync(stateDir, { recursive: true });
  const log = await openEmbeddedLog(stateDir, { cleanerIntervalMs: 0 });
  const server = await LogServer.listen(log);
  t.teardown(async () => {
    await server.close();
    await log.close();
  });
  t.false(server.path.startsWith(stateDir));
  const client = await LogSocketClient.connect(logSocketPath(embeddedLogDir(stateDir)));
  t.deepEqual(await client.admin().listTopics(), []);
  await client.close();
});

/** A process holding the log of `stateDir` (log-holder-child.ts), once it says so. */
async function holder(t: ExecutionContext, stateDir: string, serve: boolean): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--conditions=@ts-streams/source', '--import=tsx', fileURLToPath(new URL('./log-holder-child.ts', import.meta.url)), 'hold', stateDir, ...(serve ? ['serve'] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (out.includes('holding')) {
        clearInterval(check);
        resolve();
      }
    }, 50);
    child.on('exit', (code) => {
      clearInterval(check);
      reject(new Error(`the holder exited (${code}): ${out}`));
    });
  });
  return child;
}

test('reaching a state directory\'s log: opened when nobody holds it; through the holder\'s socket while another process serves it; opened again once that process is killed (its lock and socket left behind)', async (t) => {
  t.timeout(90_000);
  const stateDir = tempDir(t);
  const nobody = await reachEmbeddedLog(stateDir, { timeoutMs: 1_000, log: { cleanerIntervalMs: 0 } });
  t.is(nobody.kind, 'opened');
  if (nobody.kind === 'opened') await nobody.log.close();

  const child = await holder(t, stateDir, true);
  const through = await reachEmbeddedLog(stateDir, { timeoutMs: 10_000 });
  t.is(through.kind, 'served');
  if (through.kind !== 'served') return;
  t.is(through.client.pid, child.pid!);
  t.is(through.holder.pid, child.pid!);
  const admin = through.client.admin();
  await admin.createTopics([{ name: 'shared', partitions: 1, configs: {} }]);
  await through.client.producer({}).send(awkwardRecords('shared', 0));
  await through.client.close();

  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  t.true(existsSync(join(embeddedLogDir(stateDir), '.lock')), 'the killed holder left its lock');
  t.true(existsSync(logSocketPath(embeddedLogDir(stateDir))), 'and its socket');
  const after = await reachEmbeddedLog(stateDir, { timeoutMs: 10_000, log: { cleanerIntervalMs: 0 } });
  t.is(after.kind, 'opened');
  if (after.kind !== 'opened') return;
  t.deepEqual(after.log.read({ topic: 'shared', partition: 0 }, 0, 10).records.map(plain), awkwardRecords('shared', 0).map(plain), 'what went through the socket is on disk');
  const server = await LogServer.listen(after.log); // the dead holder's socket file is replaced
  await server.close();
  await after.log.close();
});

test('a holder that does not serve the log: after the timeout, one error naming its pid, the socket and what to do', async (t) => {
  t.timeout(90_000);
  const stateDir = tempDir(t);
  const child = await holder(t, stateDir, false);
  const started = Date.now();
  const e = await t.throwsAsync(reachEmbeddedLog(stateDir, { timeoutMs: 1_000 }), { instanceOf: ClientError });
  t.true(Date.now() - started >= 1_000);
  t.is(e.reason, 'unreachable');
  t.regex(e.message, new RegExp(`held by process ${child.pid} \\(since .*\\), which does not serve it on .*embedded\\.sock \\(.*ENOENT.*\\).*stop it \\(Ctrl-C where it runs, or kill ${child.pid}\\) and run this command again`));
  child.stdin!.end();
  await new Promise((resolve) => child.once('exit', resolve));
});

test('a serving process that stops answering (suspended): a request gives up after its timeout naming the process, the request and the fix; a produce says its outcome is unknown; every request of the connection fails with it', async (t) => {
  t.timeout(90_000);
  const stateDir = tempDir(t);
  const child = await holder(t, stateDir, true);
  const pid = child.pid!;
  const client = await LogSocketClient.connect(logSocketPath(embeddedLogDir(stateDir)), { requestTimeoutMs: 500 });
  t.teardown(() => client.close());
  const admin = client.admin();
  await admin.createTopics([{ name: 'hung', partitions: 1, configs: {} }]);
  const consumer = client.assignedConsumer();
  consumer.assign([{ topic: 'hung', partition: 0 }]);
  consumer.seek({ topic: 'hung', partition: 0 }, 0);
  t.deepEqual((await consumer.poll({ maxRecords: 10, timeoutMs: 0 })).flatMap((f) => f.records), [], 'it answers while it runs');

  child.kill('SIGSTOP');
  t.teardown(() => void child.kill('SIGCONT'));
  // A fetch asking to wait 1 s may take 1.5 s; the produce sent meanwhile gets 0.5 s: it gives up first, and the
  // connection goes with it (the process is stuck), the fetch failing with the same error.
  const started = Date.now();
  const fetching = consumer.poll({ maxRecords: 10, timeoutMs: 1_000 });
  fetching.catch(() => undefined);
  const e = await t.throwsAsync(client.producer({}).send([{ topic: 'hung', partition: 0, key: null, value: enc('v'), timestamp: 1, headers: [] }]), { instanceOf: ClientError });
  const waited = Date.now() - started;
  t.true(waited >= 500, `gave up after ${waited} ms`);
  t.is(e.reason, 'unreachable');
  t.regex(e.message, new RegExp(`^Process ${pid}, the 'streams run' serving the embedded log, did not answer a produce of 1 record within 0\\.5 s on .*embedded\\.sock: it is stuck .* Whether those records were written is unknown: look \\(streams tail --from-beginning\\) before producing them again\\. Resume it \\(fg where it runs, or kill -CONT ${pid}\\) or stop it \\(Ctrl-C where it runs, or kill ${pid}\\), then run this command again`));
  t.is(await t.throwsAsync(fetching), e);
  t.is(await t.throwsAsync(admin.listTopics()), e, 'a later request fails at once the same way');

  const again = await LogSocketClient.connect(logSocketPath(embeddedLogDir(stateDir)), { helloTimeoutMs: 500 }).catch((x: unknown) => x);
  t.true(again instanceof ClientError && again.reason === 'unreachable', 'a stuck process does not answer hello either');
  child.kill('SIGCONT');
  const resumed = await LogSocketClient.connect(logSocketPath(embeddedLogDir(stateDir)), { requestTimeoutMs: 500 });
  t.teardown(() => resumed.close());
  t.deepEqual(await resumed.admin().listTopics(), ['hung'], 'resumed, it answers again; the produce that timed out was written or not');
  child.stdin!.end();
  await new Promise((resolve) => child.once('exit', resolve));
});

test('the log held by this very process is not reached through a socket: EmbeddedLogLockedError, as opening it twice', async (t) => {
  const stateDir = tempDir(t);
  const log = await openEmbeddedLog(stateDir, { cleanerIntervalMs: 0 });
  t.teardown(() => log.close());
  const e = await t.throwsAsync(reachEmbeddedLog(stateDir, { timeoutMs: 1_000 }), { instanceOf: EmbeddedLogLockedError });
  t.true(e.sameProcess);
});
