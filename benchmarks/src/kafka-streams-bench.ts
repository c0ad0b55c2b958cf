/**
 * `npm run bench -- kafka-streams [W5 W6 …] [options]` (suite-options.ts lists them): ts-streams beside Kafka Streams
 * 4.4.0 and the raw clients, on the same local broker, the same input, in one run (issue 17).
 *
 * Per data shape (default: uniform keys, 100 B values; --matrix: Zipf 0.99 and 1 KiB values too) the input is loaded
 * once by Kafka's Java producer (input-loader.ts: 2,000,000 records over 4 partitions, W8's second stream, W7's
 * table). Then, --runs times, interleaved (each workload on each system in turn, then again), each run in a process
 * of its own with a fresh application id, state directory and output topic: Kafka Streams (benchmarks/kafka-streams,
 * a JVM per run) and ts-streams per client adapter (kafka-bench-run.ts) on W1–W8, Kafka's Java clients and each
 * adapter's client library on W0 (consume), W0P (produce), W0CP (consume → produce). After each run its output is
 * checked (run-checks.ts); a run that lost, dropped or doubled records has no figure, and the suite goes on.
 * Writes benchmarks/results/<date>-kafka-streams.json, RESULTS.md's generated section and the chart (SVG).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { javaCommand } from '../../scripts/kafka/tools.ts';
import { PARTITIONS, createTopic, dropRun, topicRecords } from './bench-topics.ts';
import { meanKeyBytes } from './data-shapes.ts';
import { loadEmbeddedInput, type EmbeddedInputTemplate } from './embedded-input.ts';
import { inputRecords, loadShape, type LoadedShape } from './input-loader.ts';
import { hasLatency, latencyRun, latencySeconds, LATENCY_LOAD } from './latency-phase.ts';
import { summarizeFile, summaryToMarkdown } from './cpu-profile-summary.ts';
import { buildJavaBench, javaProcesses, javaWorker, type JavaRunner } from './java-bench.ts';
import { workload, type Workload } from './kafka-workloads.ts';
import { resultsChart } from './results-chart.ts';
import { replaceSection, resultsMarkdown } from './results-markdown.ts';
import { checkRun, kafkaInspector, sumOfFinalCounts, type RunExpectation } from './run-checks.ts';
import { nodeWorker, runNode, type SpawnedRun } from './run-process.ts';
import type { RunSpec } from './run-spec.ts';
import type { SuiteFailure, SuiteLatency, SuiteResults, SuiteRun, SuiteShape } from './suite-results.ts';
import type { SuiteOptions } from './suite-options.ts';
import { summarize } from './suite-summary.ts';
import { runsWorkload, suiteSystems, type SuiteSystem } from './suite-systems.ts';
import { log } from './bench-format.ts';
import { PHASES, TimeLedger, timingLines } from './time-ledger.ts';

const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = join(BENCH_DIR, 'results');
const RESULTS_MD = join(BENCH_DIR, 'RESULTS.md');
/** The latest chart, beside RESULTS.md (each run's is also kept in results/). */
const CHART = join(BENCH_DIR, 'kafka-streams-chart.svg');

export const SETTINGS =
  'Both stream processors: 1 stream thread (ts-streams: one process), at-least-once, commit interval 30 s, a 10 MiB record cache, ' +
  'max.poll.records 1000 (Kafka Streams\' SimpleBenchmark), a fresh application id and state directory per run, RocksDB stores; the JVM with its ' +
  'default options (BENCH_JAVA_OPTS adds some). Measured phase: partitions assigned (RUNNING; raw clients: assigned or first send) → every input ' +
  'record processed (Kafka Streams: its process-total metric; ts-streams: its tasks\' processed counts); the close after it (final commit) is timed ' +
  'apart. CPU seconds (all threads) and peak RSS are the run\'s own process. Outputs checked after each run: W2, W7 and the raw produce runs every ' +
  'record, W5/W6/W6H final counts summing to the input (W6H: twice, two windows per record), W7 every order matched, W8 exactly the pairs of the ' +
  'generated input. W4 fetches the record\'s own key over ±1 s (SimpleBenchmark\'s key range ±10 means nothing over string keys); W8 is an inner join ' +
  'of the input with a second stream of half as many records over the same time (JoinWindows 10 s, 1 minute grace).';

