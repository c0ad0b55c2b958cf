import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { StateDirectory, StateDirectoryLockedError, StateStoreError } from '../src/index.ts';
import { LOCK_FILE } from '../src/directory/state-directory.ts';
import { spawnFixture } from './fixtures/child.ts';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'ts-streams-dir-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** The pid of a process that has exited (so is certainly dead, unless reused in the meantime). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

test('lock creates the directory and a .lock file naming this process; release removes it', (t) => {
  const dir = join(tempDir(t), 'app', 'nested');
  const sd = StateDirectory.lock(dir);
  const info = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
  t.is(info.pid, process.pid);
  t.is(info.hostname, hostname());
  t.true(!Number.isNaN(Date.parse(info.startedAt)));
  t.deepEqual(StateDirectory.holder(dir)?.pid, process.pid);
  sd.release();
  t.false(existsSync(join(dir, LOCK_FILE)));
  sd.release(); // idempotent
  StateDirectory.lock(dir).release(); // lockable again
});

test('a directory locked by another live process: the error names the directory and its pid, and the fix', async (t) => {
  const dir = join(tempDir(t), 'app');
  const child = spawnFixture('./hold-lock.ts', ['state-dir', dir]);
  t.teardown(() => child.proc.kill('SIGKILL'));
  const line = await child.waitFor(/^locked /);
  const pid = Number(line.split(' ')[1]);
  t.is(pid, child.proc.pid ?? -1);
  const e = t.throws(() => StateDirectory.lock(dir), { instanceOf: StateDirectoryLockedError })!;
  t.true(e instanceof StateStoreError);
  t.is(e.pid, pid);
  t.is(e.dir, dir);
  t.true(e.message.includes(dir), e.message);
  t.true(e.message.includes(`Stop process ${pid} or give this instance another state directory`), e.message);
  // the child's lock is untouched
  t.is(StateDirectory.holder(dir)?.pid, pid);
  child.proc.kill('SIGKILL');
  await child.exited;
  // now the pid is dead: the lock is stale and taken over
  const sd = StateDirectory.lock(dir);
  t.is(StateDirectory.holder(dir)?.pid, process.pid);
  sd.release();
});

test('a stale lock (dead pid) is taken over', (t) => {
  const dir = tempDir(t);
  const pid = deadPid();
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, hostname: hostname(), startedAt: '2020-01-01T00:00:00.000Z' }));
  const sd = StateDirectory.lock(dir);
  t.is(StateDirectory.holder(dir)?.pid, process.pid);
  sd.release();
});

test('an unreadable lock file, or one with this pid from an earlier life (container restart), is taken over', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, LOCK_FILE), 'not json');
  StateDirectory.lock(dir).release();
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: 'x' }));
  const sd = StateDirectory.lock(dir);
  t.is(StateDirectory.holder(dir)?.startedAt, sd.info.startedAt);
  sd.release();
});

test('a second lock in the same process fails while the first is held', (t) => {
  const dir = tempDir(t);
  const sd = StateDirectory.lock(dir);
  const e = t.throws(() => StateDirectory.lock(dir), { instanceOf: StateDirectoryLockedError })!;
  t.regex(e.message, /already locked by this process/);
  sd.release();
  StateDirectory.lock(dir).release();
});

test('a lock written on another host is not taken over', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 12345, hostname: 'some-other-host', startedAt: 'x' }));
  const e = t.throws(() => StateDirectory.lock(dir), { instanceOf: StateDirectoryLockedError })!;
  t.regex(e.message, /process 12345 on host some-other-host/);
  t.true(e.message.includes(join(dir, LOCK_FILE)));
});

test('task and store sub-directories; names that are not a single path component are refused', (t) => {
  const dir = tempDir(t);
  const sd = StateDirectory.lock(dir);
  t.teardown(() => sd.release());
  const task = sd.taskDir('0_1');
  t.is(task, join(dir, '0_1'));
  t.true(existsSync(task));
  t.is(sd.storeDir('0_1', 'counts'), join(dir, '0_1', 'rocksdb', 'counts'));
  t.is(sd.checkpointPath('0_1'), join(dir, '0_1', '.checkpoint'));
  for (const bad of ['', '.', '..', 'a/b', 'a\\b']) t.throws(() => sd.storeDir('0_1', bad), { instanceOf: StateStoreError });
  t.throws(() => sd.taskDir('../x'), { instanceOf: StateStoreError });
});
