/**
 * Where a V8 CPU profile (`node --cpu-prof`, a .cpuprofile file) spent its time: self time per function and per
 * area (our packages, kafkajs, rxjs, node's internals, GC, idle), as the Kafka benchmark's `--profile` prints it.
 *
 *   node --import tsx benchmarks/src/cpu-profile-summary.ts <file.cpuprofile> [--top N]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Busy time: everything but (idle). */
  readonly busyMs: number;
  readonly functions: readonly { readonly name: string; readonly where: string; readonly area: string; readonly ms: number }[];
  readonly areas: readonly { readonly area: string; readonly ms: number }[];
}

/** The part of the code base a script URL belongs to. */
export function areaOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (program)';
    return 'native';
  }
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  const ours = /\/packages\/(dsl|state|runtime)\/src\/([^/]+)\//.exec(url);
  if (ours) return `@ts-streams/${ours[1]} ${ours[2]}/`;
  if (pkg !== undefined && pkg.startsWith('@ts-streams/')) return pkg;
  if (pkg !== undefined) return pkg;
  if (url.includes('/benchmarks/')) return 'benchmark';
  return 'other';
}

export function summarize(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // The profiler's own start (the inspector call that starts it, sampled as it returns) is not the workload's.
  const excluded = new Set<number>();
  const exclude = (id: number) => {
    excluded.add(id);
    for (const c of byId.get(id)?.children ?? []) exclude(c);
  };
  for (const n of profile.nodes) if (n.callFrame.url === 'node:inspector') exclude(n.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    if (excluded.has(id)) continue;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const fns = new Map<string, { name: string; where: string; area: string; us: number }>();
  const areas = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const area = areaOf(url, functionName);
    total += us;
    if (area === 'idle') idle += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    // Scripts tsx compiled come out on one line: their line says nothing.
    const where = url === '' ? '' : lineNumber > 0 ? `${shortUrl(url)}:${lineNumber + 1}` : shortUrl(url);
    const key = `${functionName}\u0000${where}`;
    const f = fns.get(key) ?? { name: functionName || '(anonymous)', where, area, us: 0 };
    f.us += us;
    fns.set(key, f);
  }
  return {
    totalMs: total / 1000,
    busyMs: (total - idle) / 1000,
    functions: [...fns.values()].sort((a, b) => b.us - a.us).slice(0, top).map((f) => ({ name: f.name, where: f.where, area: f.area, ms: f.us / 1000 })),
    areas: [...areas].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: us / 1000 })),
  };
}

function shortUrl(url: string): string {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + '/node_modules/'.length);
  const pk = path.indexOf('/packages/');
  if (pk >= 0) return path.slice(pk + 1);
  const bm = path.indexOf('/benchmarks/');
  return bm >= 0 ? path.slice(bm + 1) : path;
}

export function summaryToMarkdown(s: ProfileSummary, areaLimit = 15): string {
  const pct = (ms: number) => `${((100 * ms) / s.busyMs).toFixed(1)} %`;
  const lines = [
    `Busy ${s.busyMs.toFixed(0)} ms of ${s.totalMs.toFixed(0)} ms sampled (percentages of busy time).`,
    '',
    '| area | self ms | share |',
    '|---|---:|---:|',
    ...s.areas.filter((a) => a.area !== 'idle').slice(0, areaLimit).map((a) => `| ${a.area} | ${a.ms.toFixed(0)} | ${pct(a.ms)} |`),
    '',
    '| function | where | self ms | share |',
    '|---|---|---:|---:|',
    ...s.functions.filter((f) => f.area !== 'idle').map((f) => `| ${f.name} | ${f.where} | ${f.ms.toFixed(0)} | ${pct(f.ms)} |`),
  ];
  return lines.join('\n');
}

export function summarizeFile(file: string, top = 25): ProfileSummary {
  return summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node --import tsx benchmarks/src/cpu-profile-summary.ts <file.cpuprofile> [--top N]');
    process.exit(2);
  }
  const i = process.argv.indexOf('--top');
  console.log(summaryToMarkdown(summarizeFile(file, i >= 0 ? Number(process.argv[i + 1]) : 25)));
}
