import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import {
  buildKeyValueStore,
  CachingKeyValueStore,
  ChangeLoggingKeyValueStore,
  RecordCache,
  RocksDatabase,
  RocksDbKeyValueStore,
  StoreClosedError,
  StoreLockedError,
  StoreSerdeError,
} from '../src/index.ts';
import { b, CollectingSink, hex, keysOf, longSerde, pairsOf, s, stringSerde } from './contract/helpers.ts';

function tempDir(t: ExecutionContext): string {
  const d = mkdtempSync(join(tmpdir(), 'ts-streams-rocks-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

async function openKv(t: ExecutionContext, dir: string, name = 'kv', maxBufferBytes?: number): Promise<RocksDbKeyValueStore> {
  const store = await RocksDbKeyValueStore.open({ name, dir, maxBufferBytes });
  t.teardown(async () => {
    store.close();
    await store.closed;
  });
  return store;
}

test('persistent; reopen after close keeps the data (buffered writes are written down on close)', async (t) => {
  const dir = join(tempDir(t), 'kv');
  const store = await openKv(t, dir);
  t.true(store.persistent);
  store.put(b(1), b(10));
  store.put(b(2), b(20));
  store.flush();
  store.put(b(3), b(30)); // only in the write buffer
  store.delete(b(2));
  store.close();
  t.false(store.isOpen());
  t.throws(() => store.get(b(1)), { instanceOf: StoreClosedError, message: /kv/ });
  t.throws(() => store.put(b(1), b(1)), { instanceOf: StoreClosedError });
  t.throws(() => store.all(), { instanceOf: StoreClosedError });
  await store.closed;
  const again = await openKv(t, dir);
  t.deepEqual(pairsOf(again.all()), [['01', '0a'], ['03', '1e']]);
  t.is(again.approximateNumEntries(), 2);
});

test('values come back as plain Uint8Arrays whether buffered or read from RocksDB', async (t) => {
  const store = await openKv(t, join(tempDir(t), 'kv'));
  store.put(b(1), b(1, 2));
  t.deepEqual(store.get(b(1)), b(1, 2));
  store.flush();
  const v = store.get(b(1))!;
  t.is(Object.getPrototypeOf(v), Uint8Array.prototype);
  t.deepEqual(v, b(1, 2));
  for (const kv of store.all()) {
    t.is(Object.getPrototypeOf(kv.key), Uint8Array.prototype);
    t.is(Object.getPrototypeOf(kv.value), Uint8Array.prototype);
  }
});

test('getMany reads the write buffer first, then RocksDB in one call', async (t) => {
  const store = await openKv(t, join(tempDir(t), 'kv'));
  store.putAll([{ key: b(1), value: b(1) }, { key: b(2), value: b(2) }, { key: b(3), value: b(3) }]);
  store.flush();
  store.put(b(2), b(22));
  store.delete(b(3));
  store.put(b(4), b(4));
  t.deepEqual(store.getMany([b(1), b(2), b(3), b(4), b(5)]), [b(1), b(22), undefined, b(4), undefined]);
  store.flush();
  t.deepEqual(store.getMany([b(5), b(4), b(3), b(2), b(1)]), [undefined, b(4), undefined, b(22), b(1)]);
  t.deepEqual(store.getMany([]), []);
});

test('the write buffer is written down when it passes maxBufferBytes; scans see the buffer', async (t) => {
  const store = await openKv(t, join(tempDir(t), 'kv'), 'kv', 1000);
  const db = store.db;
  for (let i = 0; i < 5; i++) store.put(b(i), new Uint8Array(10));
  t.is(db.get(b(0)), undefined); // still buffered
  for (let i = 5; i < 20; i++) store.put(b(i), new Uint8Array(10));
  t.truthy(db.get(b(0))); // (20 × (1 + 10 + 64) bytes > 1000): written down
  store.put(b(0x50), b(1));
  t.deepEqual(keysOf(store.prefixScan(b(0x50))), ['50']);
  t.truthy(db.get(b(0x50)));
});

test('restoreBatch applies records in order as one batch (later wins, tombstones delete)', async (t) => {
  const store = await openKv(t, join(tempDir(t), 'kv'));
  store.put(b(9), b(9));
  store.restoreBatch([
    { key: b(1), value: b(1), timestamp: 0 },
    { key: b(2), value: b(2), timestamp: 0 },
    { key: b(1), value: b(11), timestamp: 0 },
    { key: b(2), value: null, timestamp: 0 },
    { key: b(9), value: null, timestamp: 0 },
  ]);
  t.deepEqual(pairsOf(store.all()), [['01', '0b']]);
  // through the change-logging layer: one batch below, nothing logged
  const sink = new CollectingSink();
  const logged = new ChangeLoggingKeyValueStore(store, sink, () => 1);
  logged.restoreBatch([{ key: b(3), value: b(3), timestamp: 0 }]);
  t.deepEqual(store.get(b(3)), b(3));
  t.is(sink.records.length, 0);
});

test('approximateNumEntries: exact below exactCountBelow, RocksDB\'s estimate above', async (t) => {
  const dir = tempDir(t);
  const small = await openKv(t, join(dir, 'a'));
  for (let i = 0; i < 10; i++) small.put(b(i), b(i));
  for (let i = 0; i < 10; i++) small.put(b(i), b(i + 1)); // overwrites
  small.delete(b(0));
  t.is(small.approximateNumEntries(), 9);
  const big = await RocksDbKeyValueStore.open({ name: 'big', dir: join(dir, 'b'), exactCountBelow: 10 });
  t.teardown(async () => {
    big.close();
    await big.closed;
  });
  for (let i = 0; i < 1000; i++) big.put(s(`k${i}`), b(1));
  const n = big.approximateNumEntries();
  t.true(n >= 900 && n <= 1100, String(n));
});

test('a second open of the same directory in this process is refused (not a crash)', async (t) => {
  const dir = join(tempDir(t), 'kv');
  await openKv(t, dir);
  const e = await t.throwsAsync(RocksDbKeyValueStore.open({ name: 'kv', dir }), { instanceOf: StoreLockedError });
  t.true(e!.message.includes(dir));
  t.regex(e!.message, /already open in this process/);
});

test('a value the serde cannot read names the store, the key and the serde (RocksDB-backed, with and without cache)', async (t) => {
  const dir = join(tempDir(t), 'my-store');
  const first = await RocksDbKeyValueStore.open({ name: 'my-store', dir });
  first.put(s('user-1'), b(1, 2, 3)); // not a long
  first.put(b(0xff, 0x00), b(4));
  first.close();
  await first.closed;
  const inner = await openKv(t, dir, 'my-store');
  for (const caching of [false, true]) {
    const stack = caching ? new CachingKeyValueStore(inner, new RecordCache(1 << 20)) : inner;
    const kv = buildKeyValueStore({ name: 'my-store', inner: stack, keySerde: stringSerde, valueSerde: longSerde });
    const e = t.throws(() => kv.get('user-1'), { instanceOf: StoreSerdeError })!;
    t.regex(e.message, /my-store/);
    t.regex(e.message, /"user-1"/);
    t.regex(e.message, /Long/);
    t.regex(e.message, /3 bytes/);
    const e2 = t.throws(() => [...kv.range('user-1', 'user-1')], { instanceOf: StoreSerdeError })!;
    t.regex(e2.message, /"user-1"/);
    const bin = buildKeyValueStore({ name: 'my-store', inner: stack, keySerde: { name: 'Bytes', serialize: (_t, v: Uint8Array | null) => v, deserialize: (_t, x) => x }, valueSerde: longSerde });
    const e3 = t.throws(() => bin.get(b(0xff, 0x00)), { instanceOf: StoreSerdeError })!;
    t.regex(e3.message, /0xff00/);
    t.regex(e3.message, /my-store/);
  }
});

test('RocksDatabase: batches, iteration pages and early exit, deleteRange, closed guards', async (t) => {
  const dir = join(tempDir(t), 'db');
  const db = await RocksDatabase.open(dir, { name: 'raw' });
  t.teardown(() => db.close());
  t.true(db.isOpen());
  const batch = db.batch();
  for (let i = 0; i < 100; i++) batch.put(b(i), b(i));
  batch.delete(b(50));
  t.is(batch.length, 101);
  batch.write();
  t.is(batch.length, 0);
  t.is([...db.iterate({}, 7)].length, 99);
  t.deepEqual([...db.iterate({ gt: b(10), lte: b(13) })].map((kv) => hex(kv.key)), ['0b', '0c', '0d']);
  t.deepEqual([...db.iterate({ gte: b(10), lt: b(13), reverse: true })].map((kv) => hex(kv.key)), ['0c', '0b', '0a']);
  t.deepEqual([...db.iterateKeys({ gte: b(97) })].map(hex), ['61', '62', '63']);
  t.deepEqual([...db.iterate({ limit: 2 })].map((kv) => hex(kv.key)), ['00', '01']);
  for (const kv of db.iterate({}, 3)) if (kv.key[0] === 5) break; // closes its native iterator
  db.deleteRange(b(10), b(90));
  t.deepEqual([...db.iterateKeys({ gte: b(8), lt: b(92) })].map(hex), ['08', '09', '5a', '5b']);
  db.deleteRange(b(95), undefined);
  t.deepEqual([...db.iterateKeys({ gte: b(90) })].map(hex), ['5a', '5b', '5c', '5d', '5e']);
  db.write([{ key: b(1), value: null }, { key: b(200), value: b(1) }, { key: b(200), value: b(2) }], { sync: true });
  t.deepEqual(db.getMany([b(0), b(1), b(200)]), [b(0), undefined, b(2)]);
  db.syncWal();
  const open = db.iterate({}, 2)[Symbol.iterator]();
  t.truthy(open.next().value);
  const closing = db.close();
  t.false(db.isOpen());
  t.throws(() => db.get(b(0)), { instanceOf: StoreClosedError, message: /raw/ });
  t.throws(() => db.getMany([b(0)]), { instanceOf: StoreClosedError });
  t.throws(() => db.write([{ key: b(0), value: b(0) }]), { instanceOf: StoreClosedError });
  batch.put(b(0), b(0)); // a batch fills in native memory; writing it needs the database
  t.throws(() => batch.write(), { instanceOf: StoreClosedError });
  batch.clear();
  t.throws(() => db.deleteRange(undefined, undefined), { instanceOf: StoreClosedError });
  t.throws(() => db.approximateCount(), { instanceOf: StoreClosedError });
  t.throws(() => db.iterate(), { instanceOf: StoreClosedError });
  t.throws(() => {
    open.next();
    open.next();
  }, { instanceOf: StoreClosedError });
  await closing;
  t.is(db.close(), closing);
});
