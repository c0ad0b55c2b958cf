import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { KeyValue, WindowedBytes } from '../src/index.ts';
import { InMemorySessionStore, InMemoryWindowStore, RocksDbSessionStore, RocksDbWindowStore, StateStoreError, StoreClosedError, StoreCorruptedError } from '../src/index.ts';
import { RocksDatabase } from '../src/rocksdb/rocks-database.ts';
import type { RocksDbSessionStoreOptions, RocksDbWindowStoreOptions } from '../src/index.ts';
import { META_KEY, segmentEnd, segmentPrefix } from '../src/rocksdb/segmented-keys.ts';
import { b, hex, rng } from './contract/helpers.ts';

const rows = (it: Iterable<KeyValue<WindowedBytes, Uint8Array>>): string[] => Array.from(it, (kv) => `${hex(kv.key.key)}@${kv.key.start}-${kv.key.end}=${hex(kv.value)}`);
const times = (it: Iterable<KeyValue<number, Uint8Array>>): string[] => Array.from(it, (kv) => `${kv.key}=${hex(kv.value)}`);

/** A temp dir removed when the test ends (after the stores registered later are closed). */
function tempDir(a: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'ts-streams-segmented-'));
  a.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

type Segmented = RocksDbWindowStore | RocksDbSessionStore;

/** Closes the store (if still open) and waits for RocksDB to release it, when the test ends. */
function closeAtEnd<S extends Segmented>(a: ExecutionContext, store: S): S {
  a.teardown(async () => {
    store.close();
    await store.closed;
  });
  return store;
}

async function openWindow(a: ExecutionContext, options: RocksDbWindowStoreOptions): Promise<RocksDbWindowStore> {
  return closeAtEnd(a, await RocksDbWindowStore.open(options));
}

async function openSession(a: ExecutionContext, options: RocksDbSessionStoreOptions): Promise<RocksDbSessionStore> {
  return closeAtEnd(a, await RocksDbSessionStore.open(options));
}

async function reopenWindow(a: ExecutionContext, store: RocksDbWindowStore, options: RocksDbWindowStoreOptions): Promise<RocksDbWindowStore> {
  store.close();
  await store.closed;
  return openWindow(a, options);
}

async function reopenSession(a: ExecutionContext, store: RocksDbSessionStore, options: RocksDbSessionStoreOptions): Promise<RocksDbSessionStore> {
  store.close();
  await store.closed;
  return openSession(a, options);
}

/** The number of data keys on disk (the metadata key excluded), in all segments or in one. */
function diskKeys(store: Segmented, segment?: number): number {
  const gte = segment === undefined ? segmentPrefix(-(2 ** 40)) : segmentPrefix(segment);
  const lt = segment === undefined ? undefined : segmentEnd(segment);
  let n = 0;
  for (const _ of store.db.iterateKeys({ gte, lt }, 1024)) n++;
  return n;
}

const pointDeletes = (store: Segmented): number => Number(store.db.property('rocksdb.num-deletes-active-mem-table'));

