import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { openPersistentKeyValueStore } from '../src/index.ts';
import { ChangeLoggingKeyValueStore } from '../src/layers/change-logging-key-value-store.ts';
import { CollectingSink, s, str } from './contract/helpers.ts';
import { spawnFixture } from './fixtures/child.ts';
import { readChangelogFile } from './fixtures/file-changelog.ts';

test('kill -9 mid-write: the store is wiped (no checkpoint), restored from the changelog, every acknowledged write present', async (t) => {
  t.timeout(60_000);
  const root = mkdtempSync(join(tmpdir(), 'ts-streams-kill-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'task', 'rocksdb', 'kill-test');
  const changelogPath = join(root, 'changelog.bin');

  const child = spawnFixture('./kill-writer.ts', [dir, changelogPath]);
  t.teardown(() => child.proc.kill('SIGKILL'));
  await child.waitFor(/^ready$/);
  await child.waitForLines(1 + 400 + Math.floor(Math.random() * 200));
  child.proc.kill('SIGKILL');
  const { signal } = await child.exited;
  t.is(signal, 'SIGKILL');

  // acknowledged operations, from stdout: the last one per key
  const acked = new Map<string, { seq: number; value: string | null }>();
  for (const line of child.lines.slice(1)) {
    const parts = line.split(' ');
    if (parts.length === 3) acked.set(parts[0]!, { seq: Number(parts[2]), value: null });
    else acked.set(parts[0]!, { seq: Number(parts[1]), value: `v${parts[1]}` });
  }
  t.true(acked.size > 0);

  // no checkpoint: the policy wipes the directory (it holds data), with one warning
  const warnings: string[] = [];
  const opened = await openPersistentKeyValueStore({ name: 'kill-test', dir, checkpointOffset: undefined, warn: (l) => warnings.push(l) });
  t.teardown(async () => {
    opened.store.close();
    await opened.store.closed;
  });
  t.true(opened.wiped);
  t.is(opened.restoreFrom, 0);
  t.is(warnings.length, 1);
  t.regex(warnings[0]!, /kill-test.*rebuilding from the changelog/);

  // restore from the changelog (from offset restoreFrom = 0), in batches, through the change-logging layer
  const records = readChangelogFile(changelogPath);
  t.true(records.length >= child.lines.length - 1, `${records.length} records for ${child.lines.length - 1} acknowledged writes`);
  const sink = new CollectingSink();
  const store = new ChangeLoggingKeyValueStore(opened.store, sink, () => 0);
  for (let i = opened.restoreFrom; i < records.length; i += 100) store.restoreBatch(records.slice(i, i + 100));
  t.is(sink.records.length, 0); // restoring does not log

  // every acknowledged write is in the changelog; at most one more (written, killed before stdout said so)
  const ackedCount = child.lines.length - 1;
  const unacked = records.length - ackedCount;
  t.true(unacked === 0 || unacked === 1, `${records.length} changelog records for ${ackedCount} acknowledged writes`);
  for (const [key, ack] of acked) {
    const restored = store.get(s(key));
    const restoredValue = restored === undefined ? null : str(restored);
    if (restoredValue === ack.value) continue;
    // only the write in flight when the child was killed may be newer than the last acknowledged one
    t.is(unacked, 1, `${key}: acknowledged ${JSON.stringify(ack)}, restored ${restoredValue}`);
    t.is(str(records.at(-1)!.key), key);
    const last = records.at(-1)!.value;
    t.is(restoredValue, last === null ? null : str(last));
  }
  store.flush();
});
