import test from 'ava';
import type { KeyValueBytesStore } from '../src/index.ts';
import { InMemoryKeyValueStore, RecordCache } from '../src/index.ts';
import { CachingKeyValueStore } from '../src/layers/caching-key-value-store.ts';
import { ChangeLoggingKeyValueStore } from '../src/layers/change-logging-key-value-store.ts';
import { CACHE_ENTRY_OVERHEAD } from '../src/cache/record-cache.ts';
import { b, CollectingSink, hex, keysOf } from './contract/helpers.ts';

type Fwd = [string, string | null, string | null, number];

function setup(maxBytes: number) {
  let now = 1;
  const inner = new InMemoryKeyValueStore('s');
  const gets = { n: 0 };
  const counting: KeyValueBytesStore = Object.assign(Object.create(inner) as KeyValueBytesStore, {
    get: (k: Uint8Array) => {
      gets.n++;
      return inner.get(k);
    },
  });
  const sink = new CollectingSink();
  const cache = new RecordCache(maxBytes);
  const logged = new ChangeLoggingKeyValueStore(counting, sink, () => caching.currentTimestamp());
  const forwarded: Fwd[] = [];
  const caching: CachingKeyValueStore = new CachingKeyValueStore(logged, cache, {
    timestamp: () => now,
    listener: (k, nv, ov, ts) => forwarded.push([hex(k), nv && hex(nv), ov && hex(ov), ts]),
  });
  return { inner, caching, cache, sink, forwarded, gets, setNow: (t: number) => (now = t) };
}

test('flush forwards only the latest value per key, with the last flushed value as old value', (a) => {
  const { caching, forwarded, sink, setNow } = setup(1 << 20);
  setNow(10);
  caching.put(b(1), b(1));
  setNow(11);
  caching.put(b(1), b(2));
  caching.put(b(2), b(1));
  a.deepEqual(forwarded, []);
  a.is(sink.records.length, 0);
  caching.flush();
  a.deepEqual(forwarded, [['01', '02', null, 11], ['02', '01', null, 11]]);
  a.deepEqual(sink.records.map((r) => [hex(r.key), r.value && hex(r.value), r.timestamp]), [['01', '02', 11], ['02', '01', 11]]);
  forwarded.length = 0;
  setNow(20);
  caching.put(b(1), b(3));
  caching.put(b(1), b(4));
  caching.delete(b(2));
  caching.delete(b(3)); // absent: nothing to forward, nor to write down (no tombstone logged), as Kafka's
  setNow(99);
  caching.flush();
  a.deepEqual(forwarded, [['01', '04', '02', 20], ['02', null, '01', 20]]);
  a.deepEqual(sink.records.slice(2).map((r) => [hex(r.key), r.value && hex(r.value), r.timestamp]), [['01', '04', 20], ['02', null, 20]]);
  forwarded.length = 0;
  caching.flush();
  a.deepEqual(forwarded, []);
});

test('dirty entries are flushed in last-write order', (a) => {
  const { caching, forwarded } = setup(1 << 20);
  caching.put(b(1), b(1));
  caching.put(b(2), b(2));
  caching.put(b(1), b(3));
  caching.flush();
  a.deepEqual(forwarded.map((f) => f[0]), ['02', '01']);
});

test('reads hit the cache first; a miss caches the value read', (a) => {
  const { caching, inner, gets } = setup(1 << 20);
  inner.put(b(5), b(5));
  caching.put(b(1), b(1));
  a.deepEqual(caching.get(b(1)), b(1));
  a.is(gets.n, 0);
  a.deepEqual(caching.get(b(5)), b(5));
  a.deepEqual(caching.get(b(5)), b(5));
  a.is(gets.n, 1);
  caching.delete(b(5));
  a.is(caching.get(b(5)), undefined);
  a.deepEqual(inner.get(b(5)), b(5)); // not yet written down
});

test('scans merge cache over the store: cached values win, cached deletes hide', (a) => {
  const { caching, inner } = setup(1 << 20);
  for (const k of [1, 3, 0x80, 0xff]) inner.put(b(k), b(k));
  caching.put(b(2), b(2));
  caching.put(b(3), b(0x33));
  caching.delete(b(0x80));
  caching.put(b(0x90), b(0x90));
  a.deepEqual(keysOf(caching.all()), ['01', '02', '03', '90', 'ff']);
  a.deepEqual(Array.from(caching.all(), (kv) => hex(kv.value)), ['01', '02', '33', '90', 'ff']);
  a.deepEqual(keysOf(caching.all(true)), ['ff', '90', '03', '02', '01']);
  a.deepEqual(keysOf(caching.range(b(2), b(0x90))), ['02', '03', '90']);
  a.deepEqual(keysOf(caching.range(b(2), b(0x90), true)), ['90', '03', '02']);
  a.deepEqual(keysOf(caching.prefixScan(b(0x80))), []);
});

