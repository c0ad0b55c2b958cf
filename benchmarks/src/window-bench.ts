import { TopologyTestDriver } from '@ts-streams/runtime/testing';
import { workload, type WorkloadId } from './kafka-workloads.ts';

/**
 * The Kafka suite's window-store workloads (W4, W6H, W8) on the TopologyTestDriver with their RocksDB stores, cached
 * and logged as in a run, without Kafka: the store paths alone, cheap enough to profile on a loaded machine.
 *
 *   npm run bench -- windows [W4 W6H W8] [--records N]   (default all three, 300,000 records each)
 *
 * Input as the suite's uniform shape: integer-string keys over 10,000 keys, 100-byte values, timestamps 1 ms apart
 * (W8's second stream half as many, 2 ms apart), piped 1,000 per call, committed every 200,000 records. CPU seconds
 * per million input records is the figure to compare (the machine is shared; wall time varies with its load).
 */
const topics = { input: 'bench-in', input2: 'bench-in2', output: 'bench-out' };
const KEYS = 10_000;
const PIPE = 1000;
const COMMIT_EVERY = 200_000;

function rng(seed: number) {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

export async function runWindowWorkload(id: WorkloadId, n: number): Promise<{ secs: number; cpuSecs: number; inputs: number; outputs: number }> {
  const w = workload(id);
  const d = await TopologyTestDriver.create(w.topology!(topics, { peeked: 0, matched: 0 }), { cacheMaxBytes: 10 * 1024 * 1024, commit: 'manual', captureChangelogs: false });
  const enc = new TextEncoder();
  const keyBytes = Array.from({ length: KEYS }, (_, i) => enc.encode(String(i)));
  const value = new Uint8Array(100).fill(7);
  const left = rng(1), right = rng(2);
  const two = w.input2 === 'stream';
  let outputs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let sinceCommit = 0;
  for (let i = 0; i < n; i += PIPE) {
    const m = Math.min(PIPE, n - i);
    const batch = new Array<{ key: Uint8Array; value: Uint8Array; timestamp: number }>(m);
    for (let j = 0; j < m; j++) batch[j] = { key: keyBytes[Math.floor(left() * KEYS)]!, value, timestamp: i + j };
    d.pipeRawList(topics.input, batch);
    if (two) {
      // The second stream: half as many records over the same time (2 ms apart).
      const r = new Array<{ key: Uint8Array; value: Uint8Array; timestamp: number }>(m >> 1);
      for (let j = 0; j < m >> 1; j++) r[j] = { key: keyBytes[Math.floor(right() * KEYS)]!, value, timestamp: i + 2 * j };
      d.pipeRawList(topics.input2, r);
    }
    sinceCommit += m;
    if (sinceCommit >= COMMIT_EVERY || i + m >= n) { d.commit(); sinceCommit = 0; }
    outputs += d.emitted.length;
    d.emitted.length = 0;
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(cpu0);
  await d.close();
  return { secs, cpuSecs: (c.user + c.system) / 1e6, inputs: two ? n + (n >> 1) : n, outputs };
}

export async function run(argv: readonly string[]): Promise<void> {
  const i = argv.indexOf('--records');
  const n = i >= 0 ? Number(argv[i + 1]) : 300_000;
  const ids = argv.filter((a, j) => !a.startsWith('--') && argv[j - 1] !== '--records');
  for (const id of (ids.length === 0 ? ['W4', 'W6H', 'W8'] : ids) as WorkloadId[]) {
    const r = await runWindowWorkload(id, n);
    console.log(`${id}: ${r.inputs} input records, ${(r.cpuSecs / r.inputs * 1e6).toFixed(2)} CPU s per M input records, ${Math.round(r.inputs / r.secs)} records/s (wall), ${r.outputs} records emitted`);
  }
}
