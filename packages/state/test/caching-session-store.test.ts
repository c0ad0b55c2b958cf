import test from 'ava';
import type { KeyValue, SessionBytesStore, WindowedBytes } from '../src/index.ts';
import {
  buildSessionStore, InMemorySessionStore, RecordCache,
} from '../src/index.ts';
import { CachingSessionStore } from '../src/layers/caching-session-store.ts';
import { ChangeLoggingSessionStore } from '../src/layers/change-logging-session-store.ts';
import { CACHE_ENTRY_OVERHEAD } from '../src/cache/record-cache.ts';
import { sessionChangelogKey } from '../src/layers/changelog-keys.ts';
import { b, CollectingSink, hex, longSerde, rng, stringSerde } from './contract/helpers.ts';

type Fwd = [string, string | null, string | null, number, unknown];
const rows = (it: Iterable<KeyValue<WindowedBytes, Uint8Array>>): string[] => Array.from(it, (kv) => `${hex(kv.key.key)}[${kv.key.start},${kv.key.end}]=${hex(kv.value)}`);
const sess = (key: Uint8Array, start: number, end: number): WindowedBytes => ({ key, start, end });

function setup(maxBytes: number, retentionPeriod = 1000) {
  let now = 1;
  let ctx: unknown = undefined;
  const inner = new InMemorySessionStore({ name: 's', retentionPeriod });
  const sink = new CollectingSink();
  const cache = new RecordCache(maxBytes);
  const logged = new ChangeLoggingSessionStore(inner, sink, () => caching.currentTimestamp());
  const forwarded: Fwd[] = [];
  const caching: CachingSessionStore = new CachingSessionStore(logged, cache, {
    timestamp: () => now,
    context: () => ctx,
    listener: (w, nv, ov, ts, c) => forwarded.push([`${hex(w.key)}[${w.start},${w.end}]`, nv && hex(nv), ov && hex(ov), ts, c]),
  });
  return { inner, caching, cache, sink, forwarded, setNow: (t: number) => (now = t), setContext: (c: unknown) => (ctx = c) };
}

test('session merges within one flush: one update per session, merged-away sessions forwarded only if written down before', (a) => {
  const { caching, forwarded, sink, setNow, setContext } = setup(1 << 20);
  const k = b(0x6b);
  setNow(0);
  setContext('r0');
  caching.put(sess(k, 0, 0), b(1));
  caching.flush();
  a.deepEqual(forwarded, [['6b[0,0]', '01', null, 0, 'r0']]);
  forwarded.length = 0;
  // a record at 5 merges [0,0] into [0,5]; one at 3 then falls inside [0,5]: removed and re-put; one at 20 starts [20,20],
  // which a record at 22 merges away into [20,22] — all before the next flush
  setNow(5);
  setContext('r5');
  caching.remove(sess(k, 0, 0));
  caching.put(sess(k, 0, 5), b(2));
  setNow(3);
  setContext('r3');
  caching.remove(sess(k, 0, 5));
  caching.put(sess(k, 0, 5), b(3));
  setNow(20);
  caching.put(sess(k, 20, 20), b(1));
  setNow(22);
  caching.remove(sess(k, 20, 20));
  caching.put(sess(k, 20, 22), b(2));
  a.deepEqual(forwarded, []);
  caching.flush();
  a.deepEqual(forwarded, [
    ['6b[0,0]', null, '01', 5, 'r5'], // the flushed session merged away: a tombstone with its old value
    ['6b[0,5]', '03', null, 3, 'r3'], // only its latest value
    ['6b[20,22]', '02', null, 22, 'r3'], // [20,20] never reached the store: nothing for it
  ]);
  a.deepEqual(rows(caching.findSessions(k, 0, 100)), ['6b[0,5]=03', '6b[20,22]=02']);
  // [0,0], then [0,0] removed, [0,5], [20,22]: the removal of [20,20], which never reached the store, is not written
  // (nor logged), as Kafka's CachingSessionStore with a flush listener
  a.is(sink.records.length, 1 + 3);
  forwarded.length = 0;
  caching.remove(sess(k, 0, 5));
  caching.put(sess(k, 0, 5), b(4)); // re-put of a flushed session: one update with its old value
  caching.flush();
  a.deepEqual(forwarded.map((f) => [f[0], f[1], f[2]]), [['6b[0,5]', '04', '03']]);
});