test('window: expired segments are dropped whole, by one range deletion, never record by record', async (a) => {
  const dir = join(tempDir(a), 'w');
  const options: RocksDbWindowStoreOptions = { name: 'w', dir, retentionPeriod: 100, windowSize: 10, segmentInterval: 50 };
  let store = await openWindow(a, options);
  // 10 keys x 5 starts in each of the segments 0 [0, 49], 1 [50, 99], 2 [100, 149]
  for (let start = 0; start < 150; start += 10) for (let k = 0; k < 10; k++) store.put(b(k), b(start), start);
  store.flush();
  a.is(store.observedStreamTime(), 140);
  a.is(store.segmentInterval, 50);
  a.deepEqual(store.segments(), [0, 1, 2]);
  a.is(diskKeys(store), 150);
  a.is(diskKeys(store, 0), 50);
  const deletesBefore = pointDeletes(store);

  // stream time 145: starts <= 45 are expired, reads no longer return them, but segment 0 (which could still
  // hold live starts 46..49) keeps its 50 records
  store.put(b(0), b(0xaa), 145);
  store.flush();
  a.deepEqual(times(store.fetchRange(b(3), 0, 200)), ['50=32', '60=3c', '70=46', '80=50', '90=5a', '100=64', '110=6e', '120=78', '130=82', '140=8c']);
  a.is(store.fetch(b(3), 40), undefined);
  a.is(diskKeys(store, 0), 50);
  a.is(diskKeys(store), 151);

  // stream time 150: every start segment 0 can hold (<= 49) is expired: the segment goes at once, at the put
  store.put(b(0), b(0xbb), 150);
  a.deepEqual(store.segments(), [1, 2, 3]);
  a.is(diskKeys(store, 0), 0);
  a.is(diskKeys(store), 101); // 151 - 50; the put of 150 is still in the write buffer
  a.is(pointDeletes(store), deletesBefore); // no point deletes: a range deletion
  store.flush();
  a.is(diskKeys(store), 102);

  // after a reopen the old segment's keys are still gone, the rest and the stream time are there
  store = await reopenWindow(a, store, options);
  a.is(store.observedStreamTime(), 150);
  a.deepEqual(store.segments(), [1, 2, 3]);
  a.is(diskKeys(store, 0), 0);
  a.is(diskKeys(store), 102);
  a.deepEqual(store.fetch(b(0), 150), b(0xbb));
  a.deepEqual(store.fetch(b(9), 60), b(60));
  a.is(store.fetch(b(9), 50), undefined); // 50 <= 150 - 100: expired, though its segment is still held

  // a jump far ahead drops all old segments with one DeleteRange
  store.put(b(1), b(1), 10_000);
  a.deepEqual(store.segments(), [200]);
  a.is(diskKeys(store), 0);
  a.is(pointDeletes(store), 0);
  a.deepEqual(rows(store.all()), ['01@10000-10010=01']);
});

test('window: reopen after close keeps the data, observed stream time and duplicates order', async (a) => {
  const dir = join(tempDir(a), 'w');
  const options: RocksDbWindowStoreOptions = { name: 'w', dir, retentionPeriod: 1000, windowSize: 100, retainDuplicates: true };
  let store = await openWindow(a, options);
  store.put(b(1), b(0xa), 100);
  store.put(b(1), b(0xb), 100);
  store.put(b(2), b(0xc), 50);
  store.put(b(1), b(0xd), 250);
  const before = rows(store.all());
  // close() writes the buffer down: no flush() needed
  store = await reopenWindow(a, store, options);
  a.true(store.isOpen());
  a.true(store.persistent);
  a.is(store.observedStreamTime(), 250);
  a.deepEqual(rows(store.all()), before);
  // the seqnum continues: a duplicate put after the reopen comes after the older ones
  store.put(b(1), b(0xe), 100);
  a.deepEqual(times(store.fetchRange(b(1), 0, 1000)), ['100=0a', '100=0b', '100=0e', '250=0d']);
  store = await reopenWindow(a, store, options);
  a.deepEqual(times(store.fetchRange(b(1), 0, 1000)), ['100=0a', '100=0b', '100=0e', '250=0d']);
  a.deepEqual(rows(store.fetchAll(0, 100)), ['02@50-150=0c', '01@100-200=0a', '01@100-200=0b', '01@100-200=0e']);

  // no duplicates: overwrites and deletes survive too, and the expiry boundary uses the restored stream time
  const dir2 = join(tempDir(a), 'w2');
  const options2: RocksDbWindowStoreOptions = { name: 'w2', dir: dir2, retentionPeriod: 100, windowSize: 10 };
  let w = await openWindow(a, options2);
  w.put(b(1), b(1), 500);
  w.put(b(1), b(2), 500);
  w.put(b(2), b(3), 450);
  w.put(b(3), b(4), 401);
  w.put(b(2), null, 450);
  w = await reopenWindow(a, w, options2);
  a.is(w.observedStreamTime(), 500);
  a.deepEqual(rows(w.all()), ['03@401-411=04', '01@500-510=02']);
  w.put(b(3), b(5), 400); // 400 <= 500 - 100: dropped
  a.is(w.droppedRecords, 1);
  a.is(w.fetch(b(3), 400), undefined);
});

