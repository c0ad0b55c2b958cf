/**
 * Issue 3: which Node RocksDB binding backs the persistent state stores.
 *
 * For each binding, in fresh temp dirs: 200,000 keys (16-byte keys `key-000000000123`, 100-byte values),
 * ops/s for
 *   (a) single put, awaited
 *   (b) batched put, 1,000 per batch (synchronous write where the binding has one)
 *   (c) single get (synchronous where the binding has one, else awaited), keys in random order
 *   (d) multi-get, 1,000 keys per call, keys in random order
 *   (e) range scan of all keys in order (records/s)
 *   (f) read-modify-write of a counter over 10,000 hot keys the way a state store does it: read through
 *       (sync get per record, or one batched get per 1,000 records), write back by batches of 1,000 records
 * Median of 3 runs each, after a warm-up run.
 *
 * Each binding runs in its own child process so that two RocksDB builds never share a process.
 *
 *   node --import tsx benchmarks/src/rocksdb-bindings.ts [--keys N] [--only name,name] [--no-write]
 *
 * prints a markdown table and writes benchmarks/results/rocksdb-bindings.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const THIS_FILE = fileURLToPath(import.meta.url);
const BENCH_DIR = resolve(dirname(THIS_FILE), '..');

// ---------------------------------------------------------------------------------------------------------
// Parameters

export interface Params {
  keys: number; // records loaded / read / scanned per run
  valueBytes: number;
  batchSize: number; // puts per batch and keys per multi-get
  hotKeys: number; // (f) key space
  rmwRecords: number; // (f) records per run
  runs: number;
  warmupOps: number;
}

export const DEFAULT_PARAMS: Params = {
  keys: 200_000,
  valueBytes: 100,
  batchSize: 1_000,
  hotKeys: 10_000,
  rmwRecords: 200_000,
  runs: 3,
  warmupOps: 20_000,
};

export type OpId = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'f-batched';

export const OPS: Record<OpId, string> = {
  a: '(a) put, awaited, 1 per call',
  b: '(b) batch put, 1,000 per batch',
  c: '(c) get, 1 key per call',
  d: '(d) multi-get, 1,000 keys per call',
  e: '(e) range scan, all keys in order',
  f: '(f) counter read-modify-write, 10k hot keys, get per record + batch write per 1,000',
  'f-batched': '(f) counter read-modify-write, 10k hot keys, one multi-get + one batch write per 1,000',
};

export interface Row {
  binding: string;
  version: string;
  rocksdb: string;
  op: OpId;
  description: string;
  /** how the call was made: 'sync' = no await on the native call, 'async' = awaited promise/callback */
  mode: 'sync' | 'async';
  unit: 'ops/s' | 'records/s';
  /** wall-clock rate, median of the runs */
  median: number;
  runs: number[];
  /** rate per second of CPU time used by the whole process (all threads): robust against other load */
  cpuMedian: number;
  cpuRuns: number[];
}

// ---------------------------------------------------------------------------------------------------------
// Binding adapters: the thinnest layer that a state store would put over each binding.

type Value = Buffer | undefined;

interface Adapter {
  readonly name: string;
  readonly version: string;
  readonly rocksdb: string;
  open(dir: string): Promise<void>;
  close(): Promise<void>;
  putAwait(key: Buffer, value: Buffer): Promise<void>;
  /** synchronous batch write if the binding has one */
  writeBatchSync?(keys: Buffer[], values: Buffer[], n: number): void;
  writeBatchAsync(keys: Buffer[], values: Buffer[], n: number): Promise<void>;
  getSync?(key: Buffer): Value;
  getAsync(key: Buffer): Promise<Value>;
  getManySync?(keys: Buffer[]): Value[];
  getManyAsync(keys: Buffer[]): Promise<Value[]>;
  /** scan [gte, lt) in key order; returns the number of records seen (and checks their order) */
  scan(gte: Buffer, lt: Buffer): Promise<number>;
  readonly scanMode: 'sync' | 'async';
}

/** the package's root dir (some packages do not export ./package.json) */
function pkgDir(pkg: string): string {
  for (let dir = dirname(require.resolve(pkg)); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (json.name === pkg) return dir;
    } catch {
      // no package.json here
    }
  }
  throw new Error(`cannot find the package dir of ${pkg}`);
}

