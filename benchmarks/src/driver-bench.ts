import { StreamsBuilder, Serdes, Consumed, Produced, TimeWindows, type Topology } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

/**
 * `npm run bench -- driver`: 1,000,000 generated records through the TopologyTestDriver, piped 1,000 per
 * pipeRawList call, in its two commit modes: per record (Kafka's TopologyTestDriver: each record processed and
 * committed on its own) and per pipe (one commit per 1,000 records, as the running application commits a
 * consumed batch). Reference in the same run: a plain loop doing the same deserialize → work → serialize per
 * record with no engine (the floor of any engine).
 */
export interface DriverBenchRow {
  readonly workload: string;
  readonly records: number;
  readonly recordsPerSec: number;
  readonly referencePerSec: number;
  readonly ratio: number;
  readonly target: number;
}

const N = Number(process.env['BENCH_RECORDS'] ?? 1_000_000);

function inputs(n: number, keys: number) {
  const str = Serdes.String();
  const keyBytes = Array.from({ length: keys }, (_, i) => str.serialize('in', `key-${i}`)!);
  const values = Array.from({ length: 64 }, (_, i) => str.serialize('in', `value-${i}-`.padEnd(100, 'x'))!);
  return { keyBytes, values, at: (i: number) => ({ key: keyBytes[i % keys]!, value: values[i % 64]!, ts: i }) };
}

function timeIt(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Records per pipeRawList call: a consumed batch's worth, as the running application hands its task. */
export const PIPE_SIZE = 1000;

export interface DriverRunOptions {
  /** 'per-record' = Kafka's TopologyTestDriver semantics; 'per-pipe' = commit once per PIPE_SIZE records. */
  readonly commit: 'per-record' | 'per-pipe';
  readonly cacheMaxBytes?: number;
  /** Use TopologyTestDriver.create (the topology's RocksDB stores) instead of the in-memory constructor. */
  readonly persistent?: boolean;
  /** Records per pipeRawList call (default PIPE_SIZE); with commit per-pipe, the records per commit. */
  readonly pipeSize?: number;
  /**
   * Commit every this many records instead (commit 'manual' plus driver.commit()), whatever the pipe size: the
   * running application's poll batches and commit interval.
   */
  readonly commitEvery?: number;
}

/** Pipes n records (pipeSize per call) through a driver and returns records/s (wall clock). */
export async function runDriver(topology: Topology, n: number, keys: number, opts: DriverRunOptions): Promise<number> {
  const { keyBytes, values } = inputs(n, keys);
  // Changelog records are produced (serialized, handed to the sink) but not kept: nothing here reads them.
  const commitEvery = opts.commitEvery;
  const options = { cacheMaxBytes: opts.cacheMaxBytes ?? 0, commit: commitEvery === undefined ? opts.commit : 'manual' as const, captureChangelogs: false };
  const d = opts.persistent ? await TopologyTestDriver.create(topology, options) : new TopologyTestDriver(topology, options);
  const out = d.createOutputTopic('out', Serdes.ByteArray(), Serdes.ByteArray());
  const pipeSize = opts.pipeSize ?? PIPE_SIZE;
  const batch = new Array<{ key: Uint8Array; value: Uint8Array; timestamp: number }>(pipeSize);
  const secs = timeIt(() => {
    for (let i = 0; i < n; i += pipeSize) {
      const m = Math.min(pipeSize, n - i);
      batch.length = m;
      for (let j = 0; j < m; j++) {
        const k = i + j; // the records of inputs().at(k), one object each
        batch[j] = { key: keyBytes[k % keys]!, value: values[k % 64]!, timestamp: k };
      }
      d.pipeRawList('in', batch);
      if (commitEvery !== undefined && (Math.floor((i + m) / commitEvery) > Math.floor(i / commitEvery) || i + m >= n)) d.commit();
      // Read what was produced, as a test does (and the conformance suite's global emission log is not measured).
      out.readRecordsToList();
      d.emitted.length = 0;
    }
  });
  await d.close();
  return n / secs;
}

export function reference(n: number, keys: number, work: (k: string, v: string, i: number) => unknown): number {
  const { at } = inputs(n, keys);
  const str = Serdes.String();
  let sink = 0;
  const secs = timeIt(() => {
    for (let i = 0; i < n; i++) {
      const r = at(i);
      const out = work(str.deserialize('in', r.key)!, str.deserialize('in', r.value)!, i);
      if (out !== undefined) sink += str.serialize('out', String(out))!.length;
    }
  });
  if (sink < 0) console.log(sink);
  return n / secs;
}

export const TOPOLOGIES = {
  filterMapValues(): Topology {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
      .filter((_k, v) => v.charCodeAt(6) !== 57)
      .mapValues((v) => v.length)
      .to('out', Produced.with(Serdes.String(), Serdes.Integer()));
    return b.build();
  },
  count(): Topology {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey()
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  },
  windowedCount(): Topology {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace({ minutes: 5 }, { minutes: 1 }))
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.timeWindowed(Serdes.String(), 300_000), Serdes.Long()));
    return b.build();
  },
};

export const REFERENCES = {
  filterMapValues: (n: number, keys: number) => reference(n, keys, (_k, v) => (v.charCodeAt(6) !== 57 ? v.length : undefined)),
  count: (n: number, keys: number) => {
    const counts = new Map<string, number>();
    return reference(n, keys, (k) => { const c = (counts.get(k) ?? 0) + 1; counts.set(k, c); return c; });
  },
  windowedCount: (n: number, keys: number) => {
    const counts = new Map<string, number>();
    return reference(n, keys, (k, _v, i) => { const w = `${k}@${i - (i % 300_000)}`; const c = (counts.get(w) ?? 0) + 1; counts.set(w, c); return c; });
  },
};

/** Issue 2's suite: the three workloads on in-memory stores, in both commit modes. */
export async function run(n = N): Promise<DriverBenchRow[]> {
  const rows: DriverBenchRow[] = [];
  const workloads: [string, keyof typeof TOPOLOGIES, number][] = [
    ['(a) filter + mapValues', 'filterMapValues', 1_000_000],
    ['(b) groupByKey().count(), 10,000 keys', 'count', 300_000],
    ['(c) 5-minute windowed count, 10,000 keys', 'windowedCount', 300_000],
  ];
  for (const [label, kind, target] of workloads) {
    const topo = TOPOLOGIES[kind]();
    await runDriver(topo, Math.min(n, 100_000), 10_000, { commit: 'per-record' }); // warm-up
    const ref = REFERENCES[kind](n, 10_000);
    for (const commit of ['per-record', 'per-pipe'] as const) {
      const perSec = await runDriver(topo, n, 10_000, { commit });
      rows.push({ workload: `${label} — commit ${commit}`, records: n, recordsPerSec: Math.round(perSec), referencePerSec: Math.round(ref), ratio: perSec / ref, target });
    }
  }
  return rows;
}

export function toMarkdown(rows: readonly DriverBenchRow[]): string {
  const fmt = (x: number) => x.toLocaleString('en-US');
  return [
    '| workload | records | records/s | reference loop records/s | ratio to reference | target | met |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.workload} | ${fmt(r.records)} | ${fmt(r.recordsPerSec)} | ${fmt(r.referencePerSec)} | ${r.ratio.toFixed(2)} | ≥ ${fmt(r.target)} | ${r.recordsPerSec >= r.target ? 'yes' : 'no'} |`),
  ].join('\n');
}