test('window/session: closed stores refuse use; a directory keeps its kind and segment interval', async (a) => {
  const dir = join(tempDir(a), 'w');
  const store = await openWindow(a, { name: 'w', dir, retentionPeriod: 100, windowSize: 10 });
  store.put(b(1), b(1), 5);
  store.close();
  a.false(store.isOpen());
  a.throws(() => store.fetch(b(1), 5), { instanceOf: StoreClosedError, message: /w/ });
  a.throws(() => store.put(b(1), b(1), 6), { instanceOf: StoreClosedError });
  a.throws(() => store.fetchAll(0, 10), { instanceOf: StoreClosedError });
  store.close(); // idempotent
  await store.closed;
  await a.throwsAsync(RocksDbWindowStore.open({ name: 'w', dir, retentionPeriod: 100, windowSize: 10, segmentInterval: 7 }), {
    instanceOf: StateStoreError,
    message: /segmentInterval 60000, cannot open it with 7/,
  });
  await a.throwsAsync(RocksDbSessionStore.open({ name: 'w', dir, retentionPeriod: 100 }), { instanceOf: StateStoreError, message: /holds a window store/ });
  const again = await openWindow(a, { name: 'w', dir, retentionPeriod: 100, windowSize: 10 });
  a.deepEqual(again.fetch(b(1), 5), b(1));

  // unreadable metadata: StoreCorruptedError (openPersistentStore then wipes the directory and restores)
  again.close();
  await again.closed;
  const raw = await RocksDatabase.open(dir);
  raw.write([{ key: META_KEY, value: b(0x7b, 0x7b) }]);
  await raw.close();
  await a.throwsAsync(RocksDbWindowStore.open({ name: 'w', dir, retentionPeriod: 100, windowSize: 10 }), { instanceOf: StoreCorruptedError, message: /unreadable metadata/ });

  const sdir = join(tempDir(a), 's');
  const s = await openSession(a, { name: 's', dir: sdir, retentionPeriod: 100 });
  s.put({ key: b(1), start: 0, end: 5 }, b(1));
  s.close();
  a.throws(() => s.findSessions(b(1), 0, 10), { instanceOf: StoreClosedError });
  a.throws(() => s.fetchSession(b(1), 0, 5), { instanceOf: StoreClosedError });
});

test('session: segments by end dropped whole; reopen keeps sessions and observed stream time', async (a) => {
  const dir = join(tempDir(a), 's');
  const options: RocksDbSessionStoreOptions = { name: 's', dir, retentionPeriod: 100, segmentInterval: 50 };
  let store = await openSession(a, options);
  for (let end = 0; end < 150; end += 10) for (let k = 0; k < 4; k++) store.put({ key: b(k), start: end - 5, end }, b(end));
  store.remove({ key: b(3), start: 135, end: 140 });
  store.flush();
  a.deepEqual(store.segments(), [0, 1, 2]);
  a.is(diskKeys(store), 59);
  const deletesBefore = pointDeletes(store);
  store.put({ key: b(0), start: 150, end: 150 }, b(0xff)); // ends <= 50 expire: segment 0 [0, 49] goes
  a.deepEqual(store.segments(), [1, 2, 3]);
  a.is(diskKeys(store, 0), 0);
  a.is(diskKeys(store), 39);
  a.is(pointDeletes(store), deletesBefore);
  store = await reopenSession(a, store, options);
  a.is(store.observedStreamTime(), 150);
  a.deepEqual(store.segments(), [1, 2, 3]);
  const found = Array.from(store.findSessions(b(3), 0, 1000), (kv) => `${kv.key.start},${kv.key.end}`);
  a.deepEqual(found, ['55,60', '65,70', '75,80', '85,90', '95,100', '105,110', '115,120', '125,130']); // 45,50 expired (50 <= 150 - 100)
  a.deepEqual(store.fetchSession(b(0), 150, 150), b(0xff));
  a.is(store.fetchSession(b(3), 135, 140), undefined);
});

