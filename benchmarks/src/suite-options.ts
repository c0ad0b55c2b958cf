import { DATA_SHAPES, DEFAULT_SHAPES, dataShape, type DataShape } from './data-shapes.ts';
import { WORKLOADS, type WorkloadId } from './kafka-workloads.ts';
import type { ClientAdapter } from './run-result.ts';
import { SYSTEM_KINDS, type SuiteSystem } from './suite-systems.ts';

/** The client adapters the suite knows to run (the runtime's; a new adapter joins here and in raw-client.ts). */
const KNOWN_CLIENTS: readonly ClientAdapter[] = ['kafkajs', 'kafkats'];

export interface SuiteOptions {
  readonly workloads: readonly WorkloadId[];
  readonly records: number;
  readonly runs: number;
  readonly keys: number;
  readonly shapes: readonly DataShape[];
  readonly systems: readonly SuiteSystem['kind'][];
  readonly clients: readonly ClientAdapter[];
  readonly verbose: boolean;
  readonly write: boolean;
  /**
   * The smoke run (`npm test` runs it: benchmarks/test-integration/suite-smoke.test.ts): every run's output checked,
   * nothing measured — one JVM and one Node process do all the runs in turn, tiny input, both adapters, no files.
   */
  readonly smoke: boolean;
  /** The latency phase (latency-phase.ts) after the throughput runs; off in a smoke run and with --no-latency. */
  readonly latency: boolean;
  /** The paced input's length for every workload (default: 33 s for the aggregations, 10 s for the others). */
  readonly latencySeconds?: number;
  /**
   * After the measured runs, one extra, unmeasured run of each of these workloads per ts-streams client adapter, with
   * a CPU profile of its measured phase, summarized (where a target is missed: what to fix).
   */
  readonly profile: readonly WorkloadId[];
  /** Regenerate RESULTS.md and the chart from this results file, running nothing. */
  readonly report?: string;
  /** ts-streams runs with processingGuarantee 'exactly_once_v2' (100 ms commits); Kafka Streams' runs are not changed. */
  readonly exactlyOnce: boolean;
}

/** The smoke run's defaults (options given beside --smoke win). */
export const SMOKE = { records: 2000, keys: 500, runs: 1 } as const;

export const SUITE_USAGE = `npm run bench -- kafka-streams [W1 W5 …] [options]
  Workloads (default all): W0 W0P W0CP (the clients: consume, produce, consume → produce), W1–W8 (W6 also selects
  W6H; W0 also W0P and W0CP). Options:
    --records N        input records per data shape (default 2,000,000)
    --runs N           measured runs per workload and system (default 3, interleaved)
    --keys N           distinct keys (default 10,000)
    --shapes a,b       data shapes (default ${DEFAULT_SHAPES.join(',')}): ${DATA_SHAPES.map((s) => s.id).join(', ')}
    --matrix           all four shapes (about four times as long)
    --systems a,b      ${SYSTEM_KINDS.join(', ')} (default all)
    --clients a,b      ts-streams' client adapters to run (default all: ${KNOWN_CLIENTS.join(', ')})
    --smoke            a smoke run: each output checked, nothing measured or written (one JVM and one Node process
                       for all the runs; default ${SMOKE.records.toLocaleString('en-US')} records, ${SMOKE.keys} keys, 1 run, every adapter)
    --no-latency       no latency phase (end-to-end latency at 50 % of each system's measured records/s, after the
                       throughput runs: 6 runs per stream processor, ~2.5 min each)
    --latency-seconds N  the latency phase's paced input, s (default 33 for W5/W6/W6H, which emit at 30 s commits; 10)
    --verbose          the runs' logs
    --profile W2,W7    after the measured runs, one unmeasured run of each per ts-streams adapter with a CPU profile
                       of its measured phase, summarized (self time per function and per area)
    --exactly-once     ts-streams runs with processingGuarantee 'exactly_once_v2' (its 100 ms commits; only with
                       --systems ts-streams: the Java side has no such switch yet)
    --no-write         no results file, RESULTS.md or chart
    --report FILE      regenerate RESULTS.md and the chart from a results file, running nothing`;

