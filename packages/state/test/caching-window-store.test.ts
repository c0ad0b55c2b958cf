import test from 'ava';
import type { KeyValue, WindowBytesStore, WindowedBytes } from '../src/index.ts';
import {
  buildWindowStore, InMemoryWindowStore, RecordCache,
} from '../src/index.ts';
import { CachingWindowStore } from '../src/layers/caching-window-store.ts';
import { ChangeLoggingWindowStore } from '../src/layers/change-logging-window-store.ts';
import { MeteredWindowStore } from '../src/layers/metered-window-store.ts';
import { CACHE_ENTRY_OVERHEAD } from '../src/cache/record-cache.ts';
import { windowChangelogKey } from '../src/layers/changelog-keys.ts';
import { b, CollectingSink, hex, longSerde, rng, stringSerde } from './contract/helpers.ts';

type Fwd = [string, string | null, string | null, number, unknown];
const rows = (it: Iterable<KeyValue<WindowedBytes, Uint8Array>>): string[] => Array.from(it, (kv) => `${hex(kv.key.key)}@${kv.key.start}-${kv.key.end}=${hex(kv.value)}`);
const times = (it: Iterable<KeyValue<number, Uint8Array>>): string[] => Array.from(it, (kv) => `${kv.key}=${hex(kv.value)}`);

function setup(maxBytes: number, retentionPeriod = 1000, sendOldValues = true) {
  let now = 1;
  let ctx: unknown = 'h0';
  const inner = new InMemoryWindowStore({ name: 'w', retentionPeriod, windowSize: 10 });
  const sink = new CollectingSink();
  const cache = new RecordCache(maxBytes);
  const logged = new ChangeLoggingWindowStore(inner, sink, () => caching.currentTimestamp());
  const forwarded: Fwd[] = [];
  const caching: CachingWindowStore = new CachingWindowStore(logged, cache, {
    timestamp: () => now,
    context: () => ctx,
    sendOldValues,
    listener: (w, nv, ov, ts, c) => forwarded.push([`${hex(w.key)}@${w.start}-${w.end}`, nv && hex(nv), ov && hex(ov), ts, c]),
  });
  return { inner, caching, cache, sink, forwarded, setNow: (t: number) => (now = t), setContext: (c: unknown) => (ctx = c) };
}

const logged = (sink: CollectingSink) => sink.records.map((r) => [hex(r.key), r.value && hex(r.value), r.timestamp]);

test('flush forwards only the latest value per window, the last flushed value as old value, with the write timestamp and context', (a) => {
  const { caching, forwarded, sink, setNow, setContext } = setup(1 << 20);
  setNow(10);
  setContext('first');
  caching.put(b(1), b(1), 0);
  setNow(11);
  setContext('second');
  caching.put(b(1), b(2), 0);
  caching.put(b(1), b(3), 10); // another window of the same key
  caching.put(b(2), b(4), 0);
  a.deepEqual(forwarded, []);
  a.is(sink.records.length, 0);
  caching.flush();
  a.deepEqual(forwarded, [['01@0-10', '02', null, 11, 'second'], ['01@10-20', '03', null, 11, 'second'], ['02@0-10', '04', null, 11, 'second']]);
  a.deepEqual(logged(sink), [
    [hex(windowChangelogKey(b(1), 0, 0)), '02', 11],
    [hex(windowChangelogKey(b(1), 10, 0)), '03', 11],
    [hex(windowChangelogKey(b(2), 0, 0)), '04', 11],
  ]);
  forwarded.length = 0;
  setNow(20);
  caching.put(b(1), b(5), 0);
  caching.put(b(1), b(6), 0);
  caching.put(b(2), null, 0); // delete of a flushed window: forwarded with its old value
  caching.put(b(3), null, 0); // delete of a window that never existed: not forwarded
  setNow(99);
  caching.flush();
  a.deepEqual(forwarded, [['01@0-10', '06', '02', 20, 'second'], ['02@0-10', null, '04', 20, 'second']]);
  // The delete of a window that never existed is not written down either (no tombstone logged), as Kafka's
  // CachingWindowStore with a flush listener (Kafka Streams 4.4.0's changelogs in the cached conformance cases).
  a.deepEqual(logged(sink).slice(3).map((r) => r[1]), ['06', null]);
  forwarded.length = 0;
  caching.flush();
  a.deepEqual(forwarded, []);
});

