import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { ExecutionContext } from 'ava';
import {
  buildKeyValueStore,
  InMemoryKeyValueStore,
  RecordCache,
  RocksDbKeyValueStore,
  StoreClosedError,
  StoreLockedError,
  StoreSerdeError,
} from '../src/index.ts';
import { CachingKeyValueStore } from '../src/layers/caching-key-value-store.ts';
import { ChangeLoggingKeyValueStore } from '../src/layers/change-logging-key-value-store.ts';
import { RocksDatabase } from '../src/rocksdb/rocks-database.ts';
import { b, CollectingSink, hex, keysOf, longSerde, pairsOf, rng, s, stringSerde } from './contract/helpers.ts';

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

test('the write buffer is written down when it passes maxBufferBytes', async (t) => {
  const store = await openKv(t, join(tempDir(t), 'kv'), 'kv', 1000);
  const db = store.db;
  for (let i = 0; i < 5; i++) store.put(b(i), new Uint8Array(10));
  t.is(db.get(b(0)), undefined); // still buffered
  for (let i = 5; i < 20; i++) store.put(b(i), new Uint8Array(10));
  t.truthy(db.get(b(0))); // (20 × (1 + 10 + 64) bytes > 1000): written down
});

test('scans merge a small write buffer (in scan order, deletes hiding rows) and write a large one down first', async (t) => {
  const store = await openKv(t, join(tempDir(t), 'kv'));
  const db = store.db;
  for (let i = 0; i < 10; i++) store.put(b(i * 2), b(i));
  store.flush();
  store.put(b(3), b(0x33)); // new, between rows
  store.put(b(4), b(0x44)); // overwrites a row
  store.delete(b(6)); // hides a row
  store.put(b(0x50), b(0x50)); // after every row
  store.put(b(0x00, 0x01), b(1)); // new, first but one
  t.deepEqual(pairsOf(store.all()), [['00', '00'], ['0001', '01'], ['02', '01'], ['03', '33'], ['04', '44'], ['08', '04'], ['0a', '05'], ['0c', '06'], ['0e', '07'], ['10', '08'], ['12', '09'], ['50', '50']]);
  t.deepEqual(keysOf(store.all(true)), ['50', '12', '10', '0e', '0c', '0a', '08', '04', '03', '02', '0001', '00']);
  t.deepEqual(keysOf(store.range(b(3), b(8))), ['03', '04', '08']);
  t.deepEqual(keysOf(store.range(b(3), b(8), true)), ['08', '04', '03']);
  t.deepEqual(keysOf(store.prefixScan(b(0))), ['00', '0001']);
  t.is(db.get(b(3)), undefined); // merged, not written
  for (let i = 0; i < 100; i++) store.put(b(0x60, i), b(i));
  t.is(keysOf(store.prefixScan(b(0x60))).length, 100);
  t.deepEqual(db.get(b(3)), b(0x33)); // more than 64 buffered writes: written down before the scan
  t.is(db.get(b(6)), undefined);
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

test('randomised against the in-memory store: scans with writes, deletes, flushes and buffer write-downs during iteration', async (t) => {
  for (const [seed, maxBufferBytes] of [[1, undefined], [2, undefined], [3, 300], [4, 300], [5, 2000]] as const) {
    const rocks = await openKv(t, join(tempDir(t), 'kv'), 'kv', maxBufferBytes);
    const model = new InMemoryKeyValueStore('model');
    const r = rng(seed);
    const randomKey = () => b(Math.floor(r() * 30) * 8, Math.floor(r() * 2) * 0x90);
    const mutate = () => {
      const x = r();
      const k = randomKey();
      if (x < 0.5) {
        const v = b(Math.floor(r() * 256));
        rocks.put(k, v);
        model.put(k, v);
      } else if (x < 0.8) {
        t.deepEqual(rocks.delete(k), model.delete(k));
      } else if (x < 0.9) {
        rocks.flush();
      } else {
        t.deepEqual(rocks.get(k), model.get(k));
      }
    };
    for (let step = 0; step < 1500; step++) {
      if (r() < 0.85) {
        mutate();
        continue;
      }
      const lo = randomKey();
      const hi = randomKey();
      const reverse = r() < 0.5;
      const which = Math.floor(r() * 3);
      const scan = (s: InMemoryKeyValueStore | RocksDbKeyValueStore) => (which === 0 ? s.all(reverse) : which === 1 ? s.range(lo, hi, reverse) : s.prefixScan(lo.subarray(0, 1)));
      // iterate both in lock step, mutating both between entries
      const a = scan(rocks)[Symbol.iterator]();
      const m = scan(model)[Symbol.iterator]();
      for (;;) {
        const x = a.next();
        const y = m.next();
        t.is(x.done, y.done);
        if (x.done || y.done) break;
        t.deepEqual([hex(x.value.key), hex(x.value.value)], [hex(y.value.key), hex(y.value.value)]);
        if (r() < 0.3) mutate();
      }
    }
    t.deepEqual(pairsOf(rocks.all()), pairsOf(model.all()));
  }
});