export function parseSuiteOptions(argv: readonly string[]): SuiteOptions {
  const valued = new Set(['--records', '--runs', '--keys', '--shapes', '--systems', '--clients', '--report', '--latency-seconds', '--profile']);
  const flags = new Set(['--matrix', '--verbose', '--no-write', '--smoke', '--no-latency', '--exactly-once']);
  const values = new Map<string, string>();
  const selectors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (valued.has(a)) {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value.\n${SUITE_USAGE}`);
      values.set(a, v);
      i++;
    } else if (a.startsWith('--')) {
      if (!flags.has(a)) throw new Error(`Unknown option '${a}' for the kafka-streams suite.\n${SUITE_USAGE}`);
    } else {
      selectors.push(a);
    }
  }
  const count = (name: string, fallback: number, min: number) => {
    const v = values.get(name);
    if (v === undefined) return fallback;
    const n = Number(v.replaceAll('_', '').replaceAll(',', ''));
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got '${v}'.`);
    return n;
  };
  const list = (name: string) => values.get(name)?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const workloads = selectors.length === 0 ? WORKLOADS.map((w) => w.id) : selectWorkloads(selectors);
  const shapeIds = argv.includes('--matrix') ? DATA_SHAPES.map((s) => s.id) : (list('--shapes') ?? DEFAULT_SHAPES);
  const systems = list('--systems') ?? SYSTEM_KINDS;
  for (const s of systems) if (!(SYSTEM_KINDS as readonly string[]).includes(s)) throw new Error(`Unknown system '${s}': use ${SYSTEM_KINDS.join(', ')}.`);
  const smoke = argv.includes('--smoke');
  // Every adapter by default (issue 17: both adapters of ours on every workload, in the smoke run and the full run).
  const clients = list('--clients') ?? KNOWN_CLIENTS;
  for (const c of clients) if (!(KNOWN_CLIENTS as readonly string[]).includes(c)) throw new Error(`Unknown client adapter '${c}': use ${KNOWN_CLIENTS.join(', ')}.`);
  const report = values.get('--report');
  const exactlyOnce = argv.includes('--exactly-once');
  if (exactlyOnce && (systems.some((s) => s !== 'ts-streams') || argv.includes('--write') || !argv.includes('--no-write'))) {
    throw new Error(`--exactly-once runs ts-streams only, unrecorded: give it with --systems ts-streams --no-write (the results tables compare at-least-once runs).\n${SUITE_USAGE}`);
  }
  const profile = selectWorkloads(list('--profile') ?? []).filter((id) => WORKLOADS.find((w) => w.id === id)?.raw === undefined);
  return {
    exactlyOnce, workloads, records: count('--records', smoke ? SMOKE.records : 2_000_000, 1), runs: count('--runs', smoke ? SMOKE.runs : 3, 1),
    keys: count('--keys', smoke ? SMOKE.keys : 10_000, 1), shapes: shapeIds.map(dataShape), systems: systems as SuiteSystem['kind'][],
    clients: clients as ClientAdapter[], verbose: argv.includes('--verbose'), write: !smoke && !argv.includes('--no-write'), smoke, profile,
    // The smoke run checks outputs and measures nothing (its one JVM could not run a paced producer beside an app).
    latency: !smoke && !argv.includes('--no-latency'),
    ...(values.has('--latency-seconds') ? { latencySeconds: count('--latency-seconds', 15, 1) } : {}),
    ...(report === undefined ? {} : { report }),
  };
}

/** `W5 W6` → W5, W6, W6H: each selector picks the workloads whose id starts with it (W0 its three, W6 its two). */
export function selectWorkloads(selectors: readonly string[]): WorkloadId[] {
  const picked = new Set<WorkloadId>();
  for (const s of selectors) {
    const id = s.toUpperCase();
    const matches = WORKLOADS.filter((w) => w.id.startsWith(id));
    if (matches.length === 0) throw new Error(`Unknown workload '${s}': use ${WORKLOADS.map((w) => w.id).join(', ')}.`);
    for (const w of matches) picked.add(w.id);
  }
  return WORKLOADS.filter((w) => picked.has(w.id)).map((w) => w.id);
}