test('sendOldValues false: the old value is read only for deletes and not passed on', (a) => {
  const { caching, forwarded, inner } = setup(1 << 20, 1000, false);
  let fetches = 0;
  const fetch = inner.fetch.bind(inner);
  inner.fetch = (k, t) => {
    fetches++;
    return fetch(k, t);
  };
  caching.put(b(1), b(1), 0);
  caching.flush();
  caching.put(b(1), b(2), 0);
  caching.flush();
  a.is(fetches, 0);
  caching.put(b(1), null, 0);
  caching.put(b(9), null, 0);
  caching.flush();
  a.is(fetches, 2);
  a.deepEqual(forwarded.map((f) => [f[0], f[1], f[2]]), [['01@0-10', '01', null], ['01@0-10', '02', null], ['01@0-10', null, null]]);
});

test('dirty entries are written down in last-write order', (a) => {
  const { caching, forwarded } = setup(1 << 20);
  caching.put(b(1), b(1), 0);
  caching.put(b(2), b(2), 0);
  caching.put(b(1), b(3), 0);
  caching.put(b(1), b(4), 20);
  caching.flush();
  a.deepEqual(forwarded.map((f) => f[0]), ['02@0-10', '01@0-10', '01@20-30']);
});

test('reads merge cache and store: cached values win, cached deletes hide, orders as the store promises', (a) => {
  const { caching, inner } = setup(1 << 20);
  inner.put(b(1), b(0x10), 0);
  inner.put(b(1), b(0x11), 10);
  inner.put(b(1), b(0x12), 20);
  inner.put(b(0x80), b(0x80), 10);
  inner.put(b(0xff), b(0xff), 30);
  caching.put(b(1), b(0x21), 10); // overrides
  caching.put(b(1), null, 20); // hides
  caching.put(b(1), b(0x25), 5); // new, between
  caching.put(b(0x7f), b(0x7f), 10); // new key, sorts before 0x80
  caching.put(b(0xff), b(0xfe), 40);
  a.deepEqual(caching.fetch(b(1), 10), b(0x21));
  a.is(caching.fetch(b(1), 20), undefined);
  a.deepEqual(caching.fetch(b(1), 0), b(0x10));
  a.deepEqual(times(caching.fetchRange(b(1), 0, 100)), ['0=10', '5=25', '10=21']);
  a.deepEqual(times(caching.fetchRange(b(1), 0, 100, true)), ['10=21', '5=25', '0=10']);
  a.deepEqual(times(caching.fetchRange(b(1), 5, 19)), ['5=25', '10=21']);
  const all = ['01@0-10=10', '01@5-15=25', '01@10-20=21', '7f@10-20=7f', '80@10-20=80', 'ff@30-40=ff', 'ff@40-50=fe'];
  a.deepEqual(rows(caching.all()), all);
  a.deepEqual(rows(caching.fetchAll(0, 100)), all);
  a.deepEqual(rows(caching.fetchAll(0, 100, true)), [...all].reverse());
  a.deepEqual(rows(caching.fetchAll(10, 30)), all.slice(2, 6));
  a.deepEqual(rows(caching.fetchKeyRange(b(0x7f), b(0x80), 0, 100)), ['7f@10-20=7f', '80@10-20=80']);
  a.deepEqual(rows(caching.fetchKeyRange(b(0x80), undefined, 0, 100, true)), ['ff@40-50=fe', 'ff@30-40=ff', '80@10-20=80']);
  a.deepEqual(rows(caching.fetchKeyRange(undefined, b(1), 6, 100)), ['01@10-20=21']);
  a.deepEqual(rows(caching.fetchKeyRange(b(2), b(1), 0, 100)), []);
  caching.flush();
  a.deepEqual(rows(inner.all()), all);
});

