/**
 * `npm run bench -- kafka [options]`: the Kafka runtime against a real broker (KAFKA_BROKERS; without it bench.ts
 * runs this under scripts/kafka/with-broker.ts, which uses the broker of `npm run kafka -- start` or starts one for
 * the run and stops it after).
 *
 * Loads `--records` records (default 1,000,000: `--value-bytes` 100-byte values, integer-string keys over `--keys`
 * 10,000 keys, timestamps 1 ms apart, the last one now) into a fresh 4-partition input topic, then runs each workload (W0 raw kafkajs
 * consume, W1 source → peek, W2 source → sink, W5 count → sink, W6 windowed count → sink: kafka-workloads.ts)
 * `--runs` times (default 3), interleaved (W0 W1 … W6, then again), each run in a child process of its own
 * (kafka-bench-run.ts) with a fresh application id and state dir, so its CPU seconds and peak RSS are its own.
 * After each run the parent checks that nothing was lost: the app processed every record and dropped none, its
 * group committed every input offset, and the output holds what it must (W2 every record; W5/W6 final counts
 * summing to the input). A run that fails a check has no figure: the bench stops with the reason.
 *
 * Options: --records N, --runs N, --only W0,W5 (W0 is always run: the ratios need it), --keys N, --value-bytes N,
 * --client kafkajs|kafkats (the client adapter KafkaStreams runs on, and whose batch consumer W0 is; default kafkajs),
 * --profile W5[,W6] (one extra, unmeasured run of each with a CPU profile of its measured phase, summarized),
 * --verbose (the apps' logs), --no-write (no results JSON).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { workload, type Workload, type WorkloadId } from './kafka-workloads.ts';
import type { RunResult } from './run-result.ts';
import type { RunSpec } from './run-spec.ts';
import { summarizeFile, summaryToMarkdown } from './cpu-profile-summary.ts';
import { PARTITIONS, createTopic, dropRun } from './bench-topics.ts';
import { checkRun, kafkaInspector } from './run-checks.ts';
import { runNode } from './run-process.ts';
import { fmt, log, median } from './bench-format.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS_DIR = resolve(HERE, '..', 'results');
/** The workloads of issue 15's suite (the others, and Kafka Streams beside them, are `npm run bench -- kafka-streams`). */
const KAFKA_SUITE_WORKLOADS: readonly WorkloadId[] = ['W0', 'W1', 'W2', 'W5', 'W6'];

export interface KafkaBenchOptions {
  readonly records: number;
  readonly runs: number;
  readonly keys: number;
  readonly valueBytes: number;
  readonly only: readonly WorkloadId[];
  readonly profile: readonly WorkloadId[];
  readonly verbose: boolean;
  readonly write: boolean;
  readonly client: 'kafkajs' | 'kafkats';
}

interface MeasuredRun extends RunResult {
  readonly round: number;
  /** The 1-minute load average when the run started. */
  readonly load1m: number;
  readonly recordsPerSec: number;
}

export interface KafkaBenchRow {
  readonly id: WorkloadId;
  readonly label: string;
  readonly runs: number;
  readonly recordsPerSec: { readonly median: number; readonly min: number; readonly max: number };
  readonly ratioToW0: number;
  readonly target?: number;
  readonly met?: boolean;
  /** CPU seconds per million records in the measured phase (the records/s's). */
  readonly cpuSecPerM: number;
  readonly cpuRatioToW0: number;
  /** CPU seconds per million records, the final close (caches flushed, outputs sent and acknowledged) included. */
  readonly cpuSecPerMWithClose: number;
  readonly peakRssMiB: number;
  readonly rssRatioToW0: number;
  /** Median of the close after processing (final commit: caches flushed, outputs acknowledged), ms. */
  readonly closeMs: number;
  /** Median records/s counting the close too (everything processed and durable). */
  readonly durableRecordsPerSec: number;
  readonly kafkaStreams?: number;
}


