import type { Bytes } from '../api/bytes.ts';
import { KeyIndex } from './key-index.ts';
import { StreamsError } from '@ts-streams/dsl/errors';

/** Bytes charged per cache entry on top of its key and value (object, map slot, list links). */
export const CACHE_ENTRY_OVERHEAD = 64;

/** One entry handed to a named cache's flush handler: a dirty entry being written down. */
export interface DirtyEntry {
  readonly key: Bytes;
  /** null: the key was deleted. */
  readonly value: Bytes | null;
  /** Timestamp of the write that dirtied the entry (the runtime's record timestamp at put time). */
  readonly timestamp: number;
  /** The entry's cache key (window/session caching layers decode the window from it). */
  readonly ks: string;
  /** What the writer passed as `context` with the write that dirtied the entry (the runtime: the record's headers). */
  readonly context: unknown;
}

/** Receives a named cache's dirty entries, in the order they were last written, to write them down. */
export type DirtyEntryHandler = (entries: readonly DirtyEntry[]) => void;

interface Node {
  prev: Node | null;
  next: Node | null;
  dprev: Node | null;
  dnext: Node | null;
  dirty: boolean;
  /** Handed to a flush handler that has not returned yet: a put of its key replaces the node, never mutates it. */
  inFlight: boolean;
  context: unknown;
  readonly ks: string;
  key: Bytes;
  value: Bytes | null;
  timestamp: number;
  size: number;
  /** KeyIndex bookkeeping: the node's slot. */
  slot: number;
}

/**
 * A new node, as an object literal: V8 tracks the allocation site of literals and, seeing that almost every node
 * outlives several young-generation collections (a cached entry lives until evicted), allocates them in the old
 * generation directly instead of copying each one twice (pretenuring; class instances get no such tracking).
 */
function newNode(ks: string, key: Bytes, value: Bytes | null, timestamp: number, size: number, context: unknown): Node {
  return { prev: null, next: null, dprev: null, dnext: null, dirty: false, inFlight: false, context, ks, key, value, timestamp, size, slot: -1 };
}

/** A cached entry as get() returns it. value null: a cached delete. */
export interface CachedValue {
  readonly key: Bytes;
  readonly value: Bytes | null;
  readonly dirty: boolean;
}

/**
 * One store's part of a RecordCache (Kafka Streams' NamedCache): an LRU map from key (binary string, see
 * util/key-string.ts) to value, plus the list of dirty entries in the order they were last written.
 */
export class NamedCache {
  private readonly index = new KeyIndex<Node>();
  /** LRU list: head = least recently used. */
  private head: Node | null = null;
  private tail: Node | null = null;
  private dirtyHead: Node | null = null;
  private dirtyTail: Node | null = null;
  /** Length of the dirty list. */
  private dirtyN = 0;
  private bytes = 0;
  hits = 0;
  misses = 0;
  evictions = 0;
  flushes = 0;

  /** @internal use RecordCache.namedCache */
  constructor(
    readonly name: string,
    private readonly owner: RecordCache,
    public handler: DirtyEntryHandler | null,
  ) {}

  get size(): number {
    return this.index.size;
  }

  sizeBytes(): number {
    return this.bytes;
  }

  get dirtyCount(): number {
    return this.dirtyN;
  }

