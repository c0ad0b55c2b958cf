// RESULTS.md's generated section and the SVG chart, made from a results file of the suite (a trimmed real run:
// test/fixtures/kafka-streams-results.json): every row and ratio in the table, the latency table, a bar per figure,
// the rest of RESULTS.md untouched when the section is replaced.
import { readFileSync } from 'node:fs';
import test from 'ava';
import { WORKLOADS, workload } from '../src/kafka-workloads.ts';
import { percentile } from '../src/latency-observer.ts';
import { hasLatency, latencySeconds, pacedKeys } from '../src/latency-phase.ts';
import { escapeXml, resultsChart, shortRate } from '../src/results-chart.ts';
import { BEGIN_MARK, END_MARK, replaceSection, resultsMarkdown } from '../src/results-markdown.ts';
import type { SuiteLatency, SuiteResults } from '../src/suite-results.ts';

const results = JSON.parse(readFileSync(new URL('fixtures/kafka-streams-results.json', import.meta.url), 'utf8')) as SuiteResults;
const int = (n: number) => Math.round(n).toLocaleString('en-US');

test('the fixture is a run of every workload on every system (what the other tests rely on)', (t) => {
  t.is(results.benchmark, 'kafka-streams');
  t.deepEqual(new Set(results.rows.map((r) => r.workload)), new Set(WORKLOADS.map((w) => w.id)));
  t.deepEqual(results.systems.map((s) => s.id), ['kafka-streams', 'ts-streams/kafkajs', 'java-client', 'client/kafkajs']);
});

test('the table has each workload\'s figures on both stream processors, the ratios and the targets', (t) => {
  const md = resultsMarkdown(results, 'chart.svg');
  t.true(md.startsWith(BEGIN_MARK));
  t.true(md.endsWith(END_MARK));
  t.true(md.includes('![records/s per workload and system](chart.svg)'));
  const lines = md.split('\n');
  for (const w of WORKLOADS.filter((x) => x.topology !== undefined)) {
    const line = lines.find((l) => l.startsWith(`| ${w.id} ${w.label} |`));
    t.not(line, undefined, w.id);
    const cells = line!.split(' | ');
    const ks = results.rows.find((r) => r.workload === w.id && r.system === 'kafka-streams')!;
    const ts = results.rows.find((r) => r.workload === w.id && r.system === 'ts-streams/kafkajs')!;
    const ratio = results.ratios.find((r) => r.workload === w.id)!;
    t.is(cells[1], `${int(ks.recordsPerSec!.median)} (${int(ks.recordsPerSec!.min)}–${int(ks.recordsPerSec!.max)})`, `${w.id} Kafka Streams`);
    t.is(cells[2], `${int(ts.recordsPerSec!.median)} (${int(ts.recordsPerSec!.min)}–${int(ts.recordsPerSec!.max)})`, `${w.id} ts-streams`);
    t.is(cells[3], ratio.toKafkaStreams!.toFixed(2));
    t.is(cells[4], w.target === undefined ? '' : `≥ ${w.target}`);
    t.is(cells[5], w.target === undefined ? '' : ratio.met ? 'yes' : 'no');
    t.is(cells[6], ratio.toRawClient!.toFixed(2));
  }
  for (const w of WORKLOADS.filter((x) => x.raw !== undefined)) {
    const line = lines.find((l) => l.startsWith(`| ${w.id} ${w.label} |`));
    const java = results.rows.find((r) => r.workload === w.id && r.system === 'java-client')!;
    t.true(line!.includes(`| ${int(java.recordsPerSec!.median)} (`), `${w.id}: the Java client's figure`);
  }
});

test('a workload without a figure says so, and the failure is listed', (t) => {
  const failed: SuiteResults = {
    ...results,
    rows: results.rows.map((r) => (r.workload === 'W8' && r.system === 'ts-streams/kafkajs' ? { ...r, runs: 0, failed: 2, recordsPerSec: undefined } as typeof r : r)),
    failures: [{ shape: 'uniform-100', workload: 'W8', system: 'ts-streams/kafkajs', round: 1, reason: 'W8 …: wrote 9 output records, not 10 (the pairs of the generated input). This run has no figure.\nstack' }],
  };
  const md = resultsMarkdown(failed, 'chart.svg');
  t.true(md.split('\n').find((l) => l.startsWith('| W8 '))!.split(' | ')[2] === 'no figure');
  t.true(md.includes('- uniform-100 W8 on ts-streams (kafkajs), run 1: W8 …: wrote 9 output records, not 10 (the pairs of the generated input). This run has no figure.\n'));
});

