// Throughput of RocksDbWindowStore (issue 3): a windowed count's access pattern, fetch(key, windowStart) then
// put(key, value, windowStart) per record, over 10k keys with 5-minute tumbling windows; flush() (a commit)
// every `--commit N` records. InMemoryWindowStore runs the same workload for reference.
//   node --conditions=@ts-streams/source --import tsx benchmarks/src/rocksdb-window-store.ts [--records 1000000] [--keys 10000] [--commit 10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WindowBytesStore } from '@ts-streams/state';
import { InMemoryWindowStore, RocksDbWindowStore } from '@ts-streams/state';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const RECORDS = arg('records', 1_000_000);
const KEYS = arg('keys', 10_000);
const COMMIT = arg('commit', 10_000);
const WINDOW = 5 * 60_000;
const RETENTION = WINDOW; // window size + grace 0
const MS_PER_RECORD = 1; // 1M records = 1,000 s of event time: 4 windows, segments dropped along the way

const keys = Array.from({ length: KEYS }, (_, i) => Buffer.from(`key-${String(i).padStart(9, '0')}`));
// a deterministic key sequence (xorshift)
const seq = new Uint32Array(RECORDS);
let x = 2463534242;
for (let i = 0; i < RECORDS; i++) {
  x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
  seq[i] = x % KEYS;
}

interface Result { store: string; phase: string; records: number; seconds: number; perSecond: number; cpuPerSecond: number }

function timed(store: string, phase: string, n: number, fn: () => void): Result {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  return { store, phase, records: n, seconds, perSecond: Math.round(n / seconds), cpuPerSecond: Math.round(n / cpu) };
}

/** fetch + put per record (a count per key and window), flush every COMMIT records. */
function countWorkload(store: WindowBytesStore): void {
  for (let i = 0; i < RECORDS; i++) {
    const ts = i * MS_PER_RECORD;
    const start = ts - (ts % WINDOW);
    const key = keys[seq[i]!]!;
    const old = store.fetch(key, start);
    const n = old === undefined ? 1 : (old[0]! | (old[1]! << 8) | (old[2]! << 16)) + 1;
    store.put(key, Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff), start);
    if (i % COMMIT === COMMIT - 1) store.flush();
  }
  store.flush();
}

/** put only (a new value per record), flush every COMMIT records. */
function putWorkload(store: WindowBytesStore): void {
  const v = new Uint8Array(8);
  for (let i = 0; i < RECORDS; i++) {
    const ts = i * MS_PER_RECORD;
    store.put(keys[seq[i]!]!, v, ts - (ts % WINDOW));
    if (i % COMMIT === COMMIT - 1) store.flush();
  }
  store.flush();
}

/** fetchRange(key, now - window, now) per record: a stream-stream join's lookup into the other side's store. */
function fetchRangeWorkload(store: WindowBytesStore, n: number): number {
  let rows = 0;
  const now = store.observedStreamTime();
  for (let i = 0; i < n; i++) for (const _ of store.fetchRange(keys[seq[i]!]!, now - WINDOW, now)) rows++;
  return rows;
}

const results: Result[] = [];
let checksum = 0;
for (const kind of ['in-memory', 'rocksdb'] as const) {
  const dir = mkdtempSync(join(tmpdir(), 'rocksdb-window-bench-'));
  try {
    const open = async (): Promise<WindowBytesStore> =>
      kind === 'in-memory'
        ? new InMemoryWindowStore({ name: 'w', retentionPeriod: RETENTION, windowSize: WINDOW })
        : RocksDbWindowStore.open({ name: 'w', dir: join(dir, 'count'), retentionPeriod: RETENTION, windowSize: WINDOW });
    let store = await open();
    results.push(timed(kind, 'fetch+put (count)', RECORDS, () => countWorkload(store)));
    // sanity: the counts of the last window add up to the records in it
    let total = 0;
    for (const kv of store.fetchAll(store.observedStreamTime() - (store.observedStreamTime() % WINDOW), store.observedStreamTime())) total += kv.value[0]! | (kv.value[1]! << 8) | (kv.value[2]! << 16);
    checksum += total;
    if (total !== ((RECORDS - 1) % WINDOW) + 1) throw new Error(`${kind}: last window counts ${total}`);
    const lookups = Math.min(RECORDS, 20_000);
    results.push(timed(kind, 'fetchRange (1 key, 5 min)', lookups, () => void fetchRangeWorkload(store, lookups)));
    store.close();
    await (store as { closed?: Promise<void> | null }).closed;
    store = kind === 'in-memory' ? await open() : await RocksDbWindowStore.open({ name: 'w', dir: join(dir, 'put'), retentionPeriod: RETENTION, windowSize: WINDOW });
    results.push(timed(kind, 'put', RECORDS, () => putWorkload(store)));
    store.close();
    await (store as { closed?: Promise<void> | null }).closed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`RocksDbWindowStore vs InMemoryWindowStore — ${RECORDS.toLocaleString('en')} records, ${KEYS.toLocaleString('en')} keys, 5-min windows, retention 5 min, flush every ${COMMIT.toLocaleString('en')}; node ${process.version}\n`);
console.log('| store | workload | records | seconds | records/s | records per CPU-s |');
console.log('|---|---|---:|---:|---:|---:|');
for (const r of results) console.log(`| ${r.store} | ${r.phase} | ${r.records.toLocaleString('en')} | ${r.seconds.toFixed(2)} | ${r.perSecond.toLocaleString('en')} | ${r.cpuPerSecond.toLocaleString('en')} |`);
void checksum;