const int = (n: number) => Math.round(n).toLocaleString('en-US');

interface Context {
  readonly o: SuiteOptions;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly brokers: readonly string[];
  /** The Java program's runs: a JVM each, or (smoke) one JVM for all. */
  readonly java: JavaRunner;
  /** The Node runs: a process each, or (smoke) one process for all. */
  readonly node: (spec: RunSpec) => Promise<SpawnedRun>;
  readonly id: string;
  /** Where the time goes (time-ledger.ts): the progress log's and the results file's summary. */
  readonly time: TimeLedger;
  /** Per data shape, the embedded rows' input: a closed log each embedded run copies (embedded-input.ts). */
  readonly embeddedInputs: Map<string, EmbeddedInputTemplate>;
}

function expectation(w: Workload, sys: SuiteSystem, s: LoadedShape, appId: string, output: string): RunExpectation {
  const processed = inputRecords(w, s);
  const second = w.input2 === 'table' ? s.table : w.input2 === 'stream' ? s.right : undefined;
  const streams = sys.kind === 'kafka-streams' || sys.kind === 'ts-streams' || sys.kind === 'embedded';
  const outputRecords = w.output === 'final-counts' ? s.input.records * (w.windowsPerRecord ?? 1) : w.output === 'join-pairs' ? s.joinPairs : s.input.records;
  return {
    name: `${w.id} ${w.label} on ${sys.label} (${s.shape.id}, ${appId})`,
    processed,
    ...(streams ? { committed: { groupId: appId, topics: [s.input, ...(second === undefined ? [] : [second])].map((t) => ({ topic: t.topic, records: t.records })) } } : {}),
    ...(w.output === 'none' ? {} : { output: { topic: output, kind: w.output, records: outputRecords } }),
    ...(w.input2 === 'table' ? { matched: s.input.records } : {}),
  };
}

/** How runApp runs one workload on one system. */
interface RunOptions<T> {
  /** Names the run's application id and output topic. */
  readonly tag: string;
  /**
   * Runs beside the app, from its launch until it settles (the latency phase's observer and paced producer), given
   * the app's application id, output topic and the run itself; its value comes back with the run.
   */
  readonly alongside?: (app: { readonly appId: string; readonly output: string; readonly run: Promise<SpawnedRun> }) => Promise<T>;
  /** W8's output checked against the pairs of the input: known for the loaded input only (default true). */
  readonly checkPairs?: boolean;
  /** A ts-streams run's CPU profile of its measured phase goes to this file (--profile). */
  readonly profile?: string;
}

/** A run's own phases, from its process's spawn to its exit (`exitedAt`, epoch ms), in seconds, for its progress line. */
interface RunTimes {
  readonly ready: number;
  readonly process: number;
  readonly close: number;
  readonly exit: number;
  readonly embeddedLoad?: number;
  /** Checking its output (after the process exited; an embedded run's in its process). */
  readonly check?: number;
}

/**
 * Splits a run's process life into its phases (spawn → measured phase → processed → closed → exited) from the times
 * it reports, and adds them to the ledger unless it is a latency or profile run (counted whole under theirs).
 */
