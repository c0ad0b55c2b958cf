import { WORKLOADS } from './kafka-workloads.ts';
import type { SuiteResults } from './suite-results.ts';
import type { SuiteSystem } from './suite-systems.ts';

/**
 * The suite's chart (SVG, no library): per data shape, a group of horizontal bars per workload, one bar per system
 * that ran it — the median records/s, a line across its runs' min–max, the figure at its end.
 */
const WIDTH = 960;
const LABEL_WIDTH = 280;
const BAR_AREA = 560;
const BAR_HEIGHT = 13;
const BAR_GAP = 3;
const GROUP_GAP = 12;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

const PALETTE: Readonly<Record<SuiteSystem['kind'], readonly string[]>> = {
  'kafka-streams': ['#d1495b'],
  'ts-streams': ['#00798c', '#30638e', '#003d5b'],
  embedded: ['#66a182'],
  'java-client': ['#8d99ae'],
  'node-client': ['#edae49', '#c8963e', '#a47e3b'],
};

export function escapeXml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** 1,234 → "1.2k", 899,000 → "899k", 2,060,000 → "2.06M". */
export function shortRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** A round step for about `parts` grid lines up to `max` (1, 2 or 5 times a power of ten). */
function niceStep(max: number, parts: number): number {
  const raw = max / parts;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

function colours(systems: readonly SuiteSystem[]): Map<string, string> {
  const used = new Map<SuiteSystem['kind'], number>();
  const m = new Map<string, string>();
  for (const s of systems) {
    const i = used.get(s.kind) ?? 0;
    used.set(s.kind, i + 1);
    const p = PALETTE[s.kind];
    m.set(s.id, p[i % p.length]!);
  }
  return m;
}

export function resultsChart(r: SuiteResults): string {
  const colour = colours(r.systems);
  const parts: string[] = [];
  let y = 28;
  parts.push(`<text x="12" y="${y}" font-size="16" font-weight="600" ${FONT}>Records/s per workload — median of ${r.options.runs} run(s), min–max line (${escapeXml(r.date.slice(0, 10))}, ${r.machine.nproc} cores)</text>`);
  y += 22;
  let x = 12;
  for (const s of r.systems) {
    parts.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${colour.get(s.id)}"/>`);
    parts.push(`<text x="${x + 16}" y="${y}" font-size="12" ${FONT}>${escapeXml(s.label)}</text>`);
    x += 24 + s.label.length * 7;
  }
  y += 14;
  for (const shape of r.shapes) {
    const groups = WORKLOADS.flatMap((w) => {
      const bars = r.systems.flatMap((s) => {
        const row = r.rows.find((x) => x.shape === shape.id && x.workload === w.id && x.system === s.id);
        return row?.recordsPerSec === undefined ? [] : [{ system: s, rate: row.recordsPerSec }];
      });
      return bars.length === 0 ? [] : [{ workload: w, bars }];
    });
    if (groups.length === 0) continue;
    const max = Math.max(...groups.flatMap((g) => g.bars.map((b) => b.rate.max)));
    const step = niceStep(max, 5);
    const top = Math.ceil(max / step) * step;
    const scale = (v: number) => (v / top) * BAR_AREA;
    const height = groups.reduce((h, g) => h + g.bars.length * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP, 0);
    y += 22;
    parts.push(`<text x="12" y="${y}" font-size="14" font-weight="600" ${FONT}>${escapeXml(`${shape.label} — ${shape.records.toLocaleString('en-US')} records`)}</text>`);
    y += 10;
    for (let v = 0; v <= top; v += step) {
      const gx = LABEL_WIDTH + scale(v);
      parts.push(`<line x1="${gx.toFixed(1)}" y1="${y}" x2="${gx.toFixed(1)}" y2="${y + height}" stroke="#e3e3e3"/>`);
      parts.push(`<text x="${gx.toFixed(1)}" y="${y + height + 12}" font-size="10" text-anchor="middle" fill="#666" ${FONT}>${shortRate(v)}</text>`);
    }
    let gy = y + GROUP_GAP / 2;
    for (const g of groups) {
      const groupHeight = g.bars.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
      parts.push(`<text x="${LABEL_WIDTH - 8}" y="${(gy + groupHeight / 2 + 4).toFixed(1)}" font-size="12" text-anchor="end" ${FONT}>${escapeXml(`${g.workload.id} ${g.workload.label}`)}</text>`);
      for (const b of g.bars) {
        const w = scale(b.rate.median);
        parts.push(`<rect x="${LABEL_WIDTH}" y="${gy}" width="${Math.max(1, w).toFixed(1)}" height="${BAR_HEIGHT}" fill="${colour.get(b.system.id)}"><title>${escapeXml(`${b.system.label}: ${b.rate.median.toLocaleString('en-US')} records/s (${b.rate.min.toLocaleString('en-US')}–${b.rate.max.toLocaleString('en-US')})`)}</title></rect>`);
        const cy = gy + BAR_HEIGHT / 2;
        parts.push(`<line x1="${(LABEL_WIDTH + scale(b.rate.min)).toFixed(1)}" y1="${cy}" x2="${(LABEL_WIDTH + scale(b.rate.max)).toFixed(1)}" y2="${cy}" stroke="#222" stroke-width="1"/>`);
        parts.push(`<text x="${(LABEL_WIDTH + Math.max(w, scale(b.rate.max)) + 4).toFixed(1)}" y="${cy + 4}" font-size="10" fill="#333" ${FONT}>${shortRate(b.rate.median)}</text>`);
        gy += BAR_HEIGHT + BAR_GAP;
      }
      gy += GROUP_GAP - BAR_GAP;
    }
    y += height + 18;
  }
  y += 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" role="img" aria-label="records per second per workload and system">`,
    `<rect width="${WIDTH}" height="${y}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