function pkgVersion(pkg: string): string {
  const json = JSON.parse(readFileSync(join(pkgDir(pkg), 'package.json'), 'utf8')) as { version: string };
  return json.version;
}

function bundledRocksdbVersion(pkg: string): string {
  // rocksdb and @nxtedition/rocksdb ship RocksDB's source; rocksdb-native only its build.
  try {
    const h = readFileSync(
      join(pkgDir(pkg), 'deps/rocksdb/rocksdb/include/rocksdb/version.h'),
      'utf8',
    );
    const part = (p: string) => new RegExp(`#define ROCKSDB_${p} (\\d+)`).exec(h)?.[1];
    return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}`;
  } catch {
    const bin = readFileSync(
      join(pkgDir(pkg), `prebuilds/${process.platform}-${process.arch}/${pkg}.node`),
    );
    const m = /rocksdb_build_git_tag:v?([0-9.]+)/.exec(bin.toString('latin1'));
    return m ? m[1] : 'unknown';
  }
}

function cmp(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

// --- @nxtedition/rocksdb ----------------------------------------------------------------------------------

interface NxtBatch {
  _put(key: Buffer, value: Buffer, options: object): void;
  _writeSync(options: object): void;
  _clear(): void;
  write(): Promise<void>;
  close(): Promise<void>;
}
interface NxtIterator {
  _nextvSync(size: number, options: object): { rows: Buffer[]; finished: boolean };
  _closeSync(): void;
}
interface NxtDb {
  status: string;
  open(): Promise<void>;
  close(): Promise<void>;
  put(key: Buffer, value: Buffer): Promise<void>;
  get(key: Buffer): Promise<Buffer>;
  getMany(keys: Buffer[]): Promise<Value[]>;
  _getManySync(keys: Buffer[], options: object): Value[];
  batch(): NxtBatch;
  iterator(options: object): NxtIterator;
}

class NxtAdapter implements Adapter {
  readonly name = '@nxtedition/rocksdb';
  readonly version = pkgVersion('@nxtedition/rocksdb');
  readonly rocksdb = bundledRocksdbVersion('@nxtedition/rocksdb');
  readonly scanMode = 'sync' as const;
  private db!: NxtDb;
  private batch!: NxtBatch;
  private static readonly EMPTY = {};

  async open(dir: string): Promise<void> {
    const { RocksLevel } = require('@nxtedition/rocksdb') as {
      RocksLevel: new (location: string, options: object) => NxtDb;
    };
    this.db = new RocksLevel(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await this.db.open(); // the sync calls below segfault (not throw) on a db that is not open yet
    this.batch = this.db.batch(); // one reusable native WriteBatch
  }
  async close(): Promise<void> {
    await this.batch.close();
    await this.db.close();
  }
  putAwait(key: Buffer, value: Buffer): Promise<void> {
    return this.db.put(key, value);
  }
  writeBatchSync(keys: Buffer[], values: Buffer[], n: number): void {
    const b = this.batch;
    for (let i = 0; i < n; i++) b._put(keys[i], values[i], NxtAdapter.EMPTY);
    b._writeSync(NxtAdapter.EMPTY);
    b._clear();
  }
  async writeBatchAsync(keys: Buffer[], values: Buffer[], n: number): Promise<void> {
    this.writeBatchSync(keys, values, n);
  }
  getSync(key: Buffer): Value {
    return this.db._getManySync([key], NxtAdapter.EMPTY)[0];
  }
  async getAsync(key: Buffer): Promise<Value> {
    return (await this.db.getMany([key]))[0];
  }
  getManySync(keys: Buffer[]): Value[] {
    return this.db._getManySync(keys, NxtAdapter.EMPTY);
  }
  getManyAsync(keys: Buffer[]): Promise<Value[]> {
    return this.db.getMany(keys);
  }
  async scan(gte: Buffer, lt: Buffer): Promise<number> {
    const it = this.db.iterator({ gte, lt, keyEncoding: 'buffer', valueEncoding: 'buffer' });
    let n = 0;
    let prev: Buffer | undefined;
    try {
      for (;;) {
        const { rows, finished } = it._nextvSync(1000, NxtAdapter.EMPTY);
        for (let i = 0; i < rows.length; i += 2) {
          const k = rows[i];
          if (prev !== undefined && cmp(prev, k) >= 0) throw new Error('scan out of order');
          prev = k;
          n++;
        }
        if (finished) break;
      }
    } finally {
      it._closeSync();
    }
    return n;
  }
}

// --- rocksdb (Level, discontinued) ------------------------------------------------------------------------

type Cb<T = void> = (err: Error | null | undefined, value?: T) => void;
interface LevelChainedBatch {
  put(key: Buffer, value: Buffer): void;
  write(cb: Cb): void;
}
interface LevelIterator {
  next(cb: (err: Error | null | undefined, key?: Buffer, value?: Buffer) => void): void;
  end(cb: Cb): void;
}
interface LevelDb {
  open(options: object, cb: Cb): void;
  close(cb: Cb): void;
  put(key: Buffer, value: Buffer, cb: Cb): void;
  get(key: Buffer, cb: Cb<Buffer>): void;
  getMany(keys: Buffer[], cb: Cb<Value[]>): void;
  batch(): LevelChainedBatch;
  iterator(options: object): LevelIterator;
}

class LevelAdapter implements Adapter {
  readonly name = 'rocksdb';
  readonly version = pkgVersion('rocksdb');
  readonly rocksdb = bundledRocksdbVersion('rocksdb');
  readonly scanMode = 'async' as const;
  private db!: LevelDb;

  open(dir: string): Promise<void> {
    const factory = require('rocksdb') as (location: string) => LevelDb;
    this.db = factory(dir);
    return new Promise((res, rej) => this.db.open({ createIfMissing: true }, (e) => (e ? rej(e) : res())));
  }
  close(): Promise<void> {
    return new Promise((res, rej) => this.db.close((e) => (e ? rej(e) : res())));
  }
  putAwait(key: Buffer, value: Buffer): Promise<void> {
    return new Promise((res, rej) => this.db.put(key, value, (e) => (e ? rej(e) : res())));
  }
  writeBatchAsync(keys: Buffer[], values: Buffer[], n: number): Promise<void> {
    const b = this.db.batch();
    for (let i = 0; i < n; i++) b.put(keys[i], values[i]);
    return new Promise((res, rej) => b.write((e) => (e ? rej(e) : res())));
  }
  getAsync(key: Buffer): Promise<Value> {
    return new Promise((res, rej) =>
      this.db.get(key, (e, v) => {
        if (e) {
          if (/NotFound/i.test(e.message)) res(undefined);
          else rej(e);
        } else res(v);
      }),
    );
  }
  getManyAsync(keys: Buffer[]): Promise<Value[]> {
    return new Promise((res, rej) => this.db.getMany(keys, (e, v) => (e ? rej(e) : res(v as Value[]))));
  }
  scan(gte: Buffer, lt: Buffer): Promise<number> {
    const it = this.db.iterator({ gte, lt, keyAsBuffer: true, valueAsBuffer: true });
    let n = 0;
    let prev: Buffer | undefined;
    return new Promise((res, rej) => {
      const step = (err: Error | null | undefined, key?: Buffer): void => {
        if (err) return void it.end(() => rej(err));
        if (key === undefined) return void it.end((e) => (e ? rej(e) : res(n)));
        if (prev !== undefined && cmp(prev, key) >= 0) return void it.end(() => rej(new Error('scan out of order')));
        prev = key;
        n++;
        it.next(step);
      };
      it.next(step);
    });
  }
}

// --- rocksdb-native (Holepunch) ---------------------------------------------------------------------------

interface NativeReadBatch {
  get(key: Buffer): Promise<Buffer | null>;
  tryFlush(): void;
  flush(): Promise<void>;
  destroy(): void;
}
interface NativeWriteBatch {
  tryPut(key: Buffer, value: Buffer): void;
  flush(): Promise<void>;
  destroy(): void;
}
interface NativeDb {
  ready(): Promise<void>;
  close(): Promise<void>;
  put(key: Buffer, value: Buffer): Promise<void>;
  get(key: Buffer): Promise<Buffer | null>;
  read(opts?: object): NativeReadBatch;
  write(opts?: object): NativeWriteBatch;
  iterator(range: object, opts?: object): AsyncIterable<{ key: Buffer; value: Buffer }>;
}

class NativeAdapter implements Adapter {
  readonly name = 'rocksdb-native';
  readonly version = pkgVersion('rocksdb-native');
  readonly rocksdb = bundledRocksdbVersion('rocksdb-native');
  readonly scanMode = 'async' as const;
  private db!: NativeDb;
  private w!: NativeWriteBatch;

  async open(dir: string): Promise<void> {
    const RocksDB = require('rocksdb-native') as new (path: string, opts?: object) => NativeDb;
    this.db = new RocksDB(dir);
    await this.db.ready();
    this.w = this.db.write({ capacity: 1024 }); // reusable once its flush settled
  }
  async close(): Promise<void> {
    this.w.destroy();
    await this.db.close();
  }
  putAwait(key: Buffer, value: Buffer): Promise<void> {
    return this.db.put(key, value);
  }
  writeBatchAsync(keys: Buffer[], values: Buffer[], n: number): Promise<void> {
    for (let i = 0; i < n; i++) this.w.tryPut(keys[i], values[i]);
    return this.w.flush();
  }
  async getAsync(key: Buffer): Promise<Value> {
    return (await this.db.get(key)) ?? undefined;
  }
  async getManyAsync(keys: Buffer[]): Promise<Value[]> {
    const r = this.db.read({ capacity: keys.length, autoDestroy: true });
    const ps = keys.map((k) => r.get(k));
    r.tryFlush();
    const vs = await Promise.all(ps);
    return vs.map((v) => v ?? undefined);
  }
  async scan(gte: Buffer, lt: Buffer): Promise<number> {
    let n = 0;
    let prev: Buffer | undefined;
    for await (const { key } of this.db.iterator({ gte, lt }, { capacity: 1000 })) {
      if (prev !== undefined && cmp(prev, key) >= 0) throw new Error('scan out of order');
      prev = key;
      n++;
    }
    return n;
  }
}

const ADAPTERS: Record<string, () => Adapter> = {
  '@nxtedition/rocksdb': () => new NxtAdapter(),
  rocksdb: () => new LevelAdapter(),
  'rocksdb-native': () => new NativeAdapter(),
};
export const BINDINGS = Object.keys(ADAPTERS);

// ---------------------------------------------------------------------------------------------------------
// Data

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const key16 = (prefix: string, i: number) => Buffer.from(prefix + String(i).padStart(16 - prefix.length, '0'));

interface Data {
  keys: Buffer[]; // key-000000000000 ..
  values: Buffer[];
  shuffled: Buffer[]; // the same keys in random order, for reads
  hot: Buffer[]; // ctr-000000000000 .. (sort before key-*)
  hotSeq: Uint32Array; // (f) which hot key each record updates
}

function makeData(p: Params): Data {
  const rnd = mulberry32(42);
  const keys: Buffer[] = [];
  const values: Buffer[] = [];
  for (let i = 0; i < p.keys; i++) {
    keys.push(key16('key-', i));
    const v = Buffer.allocUnsafe(p.valueBytes);
    for (let j = 0; j < p.valueBytes; j++) v[j] = (rnd() * 256) | 0; // incompressible
    values.push(v);
  }
  const shuffled = keys.slice();
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = (rnd() * (i + 1)) | 0;
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const hot: Buffer[] = [];
  for (let i = 0; i < p.hotKeys; i++) hot.push(key16('ctr-', i));
  const hotSeq = new Uint32Array(p.rmwRecords);
  for (let i = 0; i < hotSeq.length; i++) hotSeq[i] = (rnd() * p.hotKeys) | 0;
  return { keys, values, shuffled, hot, hotSeq };
}

// ---------------------------------------------------------------------------------------------------------
// Measurements (each returns the number of ops/records done)

async function putAwaited(db: Adapter, d: Data, n: number): Promise<number> {
  for (let i = 0; i < n; i++) await db.putAwait(d.keys[i], d.values[i]);
  return n;
}

async function batchPut(db: Adapter, d: Data, n: number, size: number): Promise<number> {
  for (let i = 0; i < n; i += size) {
    const m = Math.min(size, n - i);
    const ks = d.keys.slice(i, i + m);
    const vs = d.values.slice(i, i + m);
    if (db.writeBatchSync) db.writeBatchSync(ks, vs, m);
    else await db.writeBatchAsync(ks, vs, m);
  }
  return n;
}

async function singleGet(db: Adapter, d: Data, n: number): Promise<number> {
  let found = 0;
  if (db.getSync) {
    for (let i = 0; i < n; i++) if (db.getSync(d.shuffled[i % d.shuffled.length]) !== undefined) found++;
  } else {
    for (let i = 0; i < n; i++) if ((await db.getAsync(d.shuffled[i % d.shuffled.length])) !== undefined) found++;
  }
  if (found !== n) throw new Error(`${db.name}: get found ${found} of ${n}`);
  return n;
}

async function multiGet(db: Adapter, d: Data, n: number, size: number): Promise<number> {
  let found = 0;
  for (let i = 0; i < n; i += size) {
    const ks = d.shuffled.slice(i % d.shuffled.length, (i % d.shuffled.length) + Math.min(size, n - i));
    const vs = db.getManySync ? db.getManySync(ks) : await db.getManyAsync(ks);
    for (const v of vs) if (v !== undefined) found++;
  }
  if (found !== n) throw new Error(`${db.name}: multi-get found ${found} of ${n}`);
  return n;
}

async function rangeScan(db: Adapter): Promise<number> {
  return db.scan(Buffer.from('key-'), Buffer.from('key.'));
}

const decodeCount = (v: Value) => (v === undefined ? 0 : v.readUInt32LE(0));
function encodeCount(c: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeUInt32LE(c, 0);
  b.writeUInt32LE(0, 4);
  return b;
}

/**
 * (f) The write buffer of a store: records update counters; a key updated since the last flush is read from
 * the buffer, any other through to the db; every `size` records the buffer goes out as one batch.
 */
async function rmwPerRecordGet(db: Adapter, d: Data, n: number, size: number): Promise<number> {
  const buf = new Map<number, number>();
  const flush = async () => {
    const ks: Buffer[] = [];
    const vs: Buffer[] = [];
    for (const [idx, c] of buf) {
      ks.push(d.hot[idx]);
      vs.push(encodeCount(c));
    }
    if (db.writeBatchSync) db.writeBatchSync(ks, vs, ks.length);
    else await db.writeBatchAsync(ks, vs, ks.length);
    buf.clear();
  };
  for (let i = 0; i < n; i++) {
    const idx = d.hotSeq[i % d.hotSeq.length];
    let c = buf.get(idx);
    if (c === undefined) c = decodeCount(db.getSync ? db.getSync(d.hot[idx]) : await db.getAsync(d.hot[idx]));
    buf.set(idx, c + 1);
    if ((i + 1) % size === 0) await flush();
  }
  if (buf.size > 0) await flush();
  return n;
}

/** (f) batched: per `size` records, one multi-get of the distinct keys, apply, one batch write. */
async function rmwBatched(db: Adapter, d: Data, n: number, size: number): Promise<number> {
  const buf = new Map<number, number>();
  for (let i = 0; i < n; i += size) {
    const m = Math.min(size, n - i);
    const want: number[] = [];
    for (let j = 0; j < m; j++) {
      const idx = d.hotSeq[(i + j) % d.hotSeq.length];
      if (!buf.has(idx)) {
        buf.set(idx, -1);
        want.push(idx);
      }
    }
    const ks = want.map((idx) => d.hot[idx]);
    const vs = db.getManySync ? db.getManySync(ks) : await db.getManyAsync(ks);
    for (let j = 0; j < want.length; j++) buf.set(want[j], decodeCount(vs[j]));
    for (let j = 0; j < m; j++) {
      const idx = d.hotSeq[(i + j) % d.hotSeq.length];
      buf.set(idx, (buf.get(idx) as number) + 1);
    }
    const wk: Buffer[] = [];
    const wv: Buffer[] = [];
    for (const [idx, c] of buf) {
      wk.push(d.hot[idx]);
      wv.push(encodeCount(c));
    }
    if (db.writeBatchSync) db.writeBatchSync(wk, wv, wk.length);
    else await db.writeBatchAsync(wk, wv, wk.length);
    buf.clear();
  }
  return n;
}

async function counterTotal(db: Adapter, d: Data): Promise<number> {
  const vs = db.getManySync ? db.getManySync(d.hot) : await db.getManyAsync(d.hot);
  return vs.reduce((s: number, v) => s + decodeCount(v), 0);
}

// ---------------------------------------------------------------------------------------------------------
// Driver for one binding (runs inside its child process)

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const log = (msg: string) => process.stderr.write(`${msg}\n`);

interface Rate {
  wall: number;
  cpu: number;
}

async function timed(f: () => Promise<number>): Promise<Rate> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const n = await f();
  const secs = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall: Math.round(n / secs), cpu: Math.round(n / ((c.user + c.system) / 1e6)) };
}

export async function runBinding(name: string, params: Params = DEFAULT_PARAMS): Promise<Row[]> {
  const p: Params = { ...params, warmupOps: Math.min(params.warmupOps, params.keys, params.rmwRecords) };
  const make = ADAPTERS[name];
  if (!make) throw new Error(`unknown binding ${name}; known: ${BINDINGS.join(', ')}`);
  const meta = make();
  const d = makeData(p);
  const root = mkdtempSync(join(tmpdir(), `rocksdb-bench-${name.replace(/\W/g, '_')}-`));
  const rows: Row[] = [];
  let dirN = 0;
  const freshDir = () => join(root, `db${dirN++}`);

  const record = (op: OpId, mode: 'sync' | 'async', unit: Row['unit'], rates: Rate[]) => {
    const runs = rates.map((r) => r.wall);
    const cpuRuns = rates.map((r) => r.cpu);
    const row: Row = {
      binding: meta.name,
      version: meta.version,
      rocksdb: meta.rocksdb,
      op,
      description: OPS[op],
      mode,
      unit,
      median: median(runs),
      runs,
      cpuMedian: median(cpuRuns),
      cpuRuns,
    };
    log(
      `  ${name} ${op} ${mode}: median ${fmt(row.median)} ${unit} (runs ${runs.join(', ')}); ` +
        `per CPU-second ${fmt(row.cpuMedian)} (runs ${cpuRuns.join(', ')}); load ${loadavg()[0].toFixed(2)}`,
    );
    rows.push(row);
  };

  /** write measurements: warm-up and each run in a fresh empty db */
  const writeBench = async (op: OpId, mode: 'sync' | 'async', f: (db: Adapter, n: number) => Promise<number>) => {
    const runs: Rate[] = [];
    for (let r = -1; r < p.runs; r++) {
      const db = make();
      const dir = freshDir();
      await db.open(dir);
      const rate = await timed(() => f(db, r < 0 ? p.warmupOps : p.keys));
      await db.close();
      rmSync(dir, { recursive: true, force: true });
      if (r >= 0) runs.push(rate);
    }
    record(op, mode, 'ops/s', runs);
  };

  try {
    await writeBench('a', 'async', (db, n) => putAwaited(db, d, n));
    await writeBench('b', meta.writeBatchSync ? 'sync' : 'async', (db, n) => batchPut(db, d, n, p.batchSize));

    // the read db: all keys loaded by batches, then closed and reopened (memtable flushed to SST on reopen)
    const dir = freshDir();
    let db = make();
    await db.open(dir);
    await batchPut(db, d, p.keys, p.batchSize);
    await db.close();
    db = make();
    await db.open(dir);

    const readBench = async (
      op: OpId,
      mode: 'sync' | 'async',
      unit: Row['unit'],
      f: (n: number) => Promise<number>,
      warm: number,
      n: number,
    ) => {
      await f(warm);
      const runs: Rate[] = [];
      for (let r = 0; r < p.runs; r++) runs.push(await timed(() => f(n)));
      record(op, mode, unit, runs);
    };

    await readBench('c', db.getSync ? 'sync' : 'async', 'ops/s', (n) => singleGet(db, d, n), p.warmupOps, p.keys);
    await readBench('d', db.getManySync ? 'sync' : 'async', 'ops/s', (n) => multiGet(db, d, n, p.batchSize), p.warmupOps, p.keys);
    await readBench(
      'e',
      db.scanMode,
      'records/s',
      async () => {
        const n = await rangeScan(db);
        if (n !== p.keys) throw new Error(`${name}: scan saw ${n} of ${p.keys}`);
        return n;
      },
      0,
      0,
    );

    let counted = 0;
    const rmw = (f: typeof rmwBatched) => async (n: number) => {
      const done = await f(db, d, n, p.batchSize);
      counted += done;
      return done;
    };
    const perRecordMode = db.getSync && db.writeBatchSync ? 'sync' : 'async';
    await readBench('f', perRecordMode, 'records/s', rmw(rmwPerRecordGet), p.warmupOps, p.rmwRecords);
    const batchedMode = db.getManySync && db.writeBatchSync ? 'sync' : 'async';
    await readBench('f-batched', batchedMode, 'records/s', rmw(rmwBatched), p.warmupOps, p.rmwRecords);
    const total = await counterTotal(db, d);
    if (total !== counted) throw new Error(`${name}: counters sum to ${total}, expected ${counted}`);
    log(`  ${name}: counters verified (${total.toLocaleString('en-US')} increments)`);
    await db.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// Parent: one child process per binding

function runChild(name: string, p: Params): Promise<Row[]> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [...process.execArgv, THIS_FILE, '--child', name, '--params', JSON.stringify(p)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => (out += s));
    child.on('error', rej);
    child.on('close', (code, signal) => {
      if (code !== 0) return rej(new Error(`${name}: child exited with ${code ?? signal}`));
      const line = out.split('\n').find((l) => l.startsWith('ROWS '));
      if (!line) return rej(new Error(`${name}: child printed no rows`));
      res(JSON.parse(line.slice(5)) as Row[]);
    });
  });
}

export interface RunOptions {
  bindings?: string[];
  params?: Partial<Params>;
  /** write the markdown table to stdout and the JSON file (default true from the CLI) */
  write?: boolean;
}

export async function run(options: RunOptions = {}): Promise<Row[]> {
  const p: Params = { ...DEFAULT_PARAMS, ...options.params };
  const rows: Row[] = [];
  for (const name of options.bindings ?? BINDINGS) {
    log(`rocksdb-bindings: ${name} ...`);
    rows.push(...(await runChild(name, p)));
  }
  if (options.write ?? true) {
    process.stdout.write(`${markdownTable(rows)}\n`);
    const file = join(BENCH_DIR, 'results', 'rocksdb-bindings.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          benchmark: 'rocksdb-bindings',
          date: new Date().toISOString(),
          machine: { nproc: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}` },
          params: p,
          loadavg1mAtEnd: loadavg()[0],
          rows,
        },
        null,
        2,
      )}\n`,
    );
    log(`wrote ${file}`);
  }
  return rows;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function markdownTable(rows: Row[]): string {
  const bindings = [...new Set(rows.map((r) => r.binding))];
  const head = bindings.map((b) => {
    const r = rows.find((x) => x.binding === b) as Row;
    return `${b} ${r.version} (RocksDB ${r.rocksdb})`;
  });
  const lines = [
    'Cells: median wall-clock rate / rate per CPU-second of the process (sync = no await on the native call).',
    '',
    `| operation | unit | ${head.join(' | ')} |`, `|---|---|${bindings.map(() => '---:').join('|')}|`];
  for (const op of Object.keys(OPS) as OpId[]) {
    const cells = bindings.map((b) => {
      const r = rows.find((x) => x.binding === b && x.op === op);
      return r ? `${fmt(r.median)} / ${fmt(r.cpuMedian)} (${r.mode})` : '–';
    });
    const unit = rows.find((x) => x.op === op)?.unit ?? '';
    lines.push(`| ${OPS[op]} | ${unit} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// CLI

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === THIS_FILE) {
  const child = arg('--child');
  if (child) {
    const p = { ...DEFAULT_PARAMS, ...(JSON.parse(arg('--params') ?? '{}') as Partial<Params>) };
    runBinding(child, p).then(
      (rows) => process.stdout.write(`ROWS ${JSON.stringify(rows)}\n`),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  } else {
    const keys = arg('--keys');
    const only = arg('--only');
    run({
      bindings: only ? only.split(',') : undefined,
      params: keys ? { keys: Number(keys), rmwRecords: Number(keys) } : {},
      write: !process.argv.includes('--no-write'),
    }).catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  }
}