function runTimes(c: Context, { result: r, spawnedAtEpochMs }: SpawnedRun, exitedAt: number, account: boolean): RunTimes {
  const processed = r.processedAtEpochMs ?? exitedAt;
  const begun = processed - r.processMs;
  const t: RunTimes = {
    ready: (begun - spawnedAtEpochMs - (r.inputLoadMs ?? 0)) / 1000, process: r.processMs / 1000, close: r.closeMs / 1000,
    exit: (exitedAt - processed - r.closeMs - (r.checkMs ?? 0)) / 1000, ...(r.inputLoadMs === undefined ? {} : { embeddedLoad: r.inputLoadMs / 1000 }),
    ...(r.checkMs === undefined ? {} : { check: r.checkMs / 1000 }),
  };
  if (account) {
    c.time.add(PHASES.ready, t.ready * 1000);
    c.time.add(PHASES.process, t.process * 1000);
    c.time.add(PHASES.close, t.close * 1000);
    c.time.add(PHASES.exit, t.exit * 1000);
    if (t.embeddedLoad !== undefined) c.time.add(PHASES.embeddedLoad, t.embeddedLoad * 1000);
    // An embedded run checks its output in its own process (only it can read its log), after the close.
    if (r.checkMs !== undefined) {
      c.time.add(PHASES.between, r.checkMs);
      c.time.add(PHASES.check, r.checkMs, PHASES.between);
    }
  }
  return t;
}

const secs = (s: number) => `${s.toFixed(1)} s`;

/** One run in a process of its own (or the smoke run's worker), checked after it; its topics and group dropped. */
async function runApp<T = undefined>(c: Context, w: Workload, sys: SuiteSystem, s: LoadedShape, opts: RunOptions<T>): Promise<{ run: SpawnedRun; alongside: T | undefined; times: RunTimes }> {
  const appId = `ksb-${c.id}-${opts.tag}`;
  const output = `${appId}-out`;
  const account = opts.alongside === undefined && opts.profile === undefined;
  if (sys.kind === 'embedded') {
    // Its own log, a copy of the shape's input log: its outputs checked there, by its process (embedded-run.ts).
    const template = c.embeddedInputs.get(s.shape.id);
    if (template === undefined) throw new Error(`${w.id} on ${sys.label}: no embedded input log was loaded for ${s.shape.id}.`);
    const run = await c.node({
      workload: w.id, brokers: [], input: template.topic, output, records: inputRecords(w, s), applicationId: appId, verbose: c.o.verbose,
      embedded: { template: template.dir, expect: expectation(w, sys, s, appId, output) },
    });
    return { run, alongside: undefined, times: runTimes(c, run, Date.now(), account) };
  }
  const input2 = w.input2 === 'table' ? s.table.topic : w.input2 === 'stream' ? s.right.topic : undefined;
  const brokers = c.brokers.join(',');
  let betweenMs = 0;
  const between = (phase: string, ms: number) => {
    if (!account) return;
    betweenMs += ms;
    c.time.add(phase, ms, PHASES.between);
  };
  let t0 = performance.now();
  if (w.output !== 'none') await createTopic(c.admin, output);
  between(PHASES.create, performance.now() - t0);
  const stateDir = mkdtempSync(join(tmpdir(), `ksb-${w.id}-`));
  try {
    let running: Promise<SpawnedRun>;
    if (sys.kind === 'kafka-streams') {
      running = c.java('streams', {
        brokers, workload: w.id, 'application-id': appId, 'state-dir': stateDir, input: s.input.topic, output,
        records: inputRecords(w, s), ...(input2 === undefined ? {} : { input2 }),
      });
    } else if (sys.kind === 'java-client') {
      running = w.raw === 'produce'
        ? c.java('produce', {
          brokers, workload: w.id, topic: output, records: s.input.records, keys: c.o.keys, skew: s.shape.skew, seed: 99,
          'timestamp-base': Date.now() - s.input.records, 'value-bytes': s.shape.valueBytes,
        })
        : c.java(w.raw === 'consume' ? 'consume' : 'consume-produce', { brokers, workload: w.id, input: s.input.topic, records: s.input.records, output });
    } else {
      running = c.node({
        workload: w.id, brokers: c.brokers, input: s.input.topic, output, records: inputRecords(w, s), applicationId: appId,
        client: sys.client!, verbose: c.o.verbose, ...(c.o.exactlyOnce ? { exactlyOnce: true } : {}), ...(input2 === undefined ? {} : { input2 }), ...(opts.profile === undefined ? {} : { profile: opts.profile }),
        ...(w.raw === 'produce' ? { produce: { keys: c.o.keys, skew: s.shape.skew, valueBytes: s.shape.valueBytes, seed: 99, timestampBase: Date.now() - s.input.records } } : {}),
      });
    }
    let exitedAt = 0;
    const [run, alongside] = await Promise.all([running.finally(() => (exitedAt = Date.now())), opts.alongside?.({ appId, output, run: running })]);
    const times = runTimes(c, run, exitedAt, account);
    // The Java raw clients use no group: nothing of theirs is committed, and their application id is empty.
    const e = expectation(w, sys, s, sys.kind === 'java-client' ? '' : appId, output);
    const { output: _, ...withoutOutput } = e;
    t0 = performance.now();
    try {
      await checkRun(kafkaInspector(c.admin, c.brokers, (topic) => finalCounts(c, topic), c.o.exactlyOnce && sys.kind === 'ts-streams'), opts.checkPairs === false && w.output === 'join-pairs' ? withoutOutput : e, run.result);
    } finally {
      between(PHASES.check, performance.now() - t0);
    }
    return { run, alongside, times: { ...times, check: (performance.now() - t0) / 1000 } };
  } finally {
    t0 = performance.now();
    rmSync(stateDir, { recursive: true, force: true });
    await dropRun(c.admin, { applicationId: appId, output });
    between(PHASES.cleanup, performance.now() - t0);
    if (account) c.time.add(PHASES.between, betweenMs);
  }
}

