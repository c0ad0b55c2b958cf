import { TOPOLOGIES, REFERENCES, runDriver, type DriverBenchRow } from './driver-bench.ts';

/**
 * `npm run bench -- state` (issue 3): the driver workloads on RocksDB stores (TopologyTestDriver.create, the
 * topology's default persistent stores, in a temporary state directory) with the record cache on (10 MiB, Kafka's
 * default), piped 1,000 records per call (a consumer poll's worth) and committed every 100,000 records (driver
 * commit 'manual' + commit(), as the running application commits per interval whatever its poll size) — about a
 * quarter to half a second of processing at these rates, far more often than Kafka Streams' default 30 s commit
 * interval, so the cache absorbs only part of the repeated updates it would absorb in a real run.
 * Reference in the same run: the plain loop of the driver suite.
 */
const N = Number(process.env['BENCH_RECORDS'] ?? 1_000_000);
const CACHE = 10 * 1024 * 1024;
const COMMIT_EVERY = 100_000;
const PIPE = 1_000;

export async function run(n = N): Promise<DriverBenchRow[]> {
  const rows: DriverBenchRow[] = [];
  const workloads: [string, keyof typeof TOPOLOGIES, number, number][] = [
    ['groupByKey().count(), 1,000,000 distinct keys, RocksDB + cache', 'count', 1_000_000, 200_000],
    ['groupByKey().count(), 10,000 keys, RocksDB + cache', 'count', 10_000, 400_000],
    ['5-minute windowed count, 10,000 keys, RocksDB + cache', 'windowedCount', 10_000, 200_000],
  ];
  for (const [label, kind, keys, target] of workloads) {
    const topo = TOPOLOGIES[kind]();
    await runDriver(topo, Math.min(n, 100_000), keys, { commit: 'per-pipe', cacheMaxBytes: CACHE, persistent: true, pipeSize: PIPE, commitEvery: COMMIT_EVERY }); // warm-up
    const ref = REFERENCES[kind](n, keys);
    const perSec = await runDriver(topo, n, keys, { commit: 'per-pipe', cacheMaxBytes: CACHE, persistent: true, pipeSize: PIPE, commitEvery: COMMIT_EVERY });
    rows.push({ workload: `${label} — 1,000-record pipes, commit every 100,000 records`, records: n, recordsPerSec: Math.round(perSec), referencePerSec: Math.round(ref), ratio: perSec / ref, target });
  }
  return rows;
}