export function parseOptions(argv: readonly string[]): KafkaBenchOptions {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value (e.g. ${name} ${name === '--only' || name === '--profile' ? 'W0,W5' : '200000'}).`);
    return v;
  };
  const count = (name: string, fallback: number, min: number) => {
    const v = value(name);
    if (v === undefined) return fallback;
    const n = Number(v.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got '${v}'.`);
    return n;
  };
  const ids = (name: string, fallback: readonly WorkloadId[]) => {
    const v = value(name);
    return v === undefined ? fallback : v.split(',').map((x) => {
      const id = workload(x.trim().toUpperCase()).id;
      if (!KAFKA_SUITE_WORKLOADS.includes(id)) throw new Error(`${id} is not in this suite (${KAFKA_SUITE_WORKLOADS.join(', ')}): run it with 'npm run bench -- kafka-streams ${id}'.`);
      return id;
    });
  };
  const known = new Set(['--records', '--runs', '--keys', '--value-bytes', '--only', '--profile', '--verbose', '--no-write', '--client']);
  for (const a of argv) if (a.startsWith('--') && !known.has(a)) throw new Error(`Unknown option '${a}' for the kafka bench: use ${[...known].join(', ')}.`);
  const only = ids('--only', KAFKA_SUITE_WORKLOADS);
  const client = value('--client') ?? 'kafkajs';
  if (client !== 'kafkajs' && client !== 'kafkats') throw new Error(`--client takes kafkajs or kafkats, got '${client}'.`);
  return {
    client,
    records: count('--records', 1_000_000, 1),
    runs: count('--runs', 3, 1),
    keys: count('--keys', 10_000, 1),
    valueBytes: count('--value-bytes', 100, 0),
    only: only.includes('W0') ? only : ['W0', ...only],
    profile: ids('--profile', []),
    verbose: argv.includes('--verbose'),
    write: !argv.includes('--no-write'),
  };
}

/** Produces the input: key `String(i % keys)`, a value of valueBytes bytes, timestamp base + i ms. */
async function load(kafka: Kafka, topic: string, o: KafkaBenchOptions, base: number): Promise<number> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const value = Buffer.alloc(o.valueBytes, 'v');
  const keyBytes = Array.from({ length: o.keys }, (_, k) => Buffer.from(String(k)));
  const started = performance.now();
  const perSend = 1000;
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < o.records; i += perSend) {
    const messages = [];
    for (let j = i; j < Math.min(o.records, i + perSend); j++) messages.push({ key: keyBytes[j % o.keys]!, value, timestamp: String(base + j) });
    const p: Promise<unknown> = producer.send({ topic, acks: -1, messages }).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= 8) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const secs = (performance.now() - started) / 1000;
  await producer.disconnect();
  return o.records / secs;
}

/** What a run must have done; a run that lost or dropped records has no figure. */
function verify(admin: Admin, w: Workload, spec: RunSpec, r: RunResult): Promise<void> {
  const output = w.output === 'every-record' || w.output === 'final-counts' ? { topic: spec.output, kind: w.output, records: spec.records } : undefined;
  return checkRun(kafkaInspector(admin, spec.brokers), {
    name: `${w.id} ${w.label} (${spec.applicationId})`, processed: spec.records,
    committed: { groupId: spec.applicationId, topics: [{ topic: spec.input, records: spec.records }] },
    ...(output === undefined ? {} : { output }),
  }, r);
}