  /** The cached entry for `ks` (marking it most recently used), or undefined on a miss. */
  get(ks: string): CachedValue | undefined {
    const node = this.index.get(ks);
    if (node === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.touch(node);
    return node;
  }

  /** Reads without touching LRU order or stats. */
  peek(ks: string): CachedValue | undefined {
    return this.index.get(ks);
  }

  /**
   * Caches `value` for the key (null = a delete). A dirty put marks the entry for flushing; a clean put (a read
   * miss filled from below) must not replace a dirty entry. May evict (and so flush) to stay within budget.
   * `context` (opaque, e.g. the record's headers) is kept with the entry and handed back in its DirtyEntry.
   * Returns true when the key was not cached before (a new entry), false when its entry was updated.
   */
  put(ks: string, key: Bytes, value: Bytes | null, dirty: boolean, timestamp: number, context?: unknown): boolean {
    const size = key.length + (value === null ? 0 : value.length) + CACHE_ENTRY_OVERHEAD;
    // The get() of a read-modify-write looked this key up: the index remembers what it found.
    let node = this.index.get(ks);
    const added = node === undefined;
    if (node !== undefined && node.inFlight) {
      // The flush handler still reads this node as its DirtyEntry: the new value goes into a new node.
      this.drop(node);
      node = undefined;
    }
    if (node !== undefined) {
      if (!dirty && node.dirty) throw new Error(`Cache ${this.name}: a clean put would overwrite a dirty entry`);
      this.grow(size - node.size);
      // node.key stays: the same bytes (the same key string), and the caller's new key bytes can die young.
      node.value = value;
      node.timestamp = timestamp;
      node.context = context;
      node.size = size;
      this.touch(node);
    } else {
      node = newNode(ks, key, value, timestamp, size, context);
      this.index.insert(node);
      this.grow(size);
      // append as most recently used
      node.prev = this.tail;
      if (this.tail !== null) this.tail.next = node;
      else this.head = node;
      this.tail = node;
    }
    if (dirty) {
      if (node.dirty) this.unlinkDirty(node);
      node.dirty = true;
      this.dirtyN++;
      node.dprev = this.dirtyTail;
      if (this.dirtyTail !== null) this.dirtyTail.dnext = node;
      else this.dirtyHead = node;
      this.dirtyTail = node;
    }
    this.owner.maybeEvict(this);
    return added;
  }

  /** Drops the entry for `ks` (dirty or not) without flushing it. */
  delete(ks: string): void {
    const node = this.index.get(ks);
    if (node !== undefined) this.drop(node);
  }

  /** Entries (clean and dirty, including cached deletes) with from <= key <= to, ascending by key. */
  range(from: string | undefined, to: string | undefined): { ks: string; key: Bytes; value: Bytes | null }[] {
    const out: { ks: string; key: Bytes; value: Bytes | null }[] = [];
    this.index.forEach((n) => {
      const ks = n.ks;
      if ((from === undefined || ks >= from) && (to === undefined || ks <= to)) out.push({ ks, key: n.key, value: n.value });
    });
    out.sort((a, b) => (a.ks < b.ks ? -1 : a.ks > b.ks ? 1 : 0));
    return out;
  }

  /** Entries whose key starts with `prefix`, ascending by key. */
  prefix(prefix: string): { ks: string; key: Bytes; value: Bytes | null }[] {
    const out: { ks: string; key: Bytes; value: Bytes | null }[] = [];
    this.index.forEach((n) => {
      if (n.ks.startsWith(prefix)) out.push({ ks: n.ks, key: n.key, value: n.value });
    });
    out.sort((a, b) => (a.ks < b.ks ? -1 : a.ks > b.ks ? 1 : 0));
    return out;
  }

  /** Calls `fn` with every entry's key string and key (clean and dirty, cached deletes too), in no particular order. */
  forEachKey(fn: (ks: string, key: Bytes) => void): void {
    this.index.forEach((n) => fn(n.ks, n.key));
  }

  /** Hands every dirty entry to the handler (in last-write order), marks them clean, and drops cached deletes. */
  flush(): void {
    this.flushFrom(null);
  }

  /** Evicts the least recently used entry; a dirty one first flushes all dirty entries (it first), as Kafka does. */
  evictOne(): boolean {
    const eldest = this.head;
    if (eldest === null) return false;
    this.evictions++;
    this.drop(eldest, true);
    if (eldest.dirty) this.flushFrom(eldest);
    return true;
  }

  /** Drops everything without flushing. */
  clear(): void {
    this.owner.adjust(-this.bytes);
    this.bytes = 0;
    this.index.clear();
    this.head = this.tail = this.dirtyHead = this.dirtyTail = null;
    this.dirtyN = 0;
  }

  /**
   * Hands the dirty entries (the evicted one first) to the handler as they are — the nodes themselves, marked
   * in flight so that a put made while the handler runs replaces a node instead of changing what it reads.
   */
  private flushFrom(evicted: Node | null): void {
    if (this.dirtyHead === null && evicted === null) return;
    if (this.handler === null) throw new Error(`No flush handler registered for cache ${this.name}`);
    this.flushes++;
    const entries = new Array<Node>(this.dirtyN + (evicted === null ? 0 : 1));
    let e = 0;
    const deleted: Node[] = [];
    if (evicted !== null) {
      entries[e++] = evicted;
      evicted.dirty = false;
      evicted.inFlight = true;
    }
    for (let d = this.dirtyHead; d !== null; ) {
      const next = d.dnext;
      entries[e++] = d;
      d.dirty = false;
      d.inFlight = true;
      d.dprev = d.dnext = null;
      if (d.value === null) deleted.push(d);
      d = next;
    }
    this.dirtyHead = this.dirtyTail = null;
    this.dirtyN = 0;
    for (let i = 0; i < deleted.length; i++) {
      const n = deleted[i]!;
      if (this.index.holds(n)) this.drop(n);
    }
    try {
      this.handler(entries);
    } finally {
      for (let i = 0; i < entries.length; i++) entries[i]!.inFlight = false;
    }
  }

  private touch(node: Node): void {
    if (node === this.tail) return;
    // unlink
    if (node.prev !== null) node.prev.next = node.next;
    else this.head = node.next;
    node.next!.prev = node.prev;
    // append
    node.prev = this.tail;
    node.next = null;
    this.tail!.next = node;
    this.tail = node;
  }

  private drop(node: Node, keepDirtyFlag = false): void {
    this.index.remove(node);
    if (node.prev !== null) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next !== null) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = null;
    if (node.dirty) {
      this.unlinkDirty(node);
      if (!keepDirtyFlag) node.dirty = false;
    }
    this.grow(-node.size);
  }