test('retention: cached windows the store would have expired are never returned; writes are forwarded all the same', (a) => {
  const { caching, inner, forwarded, sink } = setup(1 << 20, 100);
  caching.put(b(1), b(1), 1000);
  caching.put(b(2), b(2), 950);
  a.is(inner.observedStreamTime(), -1);
  a.is(caching.observedStreamTime(), 1000);
  caching.put(b(1), b(3), 900); // 900 <= 1000 - 100: expired, never read back; forwarded on flush (as the caller would without a cache)
  a.is(sink.records.length, 0);
  a.is(caching.fetch(b(1), 900), undefined);
  a.deepEqual(times(caching.fetchRange(b(1), 0, 2000)), ['1000=01']);
  caching.put(b(3), b(4), 1050); // stream time 1050: the cached window at 950 is expired now
  a.is(caching.fetch(b(2), 950), undefined);
  a.deepEqual(rows(caching.all()), ['01@1000-1010=01', '03@1050-1060=04']);
  a.deepEqual(rows(caching.fetchAll(0, 2000)), ['01@1000-1010=01', '03@1050-1060=04']);
  a.deepEqual(rows(caching.fetchKeyRange(b(2), b(2), 0, 2000)), []);
  // expired windows are still written down (the store drops them; the changelog has them) and forwarded
  caching.flush();
  a.deepEqual(forwarded.map((f) => [f[0], f[2]]), [['01@1000-1010', null], ['02@950-960', null], ['01@900-910', null], ['03@1050-1060', null]]);
  a.is(sink.records.length, 4);
  a.deepEqual(rows(inner.all()), ['01@1000-1010=01', '03@1050-1060=04']);
  a.is(inner.observedStreamTime(), 1050);
  // old values are read below by the store's own stream time (as it goes through the writes in order)
  caching.put(b(3), b(5), 1050);
  inner.put(b(4), b(6), 1100); // the store below moves on: 1000 expires there
  caching.put(b(1), null, 1000);
  caching.flush();
  a.deepEqual(forwarded.slice(4).map((f) => [f[0], f[1], f[2]]), [['03@1050-1060', '05', '04']]);
});

test('time-ordered (Kafka\'s TimeOrderedCachingWindowStore): reads return cached windows whatever their age; the store below expires by its own stream time', (a) => {
  const inner = new InMemoryWindowStore({ name: 'w', retentionPeriod: 100, windowSize: 10 });
  const caching = new CachingWindowStore(inner, new RecordCache(1 << 20), { timeOrdered: true });
  inner.put(b(1), b(1), 900); // below, and 900 > 1000 - 100 once 1000 is cached: live for the store below
  inner.put(b(2), b(2), 850); // written down earlier
  caching.put(b(3), b(3), 1000); // cached: the store below is still at 900
  caching.put(b(4), b(4), 880); // cached, 880 <= 1000 - 100: still returned
  a.is(caching.observedStreamTime(), 1000);
  a.deepEqual(caching.fetch(b(4), 880), b(4));
  a.deepEqual(caching.fetch(b(2), 850), b(2));
  a.deepEqual(rows(caching.fetchAll(0, 2000)), ['02@850-860=02', '04@880-890=04', '01@900-910=01', '03@1000-1010=03']);
  a.deepEqual(times(caching.fetchRange(b(4), 0, 2000)), ['880=04']);
  a.deepEqual(rows(caching.fetchKeyRange(b(1), b(2), 0, 2000)), ['02@850-860=02', '01@900-910=01']);
  a.deepEqual(rows(caching.all()), ['02@850-860=02', '04@880-890=04', '01@900-910=01', '03@1000-1010=03']);
  // written down in order: 1000 moves the store below to 1000, where 850 and 900 are expired and 880 is dropped; the
  // cache keeps its (now clean) entries and still returns them
  caching.flush();
  a.deepEqual(rows(inner.all()), ['03@1000-1010=03']);
  a.deepEqual(rows(caching.fetchAll(0, 2000)), ['04@880-890=04', '03@1000-1010=03']);
  a.is(caching.fetch(b(2), 850), undefined);
  a.is(caching.fetch(b(1), 900), undefined);
});