export async function run(o: KafkaBenchOptions): Promise<KafkaBenchRow[]> {
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter((b) => b !== '');
  if (brokers.length === 0) throw new Error("The kafka bench needs a broker: set KAFKA_BROKERS=127.0.0.1:PORT ('npm run kafka -- start' prints it), or run it as 'npm run bench -- kafka', which finds or starts one.");
  const kafka = new Kafka({ clientId: 'ts-streams-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const id = randomUUID().slice(0, 8);
  const input = `bench-in-${id}`;
  const workloads = o.only.map(workload);
  const load0 = loadavg()[0]!;
  log(`kafka bench (client ${o.client}): ${fmt(o.records)} records × ${o.valueBytes} B, ${PARTITIONS} partitions, ${fmt(o.keys)} keys; ${o.runs} run(s) of ${workloads.map((w) => w.id).join(' ')}; broker ${brokers.join(',')}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  await createTopic(admin, input);
  const runs: MeasuredRun[] = [];
  const profiles: { id: WorkloadId; file: string }[] = [];
  let loadRate = 0;
  try {
    // Timestamps up to now: older ones would be past the retention of the internal topics (the windowed store's
    // changelog keeps a day), whose records the broker would then delete while the app writes them.
    loadRate = await load(kafka, input, o, Date.now() - o.records);
    log(`loaded ${input} at ${fmt(loadRate)} records/s (kafkajs producer, 1,000 per send, 8 in flight)`);
    const once = async (w: Workload, round: number, profile?: string): Promise<RunResult> => {
      const spec: RunSpec = {
        workload: w.id, brokers, input, output: `bench-out-${id}-${w.id}-${round}`, records: o.records,
        applicationId: `bench-${id}-${w.id}-${round}`, verbose: o.verbose, client: o.client, ...(profile ? { profile } : {}),
      };
      if (w.output !== 'none') await createTopic(admin, spec.output);
      try {
        const { result: r } = await runNode(spec);
        await verify(admin, w, spec, r);
        return r;
      } finally {
        await dropRun(admin, spec);
      }
    };
    for (let round = 1; round <= o.runs; round++) {
      for (const w of workloads) {
        const load1m = loadavg()[0]!;
        const r = await once(w, round);
        const m: MeasuredRun = { ...r, round, load1m, recordsPerSec: o.records / (r.processMs / 1000) };
        runs.push(m);
        log(`  run ${round} ${w.id} ${w.label}: ${fmt(m.recordsPerSec)} records/s (${(r.processMs / 1000).toFixed(2)} s, CPU ${r.cpuSeconds.toFixed(2)} s), close ${fmt(r.closeMs)} ms (CPU with it ${r.cpuSecondsWithClose.toFixed(2)} s), GC ${fmt(r.gcMs.minor)} + ${fmt(r.gcMs.major)} ms, peak RSS ${fmt(r.maxRssBytes / 2 ** 20)} MiB, start ${fmt(r.startMs)} ms${r.pendingAtProcessed > 0 ? `, ${fmt(r.pendingAtProcessed)} records unacknowledged at the end` : ''}, load ${load1m.toFixed(2)}`);
      }
    }
    for (const pid of o.profile) {
      const dir = mkdtempSync(join(tmpdir(), 'ts-streams-bench-prof-'));
      const file = join(dir, `${pid}.cpuprofile`);
      log(`  profiling ${pid} (an extra run, not measured) into ${file}`);
      await once(workload(pid), 0, file);
      profiles.push({ id: pid, file });
    }
  } finally {
    await admin.deleteTopics({ topics: [input] }).catch(() => undefined);
    await admin.disconnect();
  }
  // W0 is the adapter's own group consumer, polled as KafkaStreams polls it (raw-client-seam.ts).
  const rows = summarizeRuns(workloads, runs, o.records);
  const load1 = loadavg()[0]!;
  console.log(markdown(rows, o, { loadStart: load0, loadEnd: load1, loadRate }));
  for (const p of profiles) {
    console.log(`\n### CPU profile of ${p.id} ${workload(p.id).label} (measured phase only; ${p.file})\n`);
    console.log(summaryToMarkdown(summarizeFile(p.file, 30)));
  }
  if (o.write) {
    const date = new Date().toISOString();
    const file = join(RESULTS_DIR, `${date.slice(0, 10)}-kafka${o.client === 'kafkajs' ? '' : `-${o.client}`}.json`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(file, `${JSON.stringify({
      benchmark: 'kafka', date,
      machine: { nproc: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}` },
      options: { records: o.records, runs: o.runs, keys: o.keys, valueBytes: o.valueBytes, partitions: PARTITIONS, workloads: o.only, client: o.client },
      streamsConfig: { commitIntervalMs: 30_000, cacheMaxBytes: 10 * 1024 * 1024, maxPollRecords: 1000 },
      loadavg1m: { start: load0, end: load1 }, loadRecordsPerSec: Math.round(loadRate), rows, runs,
    }, null, 2)}\n`);
    log(`wrote ${file}`);
  }
  return rows;
}

export function summarizeRuns(workloads: readonly Workload[], runs: readonly MeasuredRun[], records: number): KafkaBenchRow[] {
  const of = (id: WorkloadId) => runs.filter((r) => r.workload === id);
  const base = of('W0');
  const w0 = { rate: median(base.map((r) => r.recordsPerSec)), cpu: median(base.map((r) => r.cpuSeconds)), rss: median(base.map((r) => r.maxRssBytes)) };
  return workloads.map((w) => {
    const rs = of(w.id);
    const rates = rs.map((r) => r.recordsPerSec);
    const rate = median(rates);
    const cpu = median(rs.map((r) => r.cpuSeconds));
    const rss = median(rs.map((r) => r.maxRssBytes));
    return {
      id: w.id, label: w.label, runs: rs.length,
      recordsPerSec: { median: Math.round(rate), min: Math.round(Math.min(...rates)), max: Math.round(Math.max(...rates)) },
      ratioToW0: rate / w0.rate,
      ...(w.targetOfW0 === undefined ? {} : { target: w.targetOfW0, met: rate / w0.rate >= w.targetOfW0 }),
      cpuSecPerM: cpu / (records / 1e6), cpuRatioToW0: cpu / w0.cpu,
      cpuSecPerMWithClose: median(rs.map((r) => r.cpuSecondsWithClose)) / (records / 1e6),
      peakRssMiB: rss / 2 ** 20, rssRatioToW0: rss / w0.rss,
      closeMs: median(rs.map((r) => r.closeMs)),
      durableRecordsPerSec: Math.round(median(rs.map((r) => records / ((r.processMs + r.closeMs) / 1000)))),
      ...(w.kafkaStreams === undefined ? {} : { kafkaStreams: w.kafkaStreams }),
    };
  });
}

function markdown(rows: readonly KafkaBenchRow[], o: KafkaBenchOptions, m: { loadStart: number; loadEnd: number; loadRate: number }): string {
  const cell = (r: KafkaBenchRow) => [
    `${r.id} ${r.label}`, fmt(r.recordsPerSec.median), `${fmt(r.recordsPerSec.min)}–${fmt(r.recordsPerSec.max)}`, r.ratioToW0.toFixed(2),
    r.target === undefined ? '' : `≥ ${r.target}`, r.met === undefined ? '' : r.met ? 'yes' : 'no',
    r.cpuSecPerM.toFixed(2), r.cpuRatioToW0.toFixed(2), fmt(r.peakRssMiB), r.rssRatioToW0.toFixed(2),
    fmt(r.closeMs), r.cpuSecPerMWithClose.toFixed(2), fmt(r.durableRecordsPerSec), r.kafkaStreams === undefined ? '' : fmt(r.kafkaStreams),
  ];
  return [
    `${fmt(o.records)} records × ${o.valueBytes} B over ${PARTITIONS} partitions (${fmt(o.keys)} integer-string keys), loaded first (${fmt(m.loadRate)} records/s);`,
    `median of ${o.runs} run(s) of each workload, interleaved, each in a process of its own; 1-minute load average ${m.loadStart.toFixed(2)} at the start,`,
    `${m.loadEnd.toFixed(2)} at the end (2 cores: above ~1.5 other work competes with the runs; compare ratios to W0, not raw figures).`,
    `Client adapter: ${o.client} (W0: the adapter's own group consumer, polled as KafkaStreams polls it, no processing).`,
    'Measured phase: partitions assigned (W0 the consumer\'s join, else KafkaStreams RUNNING) → every input record processed.',
    'CPU (user + system, all threads) and peak RSS are the run\'s own process. The close after it (final commit: caches',
    'flushed, outputs sent and acknowledged, offsets committed, group left) is timed apart; "incl. close" counts it too.',
    'KafkaStreams config: commitIntervalMs 30000, cacheMaxBytes 10 MiB, maxPollRecords 1000 (Kafka Streams\' SimpleBenchmark).',
    '',
    '| workload | records/s | min–max | ratio to W0 | target | met | CPU s / M records | CPU ratio to W0 | peak RSS MiB | RSS ratio to W0 | close ms | CPU s / M incl. close | records/s incl. close | Kafka Streams 4.4 records/s (FACTS.md) |',
    '|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${cell(r).join(' | ')} |`),
  ].join('\n');
}