// --- randomised comparison with the in-memory stores ---------------------------------------------------------

// keys that are prefixes of one another and contain 0x00 / 0xff: the byte layouts' hard cases
const KEYS = [b(), b(0x00), b(0x00, 0x00), b(0x01), b(0x01, 0x00), b(0x01, 0x00, 0xff), b(0x01, 0x01), b(0x7f), b(0x80), b(0xff), b(0xff, 0xff)];

for (const retainDuplicates of [false, true]) {
  test(`window${retainDuplicates ? ' (retainDuplicates)' : ''}: randomised operations give the in-memory store's results, across flushes and reopens`, async (a) => {
    const dir = join(tempDir(a), 'w');
    const p = { retentionPeriod: 60, windowSize: 10, retainDuplicates, segmentInterval: 16 };
    const options: RocksDbWindowStoreOptions = { name: 'w', dir, ...p, maxBufferBytes: 2000 };
    let store = await openWindow(a, options);
    const model = new InMemoryWindowStore({ name: 'm', ...p });
    const r = rng(retainDuplicates ? 17 : 13);
    const key = () => KEYS[Math.floor(r() * KEYS.length)]!;
    let base = 0;
    let compared = 0;
    for (let step = 0; step < 3000; step++) {
      if (r() < 0.05) base += Math.floor(r() * 30);
      const x = r();
      if (x < 0.55) {
        const k = key();
        const start = base + Math.floor(r() * 80) - 70;
        const v = r() < 0.15 ? null : b(step & 0xff, step >> 8);
        store.put(k, v, start);
        model.put(k, v, start);
      } else if (x < 0.65) {
        const k = key();
        const start = base + Math.floor(r() * 80) - 70;
        a.deepEqual(store.fetch(k, start), model.fetch(k, start));
      } else if (x < 0.78) {
        const k = key();
        const from = base + Math.floor(r() * 100) - 90, to = from + Math.floor(r() * 60);
        const backward = r() < 0.3;
        a.deepEqual(times(store.fetchRange(k, from, to, backward)), times(model.fetchRange(k, from, to, backward)));
      } else if (x < 0.9) {
        const from = r() < 0.2 ? undefined : key(), to = r() < 0.2 ? undefined : key();
        const tf = base + Math.floor(r() * 100) - 90, tt = r() < 0.1 ? Number.MAX_SAFE_INTEGER : tf + Math.floor(r() * 60);
        const backward = r() < 0.3;
        a.deepEqual(rows(store.fetchKeyRange(from, to, tf, tt, backward)), rows(model.fetchKeyRange(from, to, tf, tt, backward)));
      } else if (x < 0.96) {
        const tf = base + Math.floor(r() * 100) - 90, tt = tf + Math.floor(r() * 60);
        const backward = r() < 0.5;
        a.deepEqual(rows(store.fetchAll(tf, tt, backward)), rows(model.fetchAll(tf, tt, backward)));
      } else if (x < 0.99) {
        a.deepEqual(rows(store.all()), rows(model.all()));
        compared++;
      } else if (x < 0.995) {
        store.flush();
      } else {
        store = await reopenWindow(a, store, options);
      }
      a.is(store.observedStreamTime(), model.observedStreamTime());
    }
    a.deepEqual(rows(store.all()), rows(model.all()));
    a.true(compared > 50);
  });
}