/** Above this many output records a count topic is read by the Java program (a JVM start is ~0.5 s; Node reads small topics in 0.1 s). */
const JAVA_COUNTS_ABOVE = 200_000;

/** A count topic's final counts summed: W6H's millions of records by the Java program, W5's and W6's tens of thousands here. */
async function finalCounts(c: Context, topic: string): Promise<number> {
  if (await topicRecords(c.admin, topic) <= JAVA_COUNTS_ABOVE) return sumOfFinalCounts(c.admin, topic, c.brokers);
  return (await c.java<{ sum: number }>('final-counts', { brokers: c.brokers.join(','), topic })).result.sum;
}

async function runOnce(c: Context, w: Workload, sys: SuiteSystem, s: LoadedShape, round: number, profile?: string): Promise<SpawnedRun & { times: RunTimes }> {
  const tag = `${sys.id.replace('/', '-')}-${w.id}-${s.shape.id}-${round}`.toLowerCase();
  const { run, times } = await runApp(c, w, sys, s, { tag, ...(profile === undefined ? {} : { profile }) });
  return { ...run, times };
}

/**
 * After a shape's throughput runs: each workload with an output on each stream processor once more, its input
 * written at half its median records/s (latency-phase.ts), its end-to-end latency kept. A run that fails has no
 * latency figure, and the phase goes on.
 */
