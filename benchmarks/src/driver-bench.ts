import { StreamsBuilder, Serdes, Consumed, Produced, TimeWindows, type Topology } from '@ts-streams/dsl';
import { TopologyTestDriver } from '@ts-streams/runtime/testing';

/**
 * `npm run bench -- driver`: 1,000,000 generated records through the TopologyTestDriver (which, like
 * Kafka Streams', processes and commits each record on its own). Reference in the same run: a plain loop
 * doing the same deserialize → work → serialize per record with no engine (the floor of any engine).
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

function runDriver(topology: Topology, n: number, keys: number): number {
  const { at } = inputs(n, keys);
  const d = new TopologyTestDriver(topology, { cacheMaxBytes: 0 });
  const secs = timeIt(() => {
    for (let i = 0; i < n; i++) {
      const r = at(i);
      d.pipeRaw('in', r.key, r.value, r.ts);
      if ((i & 0xffff) === 0) (d as unknown as { emitted: unknown[] }).emitted.length = 0;
    }
  });
  d.close();
  return n / secs;
}

function reference(n: number, keys: number, work: (k: string, v: string, i: number) => unknown): number {
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

export function run(n = N): DriverBenchRow[] {
  const rows: DriverBenchRow[] = [];
  const add = (workload: string, perSec: number, ref: number, target: number) =>
    rows.push({ workload, records: n, recordsPerSec: Math.round(perSec), referencePerSec: Math.round(ref), ratio: perSec / ref, target });

  {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
      .filter((_k, v) => v.charCodeAt(6) !== 57)
      .mapValues((v) => v.length)
      .to('out', Produced.with(Serdes.String(), Serdes.Integer()));
    const topo = b.build();
    runDriver(topo, Math.min(n, 100_000), 10_000); // warm-up
    add('(a) filter + mapValues', runDriver(topo, n, 10_000), reference(n, 10_000, (_k, v) => (v.charCodeAt(6) !== 57 ? v.length : undefined)), 1_000_000);
  }
  {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey()
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.String(), Serdes.Long()));
    const topo = b.build();
    runDriver(topo, Math.min(n, 100_000), 10_000);
    const counts = new Map<string, number>();
    add('(b) groupByKey().count(), 10,000 keys', runDriver(topo, n, 10_000), reference(n, 10_000, (k) => { const c = (counts.get(k) ?? 0) + 1; counts.set(k, c); return c; }), 300_000);
  }
  {
    const b = new StreamsBuilder();
    b.stream('in', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey()
      .windowedBy(TimeWindows.ofSizeAndGrace({ minutes: 5 }, { minutes: 1 }))
      .count()
      .toStream()
      .to('out', Produced.with(Serdes.timeWindowed(Serdes.String(), 300_000), Serdes.Long()));
    const topo = b.build();
    runDriver(topo, Math.min(n, 100_000), 10_000);
    const counts = new Map<string, number>();
    add('(c) 5-minute windowed count, 10,000 keys', runDriver(topo, n, 10_000), reference(n, 10_000, (k, _v, i) => { const w = `${k}@${i - (i % 300_000)}`; const c = (counts.get(w) ?? 0) + 1; counts.set(w, c); return c; }), 300_000);
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
