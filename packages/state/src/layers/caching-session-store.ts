import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { SessionBytesStore } from '../api/session-store.ts';
import type { WindowedBytes } from '../api/window-store.ts';
import type { DirtyEntry, RecordCache } from '../cache/record-cache.ts';
import { keyString } from '../util/key-string.ts';
import { parseSessionChangelogKey } from './changelog-keys.ts';
import { decodeTime, type IndexedKey } from './windowed-cache-support.ts';
import { CachingWindowedStore, type CachingWindowedStoreOptions } from './caching-windowed-store.ts';
import { StoreClosedError } from '../errors/store-closed-error.ts';

export type CachingSessionStoreOptions = CachingWindowedStoreOptions;

interface Row {
  readonly end: number;
  readonly start: number;
  readonly ks: string;
  readonly key: Bytes;
  readonly value: Bytes | null;
}

/**
 * Write-back caching layer for session stores (Kafka Streams' CachingSessionStore) over a shared RecordCache.
 *
 * put() caches the session as a dirty entry, remove() (and a null put) as a dirty delete; fetchSession() reads
 * the cache, then below. findSessions / findSessionsRange / findSessionsByEnd merge the cache's sessions with the
 * layer below in the store's order — (end, start) for one key; (end, key bytes, start) across keys — the cache winning on equal
 * sessions and a cached delete hiding the session. Dirty entries are written down on flush() or when evicted,
 * in last-write order: the old value is read below (when there is a listener and it is needed), the session put
 * (a delete: removed) below, then the listener gets (session, new, old, timestamp of the write, context of the
 * write) unless both are null. So a session merged away and re-created within one flush reaches downstream as a
 * single update (new, old) — Kafka's behaviour with caching — and a session created and merged away within one
 * flush never does. While an entry is written down, currentTimestamp() returns its write's timestamp.
 *
 * Retention (by session end) is the store's below, as in Kafka's CachingSessionStore: the cache returns what it
 * holds whatever its age, so a session the store below has already expired (end <= observed stream time -
 * retention) is still found while it is cached — and a record can merge it, as with Kafka's cache (the cached
 * conformance cases window-session-* check this against Kafka Streams). Writes are cached expired or not and
 * forwarded on flush as without a cache; written down, an expired session is dropped by the store. The layer
 * still tracks observed stream time itself (the largest session end put, cached or not).
 *
 * With a cache of max bytes 0 the layer writes through and calls the listener on each write.
 */
export class CachingSessionStore extends CachingWindowedStore<SessionBytesStore> implements SessionBytesStore {
  constructor(inner: SessionBytesStore, cache: RecordCache, options: CachingSessionStoreOptions = {}) {
    super(inner, cache, true, options);
  }

  put(session: WindowedBytes, value: Bytes | null): void {
    if (!this.open) throw new StoreClosedError(this.name);
    const end = session.end;
    if (end > this.maxTime) this.maxTime = end;
    this.cachePut(session, value);
  }

  remove(session: WindowedBytes): void {
    if (!this.open) throw new StoreClosedError(this.name);
    this.cachePut(session, null);
  }

  private cachePut(session: WindowedBytes, value: Bytes | null): void {
    if (this.cache.maxBytes === 0) {
      this.writeThrough(session, value);
      return;
    }
    const key = session.key;
    const ks = this.ks(key);
    // A session the cache held is indexed already (see CacheIndex): only a new entry is looked up in the index.
    if (this.named.put(this.index.cacheKey(ks, session.end, session.start), key, value, true, this.timestamp(), this.context()) && this.index.add(ks, key, session.end, session.start)) {
      this.index.maybeCompact(this.named);
    }
  }

  fetchSession(key: Bytes, sessionStart: number, sessionEnd: number): Bytes | undefined {
    if (!this.open) throw new StoreClosedError(this.name);
    if (this.named.size === 0) return this.inner.fetchSession(key, sessionStart, sessionEnd);
    const hit = this.named.get(this.index.cacheKey(this.ks(key), sessionEnd, sessionStart));
    if (hit !== undefined) return hit.value ?? undefined;
    return this.inner.fetchSession(key, sessionStart, sessionEnd);
  }

  findSessions(key: Bytes, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<WindowedBytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const minEnd = earliestSessionEndTime;
    const e = this.named.size === 0 ? undefined : this.index.keys.get(this.ks(key));
    if (e === undefined) return this.inner.findSessions(key, minEnd, latestSessionStartTime);
    const cached: Row[] = [];
    this.index.scan(this.named, e, minEnd, -Infinity, Infinity, (end, start, value) => {
      if (start <= latestSessionStartTime) cached.push({ end, start, ks: e.ks, key: e.key, value });
    });
    if (cached.length === 0) return this.inner.findSessions(key, minEnd, latestSessionStartTime);
    return merge(cached, this.inner.findSessions(key, minEnd, latestSessionStartTime), compareSingleKey);
  }