async function latencyPhase(
  c: Context, shape: SuiteShape & { meanKeyBytes: number }, loaded: LoadedShape, workloads: readonly Workload[], systems: readonly SuiteSystem[],
  runs: readonly SuiteRun[], failures: readonly SuiteFailure[], out: SuiteLatency[], started: number,
): Promise<void> {
  const { rows } = summarize([shape], workloads, systems, runs, failures);
  const streams = systems.filter((s) => s.kind === 'kafka-streams' || s.kind === 'ts-streams');
  const todo = workloads.filter((w) => hasLatency(w) && shape.skipped?.[w.id] === undefined);
  let done = 0;
  for (const w of todo) {
    for (const sys of streams) {
      done++;
      const seconds = latencySeconds(w, c.o.latencySeconds);
      const prefix = `[latency ${done}/${todo.length * streams.length}, ${((performance.now() - started) / 60_000).toFixed(1)} min] ${shape.id} ${w.id} ${sys.label}`;
      const max = rows.find((r) => r.workload === w.id && r.system === sys.id)?.recordsPerSec?.median;
      const none = { shape: shape.id, workload: w.id, system: sys.id, ratePerSec: 0, seconds, records: 0, outputs: 0, samples: 0 };
      if (max === undefined) {
        out.push({ ...none, reason: 'no records/s figure to pace the input at' });
        log(`${prefix}: NO LATENCY — no records/s figure to pace the input at`);
        continue;
      }
      const t0 = performance.now();
      try {
        const l = await c.time.time(`${PHASES.latency}: ${sys.label}`, () => latencyRun({
          admin: c.admin, brokers: c.brokers, java: c.java, prefix: `ksb-${c.id}`, keys: c.o.keys,
          step: (name, ms) => c.time.add(`${PHASES.latency}: step: ${name}`, ms, PHASES.latency),
          runApp: async (wl, s, sh, opts) => runApp(c, wl, s, sh, opts),
        }, w, sys, loaded, max, seconds));
        out.push(l.samples === 0 ? { ...l, reason: `no output arrived while the app ran (${int(l.outputs)} after)` } : l);
        log(`${prefix}: ${int(l.ratePerSec)} records/s (${Math.round(LATENCY_LOAD * 100)} % of ${int(max)}) for ${seconds} s: ` +
          (l.samples === 0 ? `no output while running (${int(l.outputs)} at the close)` : `p50 ${int(l.p50Ms!)} ms, p99 ${int(l.p99Ms!)} ms over ${int(l.samples)} outputs`) +
          `; the run took ${secs((performance.now() - t0) / 1000)}`);
      } catch (e) {
        const reason = (e as Error).message;
        out.push({ ...none, ratePerSec: Math.round(max * LATENCY_LOAD), reason });
        log(`${prefix}: NO LATENCY — ${reason}`);
      }
    }
  }
}