test('eviction when over budget writes all dirty entries down (the evicted one first) before flush()', (a) => {
  const entry = 1 + 1 + CACHE_ENTRY_OVERHEAD;
  const { caching, cache, forwarded, inner } = setup(3 * entry);
  caching.put(b(1), b(1), 0);
  caching.put(b(2), b(2), 0);
  caching.put(b(3), b(3), 0);
  a.deepEqual(forwarded, []);
  caching.fetch(b(1), 0); // 1 is now the most recently used: 2 is the eldest
  caching.put(b(4), b(4), 0);
  a.true(cache.sizeBytes() <= cache.maxBytes);
  a.deepEqual(forwarded.map((f) => f[0]), ['02@0-10', '01@0-10', '03@0-10', '04@0-10']);
  a.deepEqual(rows(inner.all()).length, 4);
  a.deepEqual(caching.fetch(b(2), 0), b(2)); // read back from below
  a.deepEqual(rows(caching.fetchAll(0, 0)), ['01@0-10=01', '02@0-10=02', '03@0-10=03', '04@0-10=04']);
});

test('max bytes 0: write-through, the listener is called on each write', (a) => {
  const { caching, cache, forwarded, sink, setNow } = setup(0);
  setNow(5);
  caching.put(b(1), b(1), 0);
  caching.put(b(1), b(2), 0);
  caching.put(b(1), null, 0);
  caching.put(b(1), null, 0);
  a.deepEqual(forwarded.map((f) => [f[0], f[1], f[2], f[3]]), [['01@0-10', '01', null, 5], ['01@0-10', '02', '01', 5], ['01@0-10', null, '02', 5]]);
  a.is(sink.records.length, 4);
  a.is(cache.sizeBytes(), 0);
});

test('close flushes, drops the named cache and closes below; restoreBatch drops cached windows it restores', (a) => {
  const s = setup(1 << 20);
  s.caching.put(b(1), b(1), 0);
  s.caching.put(b(2), b(2), 0);
  s.caching.restoreBatch([{ key: windowChangelogKey(b(1), 0, 0), value: b(9), timestamp: 0 }]);
  a.deepEqual(s.caching.fetch(b(1), 0), b(9));
  a.deepEqual(s.caching.fetch(b(2), 0), b(2));
  s.caching.close();
  a.deepEqual(s.forwarded.map((f) => f[0]), ['02@0-10']);
  a.false(s.caching.isOpen());
  a.false(s.cache.has('w'));
  a.throws(() => s.caching.fetch(b(1), 0), { message: /closed/ });
});

test('stores that retain duplicates are never cached', (a) => {
  const inner = new InMemoryWindowStore({ name: 'd', retentionPeriod: 100, windowSize: 10, retainDuplicates: true });
  a.throws(() => new CachingWindowStore(inner, new RecordCache(1000)), { message: /duplicates/ });
  const built = buildWindowStore({ inner, keySerde: stringSerde, valueSerde: longSerde, caching: { cache: new RecordCache(1000) } });
  a.is(built.inner, inner);
  a.false(built.setFlushListener(() => {}));
});

test('builder: metered → caching → change-logging; typed flush listener; changelog stamped with the write timestamp', (a) => {
  let now = 7;
  let headers: unknown = ['h'];
  const sink = new CollectingSink();
  const cache = new RecordCache(1 << 20);
  const seen: unknown[] = [];
  const store = buildWindowStore({
    inner: new InMemoryWindowStore({ name: 'counts', retentionPeriod: 1000, windowSize: 10 }),
    keySerde: stringSerde,
    valueSerde: longSerde,
    timestamp: () => now,
    logging: { sink },
    caching: { cache, cacheName: '0_0-counts', context: () => headers, onFlush: (k, nv, ov, ts, c) => seen.push([k, nv, ov, ts, c]) },
  });
  a.true(store instanceof MeteredWindowStore);
  a.true(store.inner instanceof CachingWindowStore);
  store.put('a', 1, 0);
  headers = ['h2'];
  store.put('a', 2, 0);
  a.is(store.fetch('a', 0), 2);
  now = 50;
  store.flush();
  a.deepEqual(seen, [[{ key: 'a', window: { start: 0, end: 10 } }, 2, null, 7, ['h2']]]);
  a.deepEqual(sink.records.map((r) => r.timestamp), [7]);
  a.true(cache.has('0_0-counts'));
});

