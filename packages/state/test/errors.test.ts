import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { StreamsError } from '@ts-streams/dsl/errors';
import {
  buildKeyValueStore,
  CheckpointCorruptedError,
  CheckpointFile,
  InMemoryKeyValueStore,
  RocksDbKeyValueStore,
  RocksDbSessionStore,
  RocksDbWindowStore,
  StateDirectory,
  StateDirectoryLockedError,
  StateStoreError,
  StoreClosedError,
  StoreCorruptedError,
  StoreLayoutChangedError,
  StoreLockedError,
  StoreSerdeError,
} from '../src/index.ts';
import { RocksDatabase } from '../src/rocksdb/rocks-database.ts';
import { META_KEY } from '../src/rocksdb/segmented-keys.ts';
import { b, longSerde, s, stringSerde } from './contract/helpers.ts';

function tempDir(t: ExecutionContext): string {
  const d = mkdtempSync(join(tmpdir(), 'ts-streams-errors-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** Every state error is a StreamsError with its name, its retriable verdict and its cause (when it has one). */
function checkStreamsError(t: ExecutionContext, e: unknown, name: string, retriable: boolean): void {
  t.true(e instanceof StreamsError, `${name} is a StreamsError`);
  const err = e as StreamsError;
  t.is(err.name, name);
  t.is(err.retriable, retriable, `${name}.retriable`);
  t.true(String(err).startsWith(`${name}: `));
}

test('a closed store: StoreClosedError, not retriable, names the store', (t) => {
  const kv = new InMemoryKeyValueStore('kv');
  kv.close();
  const e = t.throws(() => kv.get(b(1)), { instanceOf: StoreClosedError })!;
  checkStreamsError(t, e, 'StoreClosedError', false);
  t.is(e.store, 'kv');
  t.is(e.message, 'State store kv is closed');
});

test('a value the store serde cannot read: StoreSerdeError, not retriable, with the store and the serde error as cause', (t) => {
  const inner = new InMemoryKeyValueStore('counts');
  inner.put(s('user-1'), b(1, 2, 3));
  const kv = buildKeyValueStore({ name: 'counts', inner, keySerde: stringSerde, valueSerde: longSerde });
  const e = t.throws(() => kv.get('user-1'), { instanceOf: StoreSerdeError })!;
  checkStreamsError(t, e, 'StoreSerdeError', false);
  t.is(e.store, 'counts');
  t.true(e.cause instanceof Error);
});

test('a RocksDB directory held by another handle: StoreLockedError, retriable (the holder releases it)', async (t) => {
  const dir = join(tempDir(t), 'kv');
  const first = await RocksDbKeyValueStore.open({ name: 'kv', dir });
  t.teardown(async () => {
    first.close();
    await first.closed;
  });
  const e = await t.throwsAsync(RocksDbKeyValueStore.open({ name: 'kv', dir }), { instanceOf: StoreLockedError });
  checkStreamsError(t, e, 'StoreLockedError', true);
  t.true(e instanceof StateStoreError);
  t.like(e, { dir, store: 'kv' });
  t.not(e!.cause, undefined, 'the binding error is the cause');
});

test('unreadable and re-laid-out store files: StoreCorruptedError and StoreLayoutChangedError, not retriable', async (t) => {
  const dir = join(tempDir(t), 'w');
  const w = await RocksDbWindowStore.open({ name: 'w', dir, retentionPeriod: 100, windowSize: 10 });
  w.put(b(1), b(1), 5);
  w.close();
  await w.closed;
  const layout = await t.throwsAsync(RocksDbSessionStore.open({ name: 'w', dir, retentionPeriod: 100 }), { instanceOf: StoreLayoutChangedError });
  checkStreamsError(t, layout, 'StoreLayoutChangedError', false);
  t.like(layout, { dir, store: 'w' });
  const raw = await RocksDatabase.open(dir);
  raw.write([{ key: META_KEY, value: b(0x7b, 0x7b) }]);
  await raw.close();
  const corrupt = await t.throwsAsync(RocksDbWindowStore.open({ name: 'w', dir, retentionPeriod: 100, windowSize: 10 }), { instanceOf: StoreCorruptedError });
  checkStreamsError(t, corrupt, 'StoreCorruptedError', false);
  t.like(corrupt, { dir, store: 'w' });
  t.true(corrupt!.cause instanceof SyntaxError, 'the JSON parse error is the cause');
});

test('a state directory locked by another instance: StateDirectoryLockedError, not retriable (a deployment to fix)', (t) => {
  const dir = tempDir(t);
  const sd = StateDirectory.lock(dir);
  t.teardown(() => sd.release());
  const e = t.throws(() => StateDirectory.lock(dir), { instanceOf: StateDirectoryLockedError })!;
  checkStreamsError(t, e, 'StateDirectoryLockedError', false);
  t.like(e, { pid: process.pid });
  const bad = t.throws(() => sd.storeDir('0_0', '..'), { instanceOf: StateStoreError })!;
  checkStreamsError(t, bad, 'StateStoreError', false);
});

test('a corrupt checkpoint file: CheckpointCorruptedError, not retriable, names the file', (t) => {
  const path = join(tempDir(t), '.checkpoint');
  writeFileSync(path, '1\n0\n');
  const e = t.throws(() => new CheckpointFile(path).read(), { instanceOf: CheckpointCorruptedError })!;
  checkStreamsError(t, e, 'CheckpointCorruptedError', false);
  t.is(e.file, path);
});