test('reads merge cache and store in (end, start) / (end, key, start) order; cached removals hide', (a) => {
  const { caching, inner } = setup(1 << 20);
  inner.put(sess(b(1), 0, 10), b(0x10));
  inner.put(sess(b(1), 5, 20), b(0x11));
  inner.put(sess(b(0x80), 0, 10), b(0x80));
  caching.put(sess(b(1), 0, 20), b(0x21)); // same end as [5,20], earlier start
  caching.remove(sess(b(1), 5, 20));
  caching.put(sess(b(1), 15, 15), b(0x22));
  caching.put(sess(b(0x7f), 1, 10), b(0x7f));
  caching.put(sess(b(0x80), 0, 10), b(0x81)); // overrides
  a.deepEqual(rows(caching.findSessions(b(1), 0, 100)), ['01[0,10]=10', '01[15,15]=22', '01[0,20]=21']);
  a.deepEqual(rows(caching.findSessions(b(1), 11, 14)), ['01[0,20]=21']);
  a.deepEqual(rows(caching.findSessions(b(1), 16, 100)), ['01[0,20]=21']);
  a.deepEqual(caching.fetchSession(b(1), 0, 20), b(0x21));
  a.is(caching.fetchSession(b(1), 5, 20), undefined);
  a.deepEqual(caching.fetchSession(b(1), 0, 10), b(0x10));
  const all = ['01[0,10]=10', '7f[1,10]=7f', '80[0,10]=81', '01[15,15]=22', '01[0,20]=21'];
  a.deepEqual(rows(caching.findSessionsRange(undefined, undefined, 0, 100)), all);
  a.deepEqual(rows(caching.findSessionsRange(b(0x7f), b(0x80), 0, 100)), all.slice(1, 3));
  a.deepEqual(rows(caching.findSessionsRange(b(0x80), b(0x7f), 0, 100)), []);
  caching.flush();
  a.deepEqual(rows(inner.findSessionsRange(undefined, undefined, 0, 100)), all);
});

test('retention by session end: as Kafka, the cache still returns sessions the store below has expired; the store below drops them', (a) => {
  const { caching, inner, forwarded } = setup(1 << 20, 100);
  caching.put(sess(b(1), 990, 1000), b(1));
  caching.put(sess(b(2), 910, 950), b(2));
  a.is(caching.observedStreamTime(), 1000);
  a.is(inner.observedStreamTime(), -1);
  caching.put(sess(b(1), 890, 900), b(3)); // expired below (end <= 1000 - 100), but cached
  a.deepEqual(caching.fetchSession(b(1), 890, 900), b(3));
  caching.put(sess(b(3), 1050, 1050), b(4)); // [910,950] expires below
  a.deepEqual(caching.fetchSession(b(2), 910, 950), b(2));
  a.deepEqual(rows(caching.findSessionsRange(undefined, undefined, 0, 5000)), ['01[890,900]=03', '02[910,950]=02', '01[990,1000]=01', '03[1050,1050]=04']);
  a.deepEqual(rows(caching.findSessions(b(2), 0, 5000)), ['02[910,950]=02']);
  caching.flush();
  a.deepEqual(forwarded.map((f) => f[0]), ['01[990,1000]', '02[910,950]', '01[890,900]', '03[1050,1050]']);
  a.deepEqual(rows(inner.findSessionsRange(undefined, undefined, 0, 5000)), ['01[990,1000]=01', '03[1050,1050]=04']);
  a.is(inner.observedStreamTime(), 1050);
  // Flushed entries stay cached (clean): still read back, as Kafka's CachingSessionStore does.
  a.deepEqual(rows(caching.findSessions(b(2), 0, 5000)), ['02[910,950]=02']);
});

test('eviction writes the store\'s dirty sessions down, the evicted one first', (a) => {
  const entry = 1 + 1 + CACHE_ENTRY_OVERHEAD;
  const { caching, forwarded } = setup(2 * entry);
  caching.put(sess(b(1), 0, 1), b(1));
  caching.put(sess(b(2), 0, 1), b(2));
  caching.put(sess(b(3), 0, 1), b(3));
  a.deepEqual(forwarded.map((f) => f[0]), ['01[0,1]', '02[0,1]', '03[0,1]']);
  a.deepEqual(rows(caching.findSessionsRange(undefined, undefined, 0, 10)), ['01[0,1]=01', '02[0,1]=02', '03[0,1]=03']);
});