/** Random operations against a cached and an uncached store: every read must agree. */
for (const maxBytes of [0, 400, 4000, 1 << 20]) {
  test(`randomised against an uncached store (cache ${maxBytes} bytes)`, (a) => {
    const plain: WindowBytesStore = new InMemoryWindowStore({ name: 'p', retentionPeriod: 60, windowSize: 5, segmentInterval: 7 });
    const cache = new RecordCache(maxBytes);
    const fwd = new Map<string, string | null>();
    const cached = new CachingWindowStore(new InMemoryWindowStore({ name: 'c', retentionPeriod: 60, windowSize: 5, segmentInterval: 7 }), cache, {
      listener: (w, nv) => fwd.set(`${hex(w.key)}@${w.start}`, nv && hex(nv)),
    });
    const r = rng(maxBytes + 3);
    let time = 0;
    for (let step = 0; step < 4000; step++) {
      const x = r();
      if (r() < 0.05) time += Math.floor(r() * 20);
      const k = b(Math.floor(r() * 6) * 0x31);
      const start = Math.max(0, time - Math.floor(r() * 80));
      if (x < 0.5) {
        const v = r() < 0.15 ? null : b(step & 0xff, 1);
        plain.put(k, v, start);
        cached.put(k, v, start);
      } else if (x < 0.6) {
        a.deepEqual(cached.fetch(k, start), plain.fetch(k, start));
      } else if (x < 0.7) {
        const back = r() < 0.5;
        a.deepEqual(times(cached.fetchRange(k, start - 10, start + 10, back)), times(plain.fetchRange(k, start - 10, start + 10, back)));
      } else if (x < 0.8) {
        const k2 = b(Math.floor(r() * 6) * 0x31);
        const back = r() < 0.5;
        a.deepEqual(rows(cached.fetchKeyRange(k, k2, start - 30, start + 30, back)), rows(plain.fetchKeyRange(k, k2, start - 30, start + 30, back)));
      } else if (x < 0.9) {
        a.deepEqual(rows(cached.fetchAll(start - 20, start + 20)), rows(plain.fetchAll(start - 20, start + 20)));
      } else if (x < 0.98) {
        a.deepEqual(rows(cached.all()), rows(plain.all()));
      } else {
        cached.flush();
        // what was forwarded is what the store below holds (for windows still live)
        for (const kv of plain.all()) a.is(fwd.get(`${hex(kv.key.key)}@${kv.key.start}`), hex(kv.value));
      }
      a.is(cached.observedStreamTime(), plain.observedStreamTime());
    }
    a.true(cache.sizeBytes() <= maxBytes);
  });
}

test('updates of cached windows stay readable through evictions and index compactions; a layer opened over a named cache with entries indexes them', (a) => {
  // A cache of ~8 entries over 4 keys × many windows: entries are evicted (written down) while their keys get new
  // windows, so the index holds stale pairs and is compacted; range reads must still see every window's latest value.
  const inner = new InMemoryWindowStore({ name: 'w', retentionPeriod: 1_000_000, windowSize: 10 });
  const cache = new RecordCache(8 * (1 + 1 + CACHE_ENTRY_OVERHEAD));
  const caching = new CachingWindowStore(inner, cache, { timestamp: () => 0 });
  const latest = new Map<string, number>();
  for (let i = 0; i < 400; i++) {
    const key = i % 4;
    const start = Math.floor(i / 8) * 10;
    caching.put(b(key), b(i & 0xff), start);
    caching.put(b(key), b((i + 1) & 0xff), start); // an update of the window just put: no index lookup
    latest.set(`${key}@${start}`, (i + 1) & 0xff);
  }
  for (let key = 0; key < 4; key++) {
    const got = times(caching.fetchRange(b(key), 0, 10_000));
    const want = [...latest].filter(([k]) => k.startsWith(`${key}@`)).map(([k, v]) => `${k.split('@')[1]}=${hex(b(v))}`);
    a.deepEqual(got, want, `key ${key}`);
  }
  // Another layer over the same named cache (its entries written by the first, never closed): reads see them.
  const second = new CachingWindowStore(new InMemoryWindowStore({ name: 'w', retentionPeriod: 1_000_000, windowSize: 10 }), cache, { timestamp: () => 0 });
  const cached = cache.namedCache('w').range(undefined, undefined).length;
  a.true(cached > 0);
  a.is(rows(second.fetchAll(0, 10_000)).length, cached);
});