test('RESULTS.md: the section goes in before the first hand-written section once, and is replaced in place after', (t) => {
  const doc = '# Benchmark results\n\nIntro.\n\n## Driver (issue 2)\n\nText.\n';
  const once = replaceSection(doc, `${BEGIN_MARK}\nfirst\n${END_MARK}`);
  t.is(once, `# Benchmark results\n\nIntro.\n\n## ts-streams beside Kafka Streams (issue 17) — \`npm run bench -- kafka-streams\`\n\n${BEGIN_MARK}\nfirst\n${END_MARK}\n\n## Driver (issue 2)\n\nText.\n`);
  const twice = replaceSection(once, `${BEGIN_MARK}\nsecond\n${END_MARK}`);
  t.is(twice, once.replace('first', 'second'));
});

test('the chart: a bar per figure, as long as its median, titled with it; labels escaped', (t) => {
  const svg = resultsChart(results);
  t.true(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  t.true(svg.trimEnd().endsWith('</svg>'));
  const bars = [...svg.matchAll(/<rect x="280" y="[\d.]+" width="([\d.]+)" height="13" fill="(#[0-9a-f]{6})"><title>([^<]+)<\/title><\/rect>/g)];
  const figures = results.rows.filter((r) => r.recordsPerSec !== undefined);
  t.is(bars.length, figures.length);
  const widths = new Map(bars.map((b) => [b[3], Number(b[1])]));
  const label = (id: string) => results.systems.find((s) => s.id === id)!.label;
  const titleOf = (r: (typeof figures)[number]) =>
    escapeXml(`${label(r.system)}: ${r.recordsPerSec!.median.toLocaleString('en-US')} records/s (${r.recordsPerSec!.min.toLocaleString('en-US')}–${r.recordsPerSec!.max.toLocaleString('en-US')})`);
  const [a, b] = [figures[0]!, figures.at(-1)!];
  t.true(widths.has(titleOf(a)) && widths.has(titleOf(b)));
  t.true(Math.abs(widths.get(titleOf(a))! / widths.get(titleOf(b))! / (a.recordsPerSec!.median / b.recordsPerSec!.median) - 1) < 0.01, 'widths proportional to the medians');
  t.is(new Set(bars.map((x) => x[2])).size, results.systems.length, 'a colour per system');
  t.is(escapeXml('a < b & "c" > d'), 'a &lt; b &amp; &quot;c&quot; &gt; d');
  t.deepEqual([shortRate(950), shortRate(1_234), shortRate(899_000), shortRate(2_060_000)], ['950', '1.2k', '899k', '2.06M']);
});

test('the latency table: p50 / p99 and the offered rate per workload with an output and per stream processor; a run without a figure says why', (t) => {
  const latency: SuiteLatency[] = [
    { shape: 'uniform-100', workload: 'W2', system: 'kafka-streams', ratePerSec: 95_918, seconds: 15, records: 1_438_770, outputs: 1_438_770, samples: 1_340_000, p50Ms: 12, p99Ms: 140 },
    { shape: 'uniform-100', workload: 'W2', system: 'ts-streams/kafkajs', ratePerSec: 27_536, seconds: 15, records: 413_040, outputs: 413_040, samples: 384_000, p50Ms: 7.4, p99Ms: 1_234.6 },
    { shape: 'uniform-100', workload: 'W5', system: 'kafka-streams', ratePerSec: 61_702, seconds: 40, records: 2_468_080, outputs: 20_000, samples: 10_000, p50Ms: 14_950, p99Ms: 29_800 },
    { shape: 'uniform-100', workload: 'W5', system: 'ts-streams/kafkajs', ratePerSec: 63_088, seconds: 40, records: 0, outputs: 0, samples: 0, reason: 'W5 …: processed 3 records, not 4.\nmore' },
  ];
  const md = resultsMarkdown({ ...results, latency }, 'chart.svg');
  const lines = md.split('\n');
  t.true(lines.includes('| workload | s | Kafka Streams 4.4.0 records/s | Kafka Streams 4.4.0 p50 ms | Kafka Streams 4.4.0 p99 ms | ts-streams (kafkajs) records/s | ts-streams (kafkajs) p50 ms | ts-streams (kafkajs) p99 ms |'));
  t.true(lines.includes(`| W2 ${workload('W2').label} | 15 | 95,918 | 12 | 140 | 27,536 | 7 | 1,235 |`));
  t.true(lines.includes(`| W5 ${workload('W5').label} | 40 | 61,702 | 14,950 | 29,800 | 63,088 | no figure | no figure |`));
  t.false(lines.some((l) => l.startsWith('| W1 ') && l.split(' | ').length === 8), 'W1 writes no output: no latency row');
  t.true(lines.includes('- W5 on ts-streams (kafkajs): W5 …: processed 3 records, not 4.'));
  t.true(md.indexOf('End-to-end latency at 50 %') > md.indexOf('| W8 '), 'after the stream processors\' table');
  t.false(resultsMarkdown(results, 'chart.svg').includes('End-to-end latency'), 'a results file without the latency phase has no table');
});

test('latency figures: the nearest-rank percentile; the workloads measured and how long their input runs', (t) => {
  const sorted = Float64Array.from([5, 1, 4, 2, 3, 10, 9, 8, 7, 6]).sort();
  t.deepEqual([percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 100), percentile(sorted, 1)], [5, 10, 10, 1]);
  t.is(percentile([42], 99), 42);
  t.throws(() => percentile([], 50), { message: /no values/ });
  t.deepEqual(WORKLOADS.filter(hasLatency).map((w) => w.id), ['W2', 'W5', 'W6', 'W6H', 'W7', 'W8']);
  t.deepEqual(['W2', 'W5', 'W6H', 'W8'].map((id) => latencySeconds(workload(id), undefined)), [10, 33, 33, 10], 'the aggregations span a 30 s commit');
  t.is(latencySeconds(workload('W5'), 5), 5);
  // W8's paced keys keep the throughput input's recurrence: a key every 10 s of event time at 10,000 keys.
  t.is(pacedKeys(workload('W8'), 50_000, 10_000), 500_000);
  t.is(pacedKeys(workload('W8'), 500, 10_000), 10_000, 'never fewer than the suite\'s keys');
  t.is(pacedKeys(workload('W2'), 50_000, 10_000), 10_000);
});