/** Runs the suite and writes its results (unless --no-write). */
export async function run(o: SuiteOptions, brokers: readonly string[]): Promise<SuiteResults> {
  const started = performance.now();
  const load0 = loadavg()[0]!;
  const workloads = o.workloads.map(workload);
  const systems = suiteSystems(o.systems, o.clients);
  log(`kafka-streams bench: ${workloads.map((w) => w.id).join(' ')} on ${systems.map((s) => s.label).join(', ')}; ${int(o.records)} records per shape (${o.shapes.map((s) => s.id).join(', ')}), ${o.runs} run(s); broker ${brokers.join(',')}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const time = new TimeLedger();
  const classpath = await time.time(PHASES.build, () => buildJavaBench(log));
  const kafka = new Kafka({ clientId: 'ts-streams-bench', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  // The smoke run measures nothing: a JVM and a Node process do all its runs, saving a start per run.
  const workers = o.smoke ? { java: javaWorker(classpath), node: nodeWorker() } : undefined;
  const c: Context = {
    o, kafka, admin, brokers, id: randomUUID().slice(0, 8), time, embeddedInputs: new Map(),
    java: workers?.java.run ?? javaProcesses(classpath), node: workers?.node.run ?? runNode,
  };
  const runs: SuiteRun[] = [];
  const profiles: { title: string; file: string }[] = [];
  const failures: SuiteFailure[] = [];
  const latency: SuiteLatency[] = [];
  const shapes: (SuiteShape & { meanKeyBytes: number })[] = [];
  const perShape = workloads.reduce((n, w) => n + systems.filter((s) => runsWorkload(s, w)).length, 0) * o.runs;
  const total = perShape * o.shapes.length;
  let done = 0;
  try {
    for (const shape of o.shapes) {
      const loaded = await time.time(PHASES.load, () => loadShape(shape, { admin, java: c.java, brokers, prefix: `ksb-${c.id}`, records: o.records, keys: o.keys, log }));
      if (systems.some((sys) => sys.kind === 'embedded') && workloads.some((w) => systems.some((sys) => sys.kind === 'embedded' && runsWorkload(sys, w)))) {
        // The embedded rows' input, generated as the Kafka input is (the suite's keys, skew and values), once per shape.
        const template = await time.time(PHASES.embeddedTemplate, () => loadEmbeddedInput({
          topic: loaded.input.topic, records: loaded.input.records, keys: o.keys, skew: shape.skew, valueBytes: shape.valueBytes, seed: 17,
        }));
        c.embeddedInputs.set(shape.id, template);
        log(`loaded ${shape.id} into an embedded log in ${secs(time.seconds(PHASES.embeddedTemplate))} (each embedded run copies it)`);
      }
      // Under Zipf 0.99 the hottest key holds ~10 % of each stream: its 10 s join would emit hundreds of millions of pairs.
      const skipped: SuiteShape['skipped'] = loaded.joinPairs > 10 * o.records
        ? { W8: `the generated input has ${int(loaded.joinPairs)} join pairs (more than 10 per input record: the hottest keys of a skewed input join with thousands of records each), not a figure of the join's own cost.` }
        : {};
      shapes.push({
        id: shape.id, label: shape.label, valueBytes: shape.valueBytes, skew: shape.skew, records: o.records, joinPairs: loaded.joinPairs,
        loadRecordsPerSec: Math.round(loaded.loadRecordsPerSec), ...(Object.keys(skipped).length > 0 ? { skipped } : {}), meanKeyBytes: meanKeyBytes(o.keys, shape.skew),
      });
      try {
        for (let round = 1; round <= o.runs; round++) {
          for (const w of workloads) {
            for (const sys of systems.filter((s) => runsWorkload(s, w))) {
              done++;
              if (skipped[w.id] !== undefined) continue;
              const load1m = loadavg()[0]!;
              const prefix = `[${done}/${total}, ${((performance.now() - started) / 60_000).toFixed(1)} min] ${shape.id} run ${round} ${w.id} ${sys.label}`;
              try {
                const { result: r, spawnedAtEpochMs, times: t } = await runOnce(c, w, sys, loaded, round);
                const m: SuiteRun = {
                  ...r, shape: shape.id, system: sys.id, round, load1m, recordsPerSec: r.processed / (r.processMs / 1000),
                  ...(r.firstRecordAtEpochMs === undefined ? {} : { startupMs: r.firstRecordAtEpochMs - spawnedAtEpochMs - (r.inputLoadMs ?? 0) }),
                };
                runs.push(m);
                const phases = `spawn → measured ${secs(t.ready)}, processing ${secs(t.process)}, close ${secs(t.close)}, exit ${secs(t.exit)}${t.check === undefined ? '' : `, check ${secs(t.check)}`}`;
                if (o.smoke) log(`${prefix}: output checked (${phases})`);
                else log(`${prefix}: ${int(m.recordsPerSec)} records/s (${(r.processMs / 1000).toFixed(2)} s, CPU ${r.cpuSeconds.toFixed(2)} s), close ${int(r.closeMs)} ms, peak RSS ${int(r.maxRssBytes / 2 ** 20)} MiB${m.startupMs === undefined ? '' : `, start-up ${(m.startupMs / 1000).toFixed(2)} s`}${r.inputLoadMs === undefined ? '' : ` (input loaded into the log in ${(r.inputLoadMs / 1000).toFixed(1)} s before)`}, load ${load1m.toFixed(2)}; ${phases}`);
              } catch (e) {
                const reason = (e as Error).message;
                failures.push({ shape: shape.id, workload: w.id, system: sys.id, round, reason });
                log(`${prefix}: NO FIGURE — ${reason}`);
              }
            }
          }
        }
        for (const w of c.o.profile.map(workload)) {
          for (const sys of systems.filter((s) => s.kind === 'ts-streams')) {
            if (skipped[w.id] !== undefined) continue;
            const file = join(mkdtempSync(join(tmpdir(), 'ksb-prof-')), `${w.id}-${sys.client}.cpuprofile`);
            log(`${shape.id} profiling ${w.id} on ${sys.label} (an extra run, not measured) into ${file}`);
            try {
              const { result: r } = await time.time(PHASES.profile, () => runOnce(c, w, sys, loaded, 0, file));
              profiles.push({ title: `${w.id} ${w.label} on ${sys.label} (${shape.id}; ${int(r.processed / (r.processMs / 1000))} records/s, ${((r.cpuSeconds / r.processed) * 1e6).toFixed(2)} CPU s per million records, while profiled)`, file });
            } catch (e) {
              log(`${shape.id} profiling ${w.id} on ${sys.label}: NO PROFILE — ${(e as Error).message}`);
            }
          }
        }
        if (o.latency) await latencyPhase(c, shapes.at(-1)!, loaded, workloads, systems, runs, failures, latency, started);
      } finally {
        await admin.deleteTopics({ topics: [loaded.input.topic, loaded.right.topic, loaded.table.topic] }).catch(() => undefined);
        c.embeddedInputs.get(shape.id)?.remove();
      }
    }
  } finally {
    await admin.disconnect();
    await Promise.all([workers?.java.close(), workers?.node.close()]);
  }
  for (const p of profiles) {
    console.log(`\n### CPU profile of ${p.title}: ${p.file}\n`);
    console.log(summaryToMarkdown(summarizeFile(p.file, 30)));
  }
  const timing = time.summary();
  for (const line of timingLines(timing)) log(line);
  const { rows, ratios } = summarize(shapes, workloads, systems, runs, failures);
  const results: SuiteResults = {
    benchmark: 'kafka-streams', date: new Date().toISOString(),
    machine: { nproc: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, java: javaVersion(), platform: `${process.platform}-${process.arch}` },
    options: { records: o.records, runs: o.runs, keys: o.keys, partitions: PARTITIONS, workloads: o.workloads },
    settings: SETTINGS, loadavg1m: { start: load0, end: loadavg()[0]! }, durationSec: Math.round((performance.now() - started) / 1000),
    shapes: shapes.map(({ meanKeyBytes: _, ...s }) => s), systems, rows, ratios, failures, runs,
    ...(o.latency ? { latency } : {}), timing,
  };
  if (o.write) {
    const file = join(RESULTS_DIR, `${results.date.slice(0, 10)}-kafka-streams.json`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    log(`wrote ${relative(process.cwd(), file)}`);
    writeReport(results);
  } else if (o.smoke) {
    log(`kafka-streams smoke run: ${runs.length} runs' outputs checked, ${failures.length} failed, in ${results.durationSec} s`);
  } else {
    console.log(resultsMarkdown(results, basename(CHART)));
  }
  return results;
}

/** Regenerates RESULTS.md's section and the chart from a results file (`--report FILE`, or after a run). */
export function writeReport(results: SuiteResults): void {
  writeFileSync(CHART, resultsChart(results));
  writeFileSync(join(RESULTS_DIR, `${results.date.slice(0, 10)}-kafka-streams.svg`), resultsChart(results));
  writeFileSync(RESULTS_MD, replaceSection(readFileSync(RESULTS_MD, 'utf8'), resultsMarkdown(results, basename(CHART))));
  log(`wrote ${relative(process.cwd(), RESULTS_MD)} and ${relative(process.cwd(), CHART)}`);
}

export function readResults(file: string): SuiteResults {
  const r = JSON.parse(readFileSync(file, 'utf8')) as SuiteResults;
  if (r.benchmark !== 'kafka-streams') throw new Error(`${file} is not a kafka-streams results file (its benchmark is '${String(r.benchmark)}').`);
  return r;
}

/** `java -version`'s first line (it prints on stderr). */
function javaVersion(): string {
  const r = spawnSync(javaCommand(), ['-version'], { encoding: 'utf8' });
  return `${r.stderr ?? ''}${r.stdout ?? ''}`.split('\n')[0]?.trim() || 'java (version unknown)';
}
