import type { ExecutionContext, TestFn } from 'ava';
import type { KeyValue, SessionBytesStore, WindowedBytes } from '../../src/index.ts';
import type { SessionParams, StackFactory } from './factories.ts';
import { b, hex } from './helpers.ts';

const rows = (it: Iterable<KeyValue<WindowedBytes, Uint8Array>>): string[] => Array.from(it, (kv) => `${hex(kv.key.key)}[${kv.key.start},${kv.key.end}]=${hex(kv.value)}`);
const sess = (key: Uint8Array, start: number, end: number): WindowedBytes => ({ key, start, end });

/** The session bytes store contract. */
export function sessionContract(test: TestFn, label: string, stacks: (p: SessionParams) => StackFactory<SessionBytesStore>): void {
  const t = (title: string, fn: (a: ExecutionContext) => void | Promise<void>) => test(`session[${label}] ${title}`, fn);
  const P: SessionParams = { retentionPeriod: 1000 };

  t('findSessions: end >= earliestSessionEndTime and start <= latestSessionStartTime (touching counts)', async (a) => {
    const { store } = await stacks(P).make(a);
    const k = b(0x61);
    store.put(sess(k, 0, 10), b(1));
    store.put(sess(k, 20, 30), b(2));
    store.put(sess(k, 40, 50), b(3));
    store.put(sess(b(0x62), 15, 25), b(9));
    a.deepEqual(rows(store.findSessions(k, 10, 20)), ['61[0,10]=01', '61[20,30]=02']);
    a.deepEqual(rows(store.findSessions(k, 11, 19)), []);
    a.deepEqual(rows(store.findSessions(k, 0, 100)), ['61[0,10]=01', '61[20,30]=02', '61[40,50]=03']);
    a.deepEqual(rows(store.findSessions(k, 30, 40)), ['61[20,30]=02', '61[40,50]=03']);
    a.deepEqual(rows(store.findSessions(k, 51, 100)), []);
    a.deepEqual(rows(store.findSessions(k, 5, 5)), ['61[0,10]=01']);
    a.deepEqual(rows(store.findSessions(b(0x63), 0, 100)), []);
  });

  t('findSessions order: by end, then start', async (a) => {
    const { store } = await stacks(P).make(a);
    const k = b(1);
    store.put(sess(k, 5, 20), b(3));
    store.put(sess(k, 0, 20), b(2));
    store.put(sess(k, 0, 10), b(1));
    store.put(sess(k, 15, 15), b(4));
    a.deepEqual(rows(store.findSessions(k, 0, 100)), ['01[0,10]=01', '01[15,15]=04', '01[0,20]=02', '01[5,20]=03']);
  });

  t('merge scenario: put, remove, re-put a larger session', async (a) => {
    const { store } = await stacks(P).make(a);
    const k = b(0x6b);
    store.put(sess(k, 0, 10), b(1));
    const gap = 5, ts = 14;
    const overlapping = rows(store.findSessions(k, ts - gap, ts + gap));
    a.deepEqual(overlapping, ['6b[0,10]=01']);
    store.remove(sess(k, 0, 10));
    store.put(sess(k, 0, 14), b(2));
    a.deepEqual(rows(store.findSessions(k, 0, 100)), ['6b[0,14]=02']);
    a.is(store.fetchSession(k, 0, 10), undefined);
    a.deepEqual(store.fetchSession(k, 0, 14), b(2));
    store.put(sess(k, 0, 14), null);
    a.deepEqual(rows(store.findSessions(k, 0, 100)), []);
    store.remove(sess(k, 99, 100)); // removing what is not there is a no-op
  });

  t('findSessionsRange: key bounds inclusive, ordered by end, key bytes, start', async (a) => {
    const { store } = await stacks(P).make(a);
    store.put(sess(b(0x80), 0, 10), b(1));
    store.put(sess(b(0x7f), 0, 10), b(2));
    store.put(sess(b(0x7f), 12, 20), b(3));
    store.put(sess(b(0xff), 5, 10), b(4));
    store.put(sess(b(0x01), 1, 30), b(5));
    a.deepEqual(rows(store.findSessionsRange(undefined, undefined, 0, 100)), ['7f[0,10]=02', '80[0,10]=01', 'ff[5,10]=04', '7f[12,20]=03', '01[1,30]=05']);
    a.deepEqual(rows(store.findSessionsRange(b(0x7f), b(0x80), 0, 100)), ['7f[0,10]=02', '80[0,10]=01', '7f[12,20]=03']);
    a.deepEqual(rows(store.findSessionsRange(b(0x80), undefined, 11, 100)), []);
    a.deepEqual(rows(store.findSessionsRange(undefined, b(0x7f), 11, 11)), ['01[1,30]=05']);
    a.deepEqual(rows(store.findSessionsRange(b(0x80), b(0x7f), 0, 100)), []);
  });

  t('retention by session end: end exactly at observedStreamTime - retention is expired', async (a) => {
    const { store, cache } = await stacks(P).make(a);
    // A caching layer returns what its cache holds whatever its age, as Kafka's CachingSessionStore (see
    // caching-session-store.test.ts): retention is the store's below, seen here once the cache is emptied.
    const dropCache = () => {
      if (cache === undefined) return;
      const max = cache.maxBytes;
      cache.resize(0);
      cache.resize(max);
    };
    const k = b(1);
    a.is(store.observedStreamTime(), -1);
    store.put(sess(k, 1990, 2000), b(1));
    store.put(sess(k, 900, 1000), b(2)); // 1000 <= 2000 - 1000: dropped
    store.put(sess(k, 0, 1001), b(3)); // live
    a.is(store.observedStreamTime(), 2000);
    dropCache();
    a.is(store.fetchSession(k, 900, 1000), undefined);
    a.deepEqual(store.fetchSession(k, 0, 1001), b(3));
    a.deepEqual(rows(store.findSessions(k, 0, 5000)), ['01[0,1001]=03', '01[1990,2000]=01']);
    store.put(sess(b(2), 2001, 2001), b(4));
    dropCache();
    a.deepEqual(rows(store.findSessions(k, 0, 5000)), ['01[1990,2000]=01']);
    a.is(store.fetchSession(k, 0, 1001), undefined);
    for (let ts = 2100; ts < 20_000; ts += 100) store.put(sess(b(3), ts, ts), b(5));
    dropCache();
    a.deepEqual(rows(store.findSessionsRange(undefined, undefined, 0, 100_000)).length, 10);
  });

  t('findSessionsByEnd: every key, end in [earliest, latest] (inclusive), ordered by end, key bytes, start', async (a) => {
    const { store } = await stacks(P).make(a);
    store.put(sess(b(0x80), 0, 10), b(1));
    store.put(sess(b(0x7f), 0, 10), b(2));
    store.put(sess(b(0x7f), 12, 20), b(3));
    store.put(sess(b(0xff), 5, 10), b(4));
    store.put(sess(b(0x01), 1, 30), b(5));
    store.put(sess(b(0x7f), 3, 10), b(6));
    a.deepEqual(rows(store.findSessionsByEnd(0, 100)), ['7f[0,10]=02', '7f[3,10]=06', '80[0,10]=01', 'ff[5,10]=04', '7f[12,20]=03', '01[1,30]=05']);
    a.deepEqual(rows(store.findSessionsByEnd(10, 20)), ['7f[0,10]=02', '7f[3,10]=06', '80[0,10]=01', 'ff[5,10]=04', '7f[12,20]=03']);
    a.deepEqual(rows(store.findSessionsByEnd(11, 29)), ['7f[12,20]=03']); // by end: a session starting before 11 counts
    a.deepEqual(rows(store.findSessionsByEnd(31, 100)), []);
    a.deepEqual(rows(store.findSessionsByEnd(20, 10)), []);
  });

  t('time-ordered (Kafka\'s on-window-close session store): puts and findSessionsByEnd go by whole segments, other reads by session end', async (a) => {
    // retention 100; with either segment interval these stacks use (7, or the default 60 s) a session ending at
    // observedStreamTime - retention is expired, but its segment is still held
    const { store, cache } = await stacks({ retentionPeriod: 100, timeOrdered: true }).make(a);
    const dropCache = () => {
      if (cache === undefined) return;
      const max = cache.maxBytes;
      cache.resize(0);
      cache.resize(max);
    };
    store.put(sess(b(1), 198, 198), b(1)); // stream time 198
    store.put(sess(b(2), 90, 98), b(2)); // 98 <= 198 - 100: expired, yet put into its held segment
    store.put(sess(b(3), 99, 99), b(3));
    dropCache();
    a.deepEqual(rows(store.findSessionsByEnd(0, 1000)), ['02[90,98]=02', '03[99,99]=03', '01[198,198]=01']);
    a.deepEqual(rows(store.findSessions(b(2), 0, 1000)), []);
    a.deepEqual(rows(store.findSessionsRange(undefined, undefined, 0, 1000)), ['03[99,99]=03', '01[198,198]=01']);
    a.is(store.fetchSession(b(2), 90, 98), undefined);
    store.put(sess(b(4), 200_000, 200_000), b(4)); // far ahead: the old segments go
    store.put(sess(b(5), 199_899, 199_899), b(5)); // expired (<= 199 900), its segment held with either interval
    store.put(sess(b(6), 100_000, 100_000), b(6)); // its segment is gone with either interval: dropped
    dropCache();
    a.deepEqual(rows(store.findSessionsByEnd(0, 1e9)), ['05[199899,199899]=05', '04[200000,200000]=04']);
    a.deepEqual(rows(store.findSessionsRange(undefined, undefined, 0, 1e9)), ['04[200000,200000]=04']);
  });

  t('close sets isOpen false', async (a) => {
    const { store } = await stacks(P).make(a);
    store.close();
    a.false(store.isOpen());
  });

  if (stacks(P).logging) {
    t('changelog key is [key][8-byte end][8-byte start]; remove logs a tombstone', async (a) => {
      const { store, sink } = await stacks(P).make(a);
      store.put(sess(b(0x61), 0x0102, 0x0304), b(7));
      store.flush(); // a caching layer logs on flush (a put then remove within one flush logs only the removal)
      store.remove(sess(b(0x61), 0x0102, 0x0304));
      store.flush();
      a.deepEqual(sink!.records.map((r) => hex(r.key)), ['61' + '0000000000000304' + '0000000000000102', '61' + '0000000000000304' + '0000000000000102']);
      a.deepEqual(sink!.records.map((r) => (r.value === null ? null : hex(r.value))), ['07', null]);
      a.true(sink!.records.every((r) => r.timestamp === 42));
    });

    t('restoreBatch reproduces the state (merges, tombstones)', async (a) => {
      const { store, sink, fresh, cache } = await stacks(P).make(a);
      for (let i = 0; i < 200; i++) {
        const k = b(i % 5, 0xa0);
        const found = Array.from(store.findSessions(k, i * 10 - 15, i * 10 + 15));
        for (const f of found) store.remove(f.key);
        const start = found.length > 0 ? Math.min(...found.map((f) => f.key.start)) : i * 10;
        store.put(sess(k, start, i * 10), b(i & 0xff));
      }
      store.flush();
      const restored = await fresh();
      restored.restoreBatch!(sink!.records);
      // Compared once the original's cache is emptied: a cache still returns sessions its store expired (Kafka).
      if (cache !== undefined) {
        const max = cache.maxBytes;
        cache.resize(0);
        cache.resize(max);
      }
      a.deepEqual(rows(restored.findSessionsRange(undefined, undefined, 0, 1e9)), rows(store.findSessionsRange(undefined, undefined, 0, 1e9)));
      a.is(restored.observedStreamTime(), store.observedStreamTime());
    });
  }
}