  private unlinkDirty(node: Node): void {
    if (node.dprev !== null) node.dprev.dnext = node.dnext;
    else this.dirtyHead = node.dnext;
    if (node.dnext !== null) node.dnext.dprev = node.dprev;
    else this.dirtyTail = node.dprev;
    node.dprev = node.dnext = null;
    this.dirtyN--;
  }

  private grow(delta: number): void {
    this.bytes += delta;
    this.owner.adjust(delta);
  }
}

/**
 * A write-back record cache with one byte budget shared by named per-store caches (Kafka Streams' ThreadCache;
 * one per process/thread, sized by statestore.cache.max.bytes). When a put takes the total over budget, the
 * least recently used entries of the cache that was written are evicted (as Kafka does: never another store's,
 * whose flush would forward from the wrong processor); evicting a dirty entry flushes that cache's dirty entries.
 * With maxBytes 0 nothing is ever cached: the caching layers then write through and forward at once.
 */
export class RecordCache {
  private readonly caches = new Map<string, NamedCache>();
  private total = 0;
  private budget: number;

  constructor(maxBytes: number) {
    checkMaxBytes(maxBytes);
    this.budget = maxBytes;
  }

  get maxBytes(): number {
    return this.budget;
  }

  /** Bytes currently charged across all named caches. */
  sizeBytes(): number {
    return this.total;
  }

  /** The named cache `name`, created on first use. `handler` (if given) replaces the current one. */
  namedCache(name: string, handler?: DirtyEntryHandler): NamedCache {
    let c = this.caches.get(name);
    if (c === undefined) {
      c = new NamedCache(name, this, handler ?? null);
      this.caches.set(name, c);
    } else if (handler !== undefined) {
      c.handler = handler;
    }
    return c;
  }

  has(name: string): boolean {
    return this.caches.has(name);
  }

  /** Flushes one named cache, or all of them. */
  flush(name?: string): void {
    if (name !== undefined) this.caches.get(name)?.flush();
    else for (const c of this.caches.values()) c.flush();
  }

  /** Drops a named cache without flushing it (a store closes: it flushes first). */
  remove(name: string): void {
    const c = this.caches.get(name);
    if (c === undefined) return;
    c.clear();
    this.caches.delete(name);
  }

  /** Changes the budget, evicting round-robin across caches until within it. */
  resize(maxBytes: number): void {
    checkMaxBytes(maxBytes);
    this.budget = maxBytes;
    while (this.total > this.budget) {
      let evicted = false;
      for (const c of this.caches.values()) {
        if (this.total <= this.budget) break;
        evicted = c.evictOne() || evicted;
      }
      if (!evicted) break;
    }
  }

  /** @internal */
  adjust(delta: number): void {
    this.total += delta;
  }

  /** @internal */
  maybeEvict(cache: NamedCache): void {
    while (this.total > this.budget && cache.evictOne());
  }
}

/** The cache budget comes from configuration (statestore.cache.max.bytes, the driver's cacheMaxBytes). */
function checkMaxBytes(maxBytes: number): void {
  if (!(maxBytes >= 0)) {
    throw new StreamsError(`The record cache size must be a number of bytes >= 0, got ${maxBytes} (statestore.cache.max.bytes, or the test driver's cacheMaxBytes). Pass 0 to turn caching off.`);
  }
}