test('eviction when over budget writes dirty entries down and forwards them before flush()', (a) => {
  const entry = 1 + 1 + CACHE_ENTRY_OVERHEAD;
  const { caching, cache, forwarded, inner } = setup(3 * entry);
  caching.put(b(1), b(1));
  caching.put(b(2), b(2));
  caching.put(b(3), b(3));
  a.deepEqual(forwarded, []);
  a.is(cache.sizeBytes(), 3 * entry);
  caching.get(b(1)); // 1 is now most recently used: 2 is the eldest
  caching.put(b(4), b(4));
  a.true(cache.sizeBytes() <= cache.maxBytes);
  // evicting dirty 2 flushes all dirty entries of the store, the evicted one first (as Kafka's NamedCache)
  a.deepEqual(forwarded.map((f) => f[0]), ['02', '01', '03', '04']);
  a.deepEqual(keysOf(inner.all()), ['01', '02', '03', '04']);
  a.deepEqual(caching.get(b(2)), b(2)); // read back from below
});

test('a shared budget: one store fills it, another store writing evicts only its own entries', (a) => {
  const entry = 1 + 1 + CACHE_ENTRY_OVERHEAD;
  const cache = new RecordCache(4 * entry);
  const fwd: string[] = [];
  const s1 = new CachingKeyValueStore(new InMemoryKeyValueStore('a'), cache, { listener: (k) => fwd.push('a' + hex(k)) });
  const s2 = new CachingKeyValueStore(new InMemoryKeyValueStore('b'), cache, { listener: (k) => fwd.push('b' + hex(k)) });
  for (let i = 0; i < 4; i++) s1.put(b(i), b(i));
  a.is(cache.sizeBytes(), 4 * entry);
  s2.put(b(9), b(9)); // over budget: s2's own (only) entry is evicted, s1 untouched
  a.deepEqual(fwd, ['b09']);
  a.is(cache.namedCache('a').size, 4);
  cache.resize(2 * entry);
  a.true(cache.sizeBytes() <= 2 * entry);
  a.deepEqual(fwd.slice(1).sort(), ['a00', 'a01', 'a02', 'a03']);
});

test('max bytes 0: pass-through, the listener is called synchronously on each write with the old value', (a) => {
  const { caching, cache, forwarded, sink, setNow } = setup(0);
  setNow(5);
  caching.put(b(1), b(1));
  a.deepEqual(forwarded, [['01', '01', null, 5]]);
  caching.put(b(1), b(2));
  a.deepEqual(forwarded.at(-1), ['01', '02', '01', 5]);
  setNow(6);
  a.deepEqual(caching.delete(b(1)), b(2));
  a.deepEqual(forwarded.at(-1), ['01', null, '02', 6]);
  caching.delete(b(7));
  a.is(forwarded.length, 3);
  a.is(cache.sizeBytes(), 0);
  a.deepEqual(sink.records.map((r) => [hex(r.key), r.value && hex(r.value), r.timestamp]), [['01', '01', 5], ['01', '02', 5], ['01', null, 6], ['07', null, 6]]);
});

test('close flushes, drops the named cache, and closes below', (a) => {
  const { caching, cache, forwarded } = setup(1 << 20);
  caching.put(b(1), b(1));
  caching.close();
  a.is(forwarded.length, 1);
  a.false(caching.isOpen());
  a.false(caching.inner.isOpen());
  a.false(cache.has('s'));
  a.is(cache.sizeBytes(), 0);
  a.throws(() => caching.put(b(1), b(1)));
});

test('restoreBatch goes through the change-logging layer and invalidates cached keys', (a) => {
  const { caching } = setup(1 << 20);
  caching.put(b(1), b(1));
  caching.flush();
  a.deepEqual(caching.get(b(1)), b(1));
  caching.restoreBatch([{ key: b(1), value: b(9), timestamp: 0 }, { key: b(2), value: b(2), timestamp: 0 }, { key: b(2), value: null, timestamp: 0 }]);
  a.deepEqual(caching.get(b(1)), b(9));
  a.is(caching.get(b(2)), undefined);
});

test('sendOldValues false: old values are read below only for deletes, and not passed on; the write context comes back', (a) => {
  let now = 1;
  let ctx: unknown = 'h1';
  const inner = new InMemoryKeyValueStore('s');
  const gets = { n: 0 };
  const counting: KeyValueBytesStore = Object.assign(Object.create(inner) as KeyValueBytesStore, {
    get: (k: Uint8Array) => { gets.n++; return inner.get(k); },
    getMany: (ks: readonly Uint8Array[]) => { gets.n += ks.length; return ks.map((k) => inner.get(k)); },
  });
  const forwarded: [string, string | null, string | null, number, unknown][] = [];
  const caching = new CachingKeyValueStore(counting, new RecordCache(1 << 20), { timestamp: () => now, context: () => ctx });
  caching.setFlushListener((k, nv, ov, ts, c) => forwarded.push([hex(k), nv && hex(nv), ov && hex(ov), ts, c]), false);
  caching.put(b(1), b(1));
  caching.put(b(2), b(2));
  caching.flush();
  a.is(gets.n, 0, 'no old value read for updates');
  now = 5;
  ctx = 'h2';
  caching.put(b(1), b(3));
  caching.put(b(2), null); // a delete of a written key: read below, forwarded with a null old value
  caching.put(b(9), null); // a delete of a key never written down: read below, not forwarded
  caching.flush();
  a.is(gets.n, 2);
  a.deepEqual(forwarded, [
    ['01', '01', null, 1, 'h1'], ['02', '02', null, 1, 'h1'],
    ['01', '03', null, 5, 'h2'], ['02', null, null, 5, 'h2'],
  ]);
});