test('session: randomised operations give the in-memory store\'s results, across flushes and reopens', async (a) => {
  const dir = join(tempDir(a), 's');
  const p = { retentionPeriod: 60, segmentInterval: 16 };
  const options: RocksDbSessionStoreOptions = { name: 's', dir, ...p, maxBufferBytes: 2000 };
  let store = await openSession(a, options);
  const model = new InMemorySessionStore({ name: 'm', ...p });
  const srows = (it: Iterable<KeyValue<WindowedBytes, Uint8Array>>): string[] => Array.from(it, (kv) => `${hex(kv.key.key)}[${kv.key.start},${kv.key.end}]=${hex(kv.value)}`);
  const r = rng(23);
  const key = () => KEYS[Math.floor(r() * KEYS.length)]!;
  let base = 0;
  for (let step = 0; step < 3000; step++) {
    if (r() < 0.05) base += Math.floor(r() * 30);
    const x = r();
    const end = base + Math.floor(r() * 80) - 70;
    const start = end - Math.floor(r() * 20);
    if (x < 0.45) {
      const k = key();
      const v = r() < 0.1 ? null : b(step & 0xff, step >> 8);
      store.put({ key: k, start, end }, v);
      model.put({ key: k, start, end }, v);
    } else if (x < 0.55) {
      // merge: find the overlapping sessions, remove them, put the merged one
      const k = key();
      const found = Array.from(model.findSessions(k, start, end));
      a.deepEqual(srows(store.findSessions(k, start, end)), srows(found));
      for (const f of found) {
        store.remove(f.key);
        model.remove(f.key);
      }
      const merged = { key: k, start: Math.min(start, ...found.map((f) => f.key.start)), end: Math.max(end, ...found.map((f) => f.key.end)) };
      store.put(merged, b(step & 0xff));
      model.put(merged, b(step & 0xff));
    } else if (x < 0.65) {
      const k = key();
      a.deepEqual(store.fetchSession(k, start, end), model.fetchSession(k, start, end));
    } else if (x < 0.8) {
      const k = key();
      a.deepEqual(srows(store.findSessions(k, start, end)), srows(model.findSessions(k, start, end)));
    } else if (x < 0.97) {
      const from = r() < 0.2 ? undefined : key(), to = r() < 0.2 ? undefined : key();
      const latest = r() < 0.1 ? Number.MAX_SAFE_INTEGER : end;
      a.deepEqual(srows(store.findSessionsRange(from, to, start, latest)), srows(model.findSessionsRange(from, to, start, latest)));
    } else if (x < 0.995) {
      store.flush();
    } else {
      store = await reopenSession(a, store, options);
    }
    a.is(store.observedStreamTime(), model.observedStreamTime());
  }
  a.deepEqual(srows(store.findSessionsRange(undefined, undefined, -1e9, 1e9)), srows(model.findSessionsRange(undefined, undefined, -1e9, 1e9)));
});

test('session: a segment goes as Kafka\'s do, once below segmentId(streamTime - retention); findSessionsByEnd reads what is held', async (a) => {
  const options = { name: 's', retentionPeriod: 100, segmentInterval: 10, timeOrdered: true };
  const stores = [new InMemorySessionStore(options), await openSession(a, { ...options, dir: join(tempDir(a), 's') })];
  for (const store of stores) {
    store.put({ key: b(1), start: 109, end: 109 }, b(1)); // 109 - 100 = 9: segment 0 [0, 9] is still held, though all of it is expired
    store.put({ key: b(2), start: 5, end: 5 }, b(2)); // time-ordered: put into the held segment
    a.deepEqual(rows(store.findSessionsByEnd(0, 200)), ['02@5-5=02', '01@109-109=01']);
    a.deepEqual(rows(store.findSessionsRange(undefined, undefined, 0, 200)), ['01@109-109=01']);
    store.put({ key: b(1), start: 110, end: 110 }, b(3)); // 10: segment 0 goes
    a.deepEqual(rows(store.findSessionsByEnd(0, 200)), ['01@109-109=01', '01@110-110=03']);
    store.put({ key: b(2), start: 9, end: 9 }, b(4)); // into a dropped segment: dropped
    a.deepEqual(rows(store.findSessionsByEnd(0, 200)), ['01@109-109=01', '01@110-110=03']);
  }
  a.deepEqual((stores[1] as RocksDbSessionStore).segments(), [10, 11]);
});
