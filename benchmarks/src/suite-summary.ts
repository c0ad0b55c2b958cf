import { WORKLOADS, type Workload, type WorkloadId } from './kafka-workloads.ts';
import type { SuiteFailure, SuiteRatio, SuiteRow, SuiteRun, SuiteShape } from './suite-results.ts';
import type { SuiteSystem } from './suite-systems.ts';
import { median } from './bench-format.ts';


/** The rows (per shape, workload and system that ran it) and ts-streams' ratios, from the runs and failures. */
export function summarize(
  shapes: readonly (SuiteShape & { readonly meanKeyBytes: number })[],
  workloads: readonly Workload[],
  systems: readonly SuiteSystem[],
  runs: readonly SuiteRun[],
  failures: readonly SuiteFailure[],
): { rows: SuiteRow[]; ratios: SuiteRatio[] } {
  const rows: SuiteRow[] = [];
  for (const shape of shapes) {
    for (const w of workloads) {
      for (const s of systems) {
        const rs = runs.filter((r) => r.shape === shape.id && r.workload === w.id && r.system === s.id);
        const failed = failures.filter((f) => f.shape === shape.id && f.workload === w.id && f.system === s.id).length;
        if (rs.length === 0 && failed === 0) continue;
        rows.push({ shape: shape.id, workload: w.id, label: w.label, system: s.id, runs: rs.length, failed, ...figures(rs, shape.valueBytes + shape.meanKeyBytes) });
      }
    }
  }
  const rate = (shape: string, workload: WorkloadId, system: string) =>
    rows.find((r) => r.shape === shape && r.workload === workload && r.system === system)?.recordsPerSec?.median;
  const ratios: SuiteRatio[] = [];
  for (const r of rows) {
    const s = systems.find((x) => x.id === r.system);
    if (s?.kind !== 'ts-streams' || r.recordsPerSec === undefined) continue;
    const ks = rate(r.shape, r.workload, 'kafka-streams');
    const raw = rate(r.shape, 'W0', `client/${s.client}`);
    const target = WORKLOADS.find((w) => w.id === r.workload)?.target;
    const toKafkaStreams = ks === undefined ? undefined : r.recordsPerSec.median / ks;
    ratios.push({
      shape: r.shape, workload: r.workload, system: r.system,
      ...(toKafkaStreams === undefined ? {} : { toKafkaStreams }),
      ...(raw === undefined ? {} : { toRawClient: r.recordsPerSec.median / raw }),
      ...(target === undefined ? {} : { target, ...(toKafkaStreams === undefined ? {} : { met: toKafkaStreams >= target }) }),
    });
  }
  return { rows, ratios };
}

function figures(rs: readonly SuiteRun[], recordBytes: number): Partial<SuiteRow> {
  if (rs.length === 0) return {};
  const rates = rs.map((r) => r.recordsPerSec);
  const perM = (cpu: (r: SuiteRun) => number) => median(rs.map((r) => cpu(r) / (r.processed / 1e6)));
  const startups = rs.flatMap((r) => (r.startupMs === undefined ? [] : [r.startupMs]));
  return {
    recordsPerSec: { median: Math.round(median(rates)), min: Math.round(Math.min(...rates)), max: Math.round(Math.max(...rates)) },
    mbPerSec: (median(rates) * recordBytes) / 1e6,
    cpuSecPerM: perM((r) => r.cpuSeconds),
    cpuSecPerMWithClose: perM((r) => r.cpuSecondsWithClose),
    peakRssMiB: median(rs.map((r) => r.maxRssBytes)) / 2 ** 20,
    ...(startups.length === 0 ? {} : { startupMs: median(startups) }),
    closeMs: median(rs.map((r) => r.closeMs)),
  };
}