test('max bytes 0: write-through; restoreBatch drops cached sessions it restores; close flushes', (a) => {
  const s0 = setup(0);
  s0.caching.put(sess(b(1), 0, 5), b(1));
  s0.caching.remove(sess(b(1), 0, 5));
  s0.caching.remove(sess(b(1), 0, 5));
  a.deepEqual(s0.forwarded.map((f) => [f[0], f[1], f[2]]), [['01[0,5]', '01', null], ['01[0,5]', null, '01']]);
  const s = setup(1 << 20);
  s.caching.put(sess(b(1), 0, 5), b(1));
  s.caching.put(sess(b(2), 0, 5), b(2));
  s.caching.restoreBatch([{ key: sessionChangelogKey(b(1), 0, 5), value: b(9), timestamp: 0 }]);
  a.deepEqual(s.caching.fetchSession(b(1), 0, 5), b(9));
  s.caching.close();
  a.deepEqual(s.forwarded.map((f) => f[0]), ['02[0,5]']);
  a.false(s.cache.has('s'));
});

test('builder: typed session flush listener', (a) => {
  const seen: unknown[] = [];
  const store = buildSessionStore({
    inner: new InMemorySessionStore({ name: 'sessions', retentionPeriod: 1000 }),
    keySerde: stringSerde,
    valueSerde: longSerde,
    timestamp: () => 3,
    caching: { cache: new RecordCache(1 << 20), onFlush: (k, nv, ov, ts) => seen.push([k, nv, ov, ts]), sendOldValues: false },
  });
  store.put({ key: 'a', window: { start: 0, end: 3 } }, 1);
  store.flush();
  store.put({ key: 'a', window: { start: 0, end: 3 } }, 2);
  store.remove({ key: 'a', window: { start: 0, end: 3 } });
  store.put({ key: 'a', window: { start: 0, end: 4 } }, 3);
  store.flush();
  a.deepEqual(seen, [
    [{ key: 'a', window: { start: 0, end: 3 } }, 1, null, 3],
    [{ key: 'a', window: { start: 0, end: 3 } }, null, null, 3], // a removal: forwarded (old value not sent)
    [{ key: 'a', window: { start: 0, end: 4 } }, 3, null, 3],
  ]);
});

for (const maxBytes of [0, 400, 4000, 1 << 20]) {
  test(`randomised session merging against an uncached store (cache ${maxBytes} bytes)`, (a) => {
    const plain: SessionBytesStore = new InMemorySessionStore({ name: 'p', retentionPeriod: 80, segmentInterval: 9 });
    const cache = new RecordCache(maxBytes);
    const cached = new CachingSessionStore(new InMemorySessionStore({ name: 'c', retentionPeriod: 80, segmentInterval: 9 }), cache, { listener: () => {} });
    const r = rng(maxBytes + 11);
    let time = 0;
    for (let step = 0; step < 3000; step++) {
      time += Math.floor(r() * 4);
      const t = Math.max(0, time - Math.floor(r() * 30));
      const k = b(Math.floor(r() * 5) * 0x33);
      const gap = 6;
      // the session-window aggregation: merge every session within the gap
      const found = Array.from(cached.findSessions(k, t - gap, t + gap));
      a.deepEqual(rows(found), rows(plain.findSessions(k, t - gap, t + gap)));
      let start = t, end = t;
      for (const f of found) {
        start = Math.min(start, f.key.start);
        end = Math.max(end, f.key.end);
      }
      if (start !== t || end !== t) {
        for (const f of found) {
          cached.remove(f.key);
          plain.remove(f.key);
        }
      }
      cached.put(sess(k, start, end), b(step & 0xff));
      plain.put(sess(k, start, end), b(step & 0xff));
      if (r() < 0.1) a.deepEqual(rows(cached.findSessionsRange(undefined, undefined, t - 50, t + 50)), rows(plain.findSessionsRange(undefined, undefined, t - 50, t + 50)));
      if (r() < 0.05) cached.flush();
      a.is(cached.observedStreamTime(), plain.observedStreamTime());
    }
    cached.flush();
    a.deepEqual(rows((cached.inner as SessionBytesStore).findSessionsRange(undefined, undefined, 0, 1e9)), rows(plain.findSessionsRange(undefined, undefined, 0, 1e9)));
  });
}
