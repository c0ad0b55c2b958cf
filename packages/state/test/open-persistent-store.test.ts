import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { CheckpointFile, checkpointKey, openPersistentKeyValueStore, openPersistentStore, RocksDbKeyValueStore, RocksDbWindowStore, StateDirectory, StoreLockedError } from '../src/index.ts';
import { b, pairsOf } from './contract/helpers.ts';
import { spawnFixture } from './fixtures/child.ts';

function tempDir(t: ExecutionContext): string {
  const d = mkdtempSync(join(tmpdir(), 'ts-streams-policy-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** A store dir holding keys 1..n, closed cleanly. */
async function populated(dir: string, n = 3): Promise<void> {
  const s = await RocksDbKeyValueStore.open({ name: 'x', dir });
  for (let i = 1; i <= n; i++) s.put(b(i), b(i));
  s.close();
  await s.closed;
}

async function openWith(t: ExecutionContext, dir: string, checkpointOffset: number | undefined) {
  const warnings: string[] = [];
  const opened = await openPersistentKeyValueStore({ name: 'counts', dir, checkpointOffset, warn: (l) => warnings.push(l) });
  t.teardown(async () => {
    opened.store.close();
    await opened.store.closed;
  });
  return { ...opened, warnings };
}

test('new store: empty, restore from 0, no warning', async (t) => {
  const dir = join(tempDir(t), 'counts');
  const { store, restoreFrom, wiped, warnings } = await openWith(t, dir, undefined);
  t.deepEqual([restoreFrom, wiped, warnings], [0, false, []]);
  t.deepEqual(pairsOf(store.all()), []);
});

test('clean restart (checkpoint has an offset): data kept, restore from the checkpoint, no warning', async (t) => {
  const root = tempDir(t);
  const sd = StateDirectory.lock(root);
  t.teardown(() => sd.release());
  const dir = sd.storeDir('0_0', 'counts');
  sd.taskDir('0_0');
  const ckpt = new CheckpointFile(sd.checkpointPath('0_0'));
  await populated(dir);
  ckpt.write(new Map([[checkpointKey('app-counts-changelog', 0), 42]]));
  const { store, restoreFrom, wiped, warnings } = await openWith(t, dir, ckpt.read().get('app-counts-changelog 0'));
  t.deepEqual([restoreFrom, wiped, warnings], [42, false, []]);
  t.is(pairsOf(store.all()).length, 3);
});

test('unclean stop (data but no checkpoint entry): wiped, reopened empty, exactly one warning', async (t) => {
  const dir = join(tempDir(t), 'counts');
  await populated(dir);
  const { store, restoreFrom, wiped, warnings } = await openWith(t, dir, undefined);
  t.deepEqual([restoreFrom, wiped], [0, true]);
  t.deepEqual(pairsOf(store.all()), []);
  t.is(warnings.length, 1);
  t.regex(warnings[0]!, /State store counts/);
  t.true(warnings[0]!.includes(dir));
  t.regex(warnings[0]!, /did not stop cleanly/);
  t.regex(warnings[0]!, /rebuilding from the changelog/);
  t.false(warnings[0]!.includes('\n'));
});

for (const [label, corrupt] of [
  ['garbage in CURRENT', (dir: string) => writeFileSync(join(dir, 'CURRENT'), 'garbage')],
  ['CURRENT naming a missing MANIFEST', (dir: string) => writeFileSync(join(dir, 'CURRENT'), 'MANIFEST-999999\n')],
  ['garbage in the MANIFEST', (dir: string) => writeFileSync(join(dir, readdirSync(dir).find((f) => f.startsWith('MANIFEST-'))!), 'garbage garbage garbage')],
  ['the MANIFEST deleted', (dir: string) => unlinkSync(join(dir, readdirSync(dir).find((f) => f.startsWith('MANIFEST-'))!))],
] as const) {
  test(`corrupt store directory (${label}), even with a checkpoint: wiped with one warning`, async (t) => {
    const dir = join(tempDir(t), 'counts');
    await populated(dir);
    corrupt(dir);
    const { store, restoreFrom, wiped, warnings } = await openWith(t, dir, 100);
    t.deepEqual([restoreFrom, wiped], [0, true]);
    t.deepEqual(pairsOf(store.all()), []);
    store.put(b(7), b(7));
    t.deepEqual(store.get(b(7)), b(7));
    t.is(warnings.length, 1);
    t.true(warnings[0]!.includes(dir));
    t.regex(warnings[0]!, /State store counts: .*corrupted or unreadable: .*; rebuilding from the changelog$/);
  });
}

test('store directory missing although the checkpoint has an offset: restore from 0, one warning', async (t) => {
  const dir = join(tempDir(t), 'counts');
  const { restoreFrom, wiped, warnings } = await openWith(t, dir, 500);
  t.deepEqual([restoreFrom, wiped], [0, false]);
  t.is(warnings.length, 1);
  t.regex(warnings[0]!, /offset 500.*rebuilding from the changelog/);
});

test('a directory with stray files and no checkpoint counts as unclean', async (t) => {
  const dir = join(tempDir(t), 'counts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stray'), 'x');
  const { wiped, warnings } = await openWith(t, dir, undefined);
  t.true(wiped);
  t.is(warnings.length, 1);
  t.false(existsSync(join(dir, 'stray')));
});

test('a store directory held by another process is never wiped: the lock error is thrown', async (t) => {
  const dir = join(tempDir(t), 'counts');
  await populated(dir);
  const child = spawnFixture('./hold-lock.ts', ['rocksdb', dir]);
  t.teardown(() => child.proc.kill('SIGKILL'));
  await child.waitFor(/^locked /);
  const warnings: string[] = [];
  const e = await t.throwsAsync(openPersistentKeyValueStore({ name: 'counts', dir, checkpointOffset: undefined, warn: (l) => warnings.push(l) }), { instanceOf: StoreLockedError });
  t.true(e!.message.includes(dir));
  t.regex(e!.message, /locked by another process/);
  t.deepEqual(warnings, []);
  child.proc.kill('SIGKILL');
  await child.exited;
  const { store, wiped } = await openWith(t, dir, 7);
  t.false(wiped);
  t.is(pairsOf(store.all()).length, 3);
});

test('a window store whose retention (so segment interval) changed: wiped with one warning, rebuilt from the changelog', async (t) => {
  const dir = join(tempDir(t), 'windows');
  const first = await RocksDbWindowStore.open({ name: 'windows', dir, retentionPeriod: 100, windowSize: 10, segmentInterval: 50 });
  first.put(b(1), b(1), 5);
  first.close();
  await first.closed;
  const warnings: string[] = [];
  const opened = await openPersistentStore({
    name: 'windows', dir, checkpointOffset: 7, warn: (l) => warnings.push(l),
    open: (d) => RocksDbWindowStore.open({ name: 'windows', dir: d, retentionPeriod: 1000, windowSize: 10, segmentInterval: 500 }),
  });
  t.teardown(async () => {
    opened.store.close();
    await opened.store.closed;
  });
  t.deepEqual([opened.restoreFrom, opened.wiped, warnings.length], [0, true, 1]);
  t.regex(warnings[0]!, /State store windows: wiped its directory .*laid out for other options: .*segmentInterval 50, cannot open it with 500 \(its retention changed\).*rebuilding from the changelog$/);
  t.is(opened.store.segmentInterval, 500);
  t.is(opened.store.fetch(b(1), 5), undefined, 'empty until restored');
});
