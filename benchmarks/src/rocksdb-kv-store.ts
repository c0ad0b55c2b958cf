// Throughput of RocksDbKeyValueStore (issue 3): 1M operations over a key space of --keys keys (16-byte keys,
// 100-byte values, uniform random keys), flush() (a commit) every --commit operations:
//   put              put per op
//   get              get per op (after the keys were loaded and flushed: every read goes to RocksDB)
//   get+put          read-modify-write per op (an aggregation's pattern)
//   cached get+put   the same through CachingKeyValueStore (10 MiB cache, a flush listener) → ChangeLogging →
//                    RocksDB; its write-down reads old values with one getMany (and, for comparison, get by get)
//   put+prefixScan   put, then a prefix scan of 1 key (a scan after each write: the buffer written down each time)
// Prints ops/s (wall) and ops per CPU-second, and the share of time spent in flush().
//   node --conditions=@ts-streams/source --import tsx benchmarks/src/rocksdb-kv-store.ts [--ops 1000000] [--keys 10000] [--commit 10000]
//        [--optimize point-lookup|default] [--compression 0|1] [--cache-size bytes] [--buffer bytes] [--only a,b]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { KeyValueBytesStore } from '@ts-streams/state';
import { RecordCache, RocksDbKeyValueStore } from '@ts-streams/state';
// The caching and change-logging layers are internals of @ts-streams/state (its store builders stack them, with a
// metered layer that serializes): this benchmark measures the bytes-level layers bare, so it takes them from the
// package's sources.
import { CachingKeyValueStore } from '../../packages/state/src/layers/caching-key-value-store.ts';
import { ChangeLoggingKeyValueStore } from '../../packages/state/src/layers/change-logging-key-value-store.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1]!;
};
const OPS = Number(arg('ops', '1000000'));
const KEYS = Number(arg('keys', '10000'));
const COMMIT = Number(arg('commit', '10000'));
const OPTIMIZE = arg('optimize', 'default') as 'point-lookup' | 'default';
const COMPRESSION = arg('compression', '0') === '1';
const CACHE_SIZE = Number(arg('cache-size', String(8 << 20)));
const BUFFER = Number(arg('buffer', String(4 << 20)));
const ONLY = arg('only', '').split(',').filter((x) => x !== '');

const key = (i: number): Buffer => Buffer.from(`key-${String(i).padStart(12, '0')}`);
const keys = Array.from({ length: KEYS }, (_, i) => key(i));
const seq = new Uint32Array(OPS);
let x = 2463534242;
for (let i = 0; i < OPS; i++) {
  x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
  seq[i] = x % KEYS;
}
const value = (i: number): Uint8Array => {
  const v = new Uint8Array(100);
  v[0] = i & 0xff; v[1] = (i >>> 8) & 0xff; v[2] = (i >>> 16) & 0xff;
  return v;
};
const values = Array.from({ length: 256 }, (_, i) => value(i * 7919));

interface Result { name: string; opsPerSec: number; opsPerCpuSec: number; flushShare: number; }
const results: Result[] = [];

async function withStore(fn: (store: RocksDbKeyValueStore) => void | Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-kv-'));
  const store = await RocksDbKeyValueStore.open({ name: 'bench', dir, optimize: OPTIMIZE, compression: COMPRESSION, cacheSize: CACHE_SIZE, maxBufferBytes: BUFFER });
  try {
    await fn(store);
  } finally {
    store.close();
    await store.closed;
    rmSync(dir, { recursive: true, force: true });
  }
}

function load(store: KeyValueBytesStore): void {
  for (let i = 0; i < KEYS; i++) {
    store.put(keys[i]!, values[i & 0xff]!);
    if (i % COMMIT === COMMIT - 1) store.flush();
  }
  store.flush();
}

function run(name: string, store: KeyValueBytesStore, op: (i: number) => void): void {
  if (ONLY.length > 0 && !ONLY.includes(name)) return;
  let flushMs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < OPS; i++) {
    op(i);
    if (i % COMMIT === COMMIT - 1) {
      const f0 = performance.now();
      store.flush();
      flushMs += performance.now() - f0;
    }
  }
  const f0 = performance.now();
  store.flush();
  flushMs += performance.now() - f0;
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  results.push({ name, opsPerSec: OPS / (ms / 1000), opsPerCpuSec: OPS / cpuSec, flushShare: flushMs / ms });
}

await withStore((store) => {
  run('put', store, (i) => store.put(keys[seq[i]!]!, values[i & 0xff]!));
});
await withStore((store) => {
  load(store);
  let found = 0;
  run('get', store, (i) => {
    if (store.get(keys[seq[i]!]!) !== undefined) found++;
  });
  if (found !== OPS && (ONLY.length === 0 || ONLY.includes('get'))) throw new Error(`found ${found} of ${OPS}`);
});
await withStore((store) => {
  load(store);
  run('get+put', store, (i) => {
    const k = keys[seq[i]!]!;
    const v = store.get(k);
    const n = v === undefined ? new Uint8Array(100) : v.slice();
    n[99] = (n[99]! + 1) & 0xff;
    store.put(k, n);
  });
});
for (const batchedReads of [true, false]) {
  await withStore((store) => {
    load(store);
    const sink = { send: () => {} };
    // without getMany below, the write-down reads each old value with its own get (as before getMany existed)
    const inner: KeyValueBytesStore = batchedReads ? store : Object.assign(Object.create(store) as KeyValueBytesStore, { getMany: undefined });
    const logged = new ChangeLoggingKeyValueStore(inner, sink, () => 0);
    const cached = new CachingKeyValueStore(logged, new RecordCache(10 << 20), { listener: () => {} });
    run(batchedReads ? 'cached get+put' : 'cached get+put, old values by get', cached, (i) => {
      const k = keys[seq[i]!]!;
      const v = cached.get(k);
      const n = v === undefined ? new Uint8Array(100) : v.slice();
      n[99] = (n[99]! + 1) & 0xff;
      cached.put(k, n);
    });
  });
}
await withStore((store) => {
  load(store);
  run('put+prefixScan', store, (i) => {
    const k = keys[seq[i]!]!;
    store.put(k, values[i & 0xff]!);
    for (const _ of store.prefixScan(k)) break;
  });
});

console.log(`RocksDbKeyValueStore, ${OPS.toLocaleString()} ops over ${KEYS.toLocaleString()} keys, flush every ${COMMIT.toLocaleString()}; optimize=${OPTIMIZE} compression=${COMPRESSION} cacheSize=${CACHE_SIZE} buffer=${BUFFER}`);
console.log('| workload | ops/s | ops per CPU-s | time in flush |');
console.log('|---|---|---|---|');
for (const r of results) console.log(`| ${r.name} | ${Math.round(r.opsPerSec).toLocaleString()} | ${Math.round(r.opsPerCpuSec).toLocaleString()} | ${(r.flushShare * 100).toFixed(1)}% |`);