test('the embedded rows: W1, W2, W5, W6 on the embedded log beside Kafka Streams and ts-streams on the broker', (t) => {
  const embedded = { id: 'ts-streams/embedded', kind: 'embedded', label: 'ts-streams (embedded log)' } as const;
  const rows = ['W1', 'W2', 'W5', 'W6'].map((w, i) => ({
    shape: 'uniform-100', workload: w as 'W1', label: workload(w).label, system: embedded.id, runs: 2, failed: 0,
    recordsPerSec: { median: 100_000 * (i + 1), min: 90_000 * (i + 1), max: 110_000 * (i + 1) }, mbPerSec: 10, cpuSecPerM: 2.5, cpuSecPerMWithClose: 2.75,
    peakRssMiB: 300.4, startupMs: 1_234, closeMs: 100,
  }));
  const md = resultsMarkdown({ ...results, systems: [...results.systems, embedded], rows: [...results.rows, ...rows] }, 'chart.svg');
  const lines = md.split('\n');
  t.true(lines.includes('| workload | ts-streams (embedded log) records/s | embedded / KS | embedded / ts-streams (kafkajs) | CPU s / M | RSS MiB | start-up s |'));
  const w2 = lines.find((l) => l.startsWith(`| W2 ${workload('W2').label} | 200,000 (180,000–220,000) |`));
  t.not(w2, undefined);
  const ks = results.rows.find((r) => r.workload === 'W2' && r.system === 'kafka-streams')!.recordsPerSec!.median;
  const ts = results.rows.find((r) => r.workload === 'W2' && r.system === 'ts-streams/kafkajs')!.recordsPerSec!.median;
  t.is(w2, `| W2 ${workload('W2').label} | 200,000 (180,000–220,000) | ${(200_000 / ks).toFixed(2)} | ${(200_000 / ts).toFixed(2)} | 2.50 (2.75) | 300 | 1.23 |`);
  t.is(lines.filter((l) => l.endsWith(' | 2.50 (2.75) | 300 | 1.23 |')).length, 4, 'a row per embedded workload');
  t.false(resultsMarkdown(results, 'chart.svg').includes('embedded log'), 'no embedded rows, no table');
  const svg = resultsChart({ ...results, systems: [...results.systems, embedded], rows: [...results.rows, ...rows] });
  t.true(svg.includes('<title>ts-streams (embedded log): 200,000 records/s (180,000–220,000)</title>'), 'the chart has its bars');
});