  findSessionsRange(keyFrom: Bytes | undefined, keyTo: Bytes | undefined, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<WindowedBytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const fs = keyFrom === undefined ? undefined : keyString(keyFrom);
    const ts = keyTo === undefined ? undefined : keyString(keyTo);
    if (fs !== undefined && ts !== undefined && fs > ts) return [];
    const minEnd = earliestSessionEndTime;
    const cached: Row[] = [];
    if (this.named.size > 0) {
      const keys: IndexedKey[] = [];
      for (const e of this.index.keys.values()) if ((fs === undefined || e.ks >= fs) && (ts === undefined || e.ks <= ts)) keys.push(e);
      for (const e of keys) {
        this.index.scan(this.named, e, minEnd, -Infinity, Infinity, (end, start, value) => {
          if (start <= latestSessionStartTime) cached.push({ end, start, ks: e.ks, key: e.key, value });
        });
      }
    }
    if (cached.length === 0) return this.inner.findSessionsRange(keyFrom, keyTo, minEnd, latestSessionStartTime);
    cached.sort(compareAcrossKeys);
    return merge(cached, this.inner.findSessionsRange(keyFrom, keyTo, minEnd, latestSessionStartTime), compareAcrossKeys);
  }

  findSessionsByEnd(earliestSessionEndTime: number, latestSessionEndTime: number): Iterable<KeyValue<WindowedBytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const cached: Row[] = [];
    if (this.named.size > 0) {
      for (const e of [...this.index.keys.values()]) {
        this.index.scan(this.named, e, earliestSessionEndTime, -Infinity, latestSessionEndTime, (end, start, value) => {
          cached.push({ end, start, ks: e.ks, key: e.key, value });
        });
      }
    }
    if (cached.length === 0) return this.inner.findSessionsByEnd(earliestSessionEndTime, latestSessionEndTime);
    cached.sort(compareAcrossKeys);
    return merge(cached, this.inner.findSessionsByEnd(earliestSessionEndTime, latestSessionEndTime), compareAcrossKeys);
  }

  protected cacheKeyOfChangelogKey(changelogKey: Bytes): string {
    const s = parseSessionChangelogKey(changelogKey);
    return this.index.cacheKey(keyString(s.key), s.end, s.start);
  }

  protected windowOf(e: DirtyEntry): WindowedBytes {
    const at = e.ks.length - 8;
    return { key: e.key, start: decodeTime(e.ks, at + 4), end: decodeTime(e.ks, at) };
  }

  protected fetchBelow(session: WindowedBytes): Bytes | null {
    return this.inner.fetchSession(session.key, session.start, session.end) ?? null;
  }

  protected writeBelow(session: WindowedBytes, value: Bytes | null): void {
    if (value === null) this.inner.remove(session);
    else this.inner.put(session, value);
  }
}

function compareSingleKey(a: { end: number; start: number }, b: { end: number; start: number }): number {
  return a.end !== b.end ? a.end - b.end : a.start - b.start;
}

function compareAcrossKeys(a: { end: number; start: number; ks: string }, b: { end: number; start: number; ks: string }): number {
  if (a.end !== b.end) return a.end - b.end;
  if (a.ks !== b.ks) return a.ks < b.ks ? -1 : 1;
  return a.start - b.start;
}

/** Merges cached rows into the rows below (both in `cmp` order): the cache wins on equal sessions, a cached delete hides it. */
function merge(cached: Row[], below: Iterable<KeyValue<WindowedBytes, Bytes>>, cmp: (a: Row, b: Row) => number): KeyValue<WindowedBytes, Bytes>[] {
  const out: KeyValue<WindowedBytes, Bytes>[] = [];
  let c = 0;
  let lastKey: Bytes | undefined;
  let lastKs = '';
  for (const kv of below) {
    const w = kv.key;
    if (w.key !== lastKey) {
      lastKey = w.key;
      lastKs = keyString(w.key);
    }
    const row: Row = { end: w.end, start: w.start, ks: lastKs, key: w.key, value: kv.value };
    let d = -1;
    while (c < cached.length && (d = cmp(cached[c]!, row)) < 0) push(out, cached[c++]!);
    if (c < cached.length && d === 0) push(out, cached[c++]!);
    else out.push(kv);
  }
  while (c < cached.length) push(out, cached[c++]!);
  return out;
}

function push(out: KeyValue<WindowedBytes, Bytes>[], r: Row): void {
  if (r.value !== null) out.push({ key: { key: r.key, start: r.start, end: r.end }, value: r.value });
}
