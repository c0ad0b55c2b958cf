import type { Admin } from 'kafkajs';
import { createTopic } from './bench-topics.ts';
import { inputRecords, type LoadedShape } from './input-loader.ts';
import type { JavaRunner } from './java-bench.ts';
import type { Workload } from './kafka-workloads.ts';
import { LatencyObserver, percentile } from './latency-observer.ts';
import type { SpawnedRun } from './run-process.ts';
import type { SuiteLatency } from './suite-results.ts';
import type { SuiteSystem } from './suite-systems.ts';

/** The fraction of a system's measured records/s its latency is measured at (issue 17: 50 %). */
export const LATENCY_LOAD = 0.5;
/** Outputs of input sent in the first second are left out: the app's tasks may still be starting. */
const WARM_UP_MS = 1000;
/** How long the app's group may take to become Stable (its members joined, partitions assigned). */
const JOIN_DEADLINE_MS = 60_000;

/** The workloads with a latency: those with an output topic to watch (W1, W3 and W4 write nothing). */
export function hasLatency(w: Workload): boolean {
  return w.topology !== undefined && w.output !== 'none';
}

/** Both stream processors commit every 30 s in the suite (SimpleBenchmark's setting). */
const COMMIT_INTERVAL_S = 30;

/**
 * How long the paced input runs for a workload. The aggregations (W5, W6, W6H) emit at commits (the 10 MiB cache
 * holds the rest): only the first commit, 30 s after the app started, emits while it runs, so their input spans it
 * and stops 3 s after — it starts once the group is Stable and the paced producer's JVM is up, so the commit falls
 * 2–5 s before the input ends (40 s before session 9: 7 s more of input, none of it measured, per run). The others
 * emit per record: 10 s (15 before session 9) give 9 s of samples after the first second, 200,000 outputs and more
 * at the rates measured here, enough for a p99.
 */
export function latencySeconds(w: Workload, override: number | undefined): number {
  return override ?? (w.output === 'final-counts' ? COMMIT_INTERVAL_S + 3 : 10);
}

/**
 * The keys of a paced input. Its records are timestamped with the wall clock, so at `rate` records/s a key recurs
 * every keys / rate seconds of event time, where the throughput input (1 ms apart) has it recur every keys ms. For
 * the stream-stream join that recurrence is the workload: at 10,000 keys and 50,000 records/s a record would meet
 * ~100 of the other side within its ±10 s window (5 M outputs for 10 s of input) instead of the throughput run's ~1.
 * So W8's paced input spreads its keys to keep the throughput input's recurrence (rate × keys / 1000); the other
 * workloads keep the suite's keys (what they emit does not grow with it the same way).
 */
export function pacedKeys(w: Workload, rate: number, keys: number): number {
  return w.input2 === 'stream' ? Math.max(keys, Math.round((rate * keys) / 1000)) : keys;
}

export interface LatencyDeps {
  readonly admin: Admin;
  readonly brokers: readonly string[];
  readonly java: JavaRunner;
  /** Topic names' prefix (the suite's run id). */
  readonly prefix: string;
  readonly keys: number;
  /** Notes how long a step of the run took (the suite's time ledger). */
  readonly step?: (name: string, ms: number) => void;
  /** The suite's runApp: the app launched, `alongside` run beside it, its outputs checked (W8's pairs not). */
  runApp<T>(w: Workload, sys: SuiteSystem, s: LoadedShape, opts: {
    readonly tag: string;
    readonly checkPairs: false;
    readonly alongside: (app: { readonly appId: string; readonly output: string; readonly run: Promise<SpawnedRun> }) => Promise<T>;
  }): Promise<{ run: SpawnedRun; alongside: T | undefined }>;
}

/**
 * One latency run of a workload on a system (after the throughput runs): a fresh app on fresh input topics, the
 * input written by the Java producer at LATENCY_LOAD × the system's measured records/s (`maxRate`, every input
 * topic's records) for `seconds`, each record timestamped with the wall clock when sent; an observer in this process
 * reads the output as it arrives. Latency = arrival − the output's timestamp (the input record's that caused it), over
 * the outputs that arrived before the app had processed its whole input (the close's final flush is not a latency
 * of the running app) and whose input came after the first second. The run's outputs are checked as a measured run's
 * (W8's pairs excepted: wall-clock timestamps make them unknown beforehand).
 */
export async function latencyRun(d: LatencyDeps, w: Workload, sys: SuiteSystem, s: LoadedShape, maxRate: number, seconds: number): Promise<SuiteLatency> {
  const tag = `lat-${sys.id.replace('/', '-')}-${w.id}-${s.shape.id}`.toLowerCase();
  let t0 = performance.now();
  const step = (name: string) => {
    const t = performance.now();
    d.step?.(name, t - t0);
    t0 = t;
  };
  const offered = maxRate * LATENCY_LOAD;
  // W8's second stream gets every second record: its input rate is 1.5 × the first stream's.
  const rate = w.input2 === 'stream' ? offered / 1.5 : offered;
  const records = Math.max(1, Math.round(rate * seconds));
  const input = { topic: `${d.prefix}-${tag}-in`, records };
  const right = w.input2 === 'stream' ? { topic: `${d.prefix}-${tag}-right`, records: Math.ceil(records / 2) } : s.right;
  await createTopic(d.admin, input.topic);
  if (w.input2 === 'stream') await createTopic(d.admin, right.topic);
  step('create the input topics');
  try {
    const paced: LoadedShape = { ...s, input, right };
    const { alongside } = await d.runApp(w, sys, paced, {
      tag, checkPairs: false,
      alongside: async ({ appId, output, run }) => {
        step('create the output topic');
        const observer = await LatencyObserver.start(d.brokers, d.admin, output);
        step('start the observer');
        try {
          await joined(d.admin, appId, run);
          step('app spawned → its group Stable');
          const sent = await d.java<{ firstRecordAtEpochMs: number; sent: number }>('paced', {
            brokers: d.brokers.join(','), workload: w.id, topic: input.topic, ...(w.input2 === 'stream' ? { topic2: right.topic } : {}),
            records, rate, keys: pacedKeys(w, rate, d.keys), skew: s.shape.skew, seed: 23, 'timestamp-base': 0, 'value-bytes': s.shape.valueBytes,
          });
          step('paced input (JVM start, sending, flush)');
          const { result } = await run;
          step('paced input sent → app processed, closed, exited');
          const until = result.processedAtEpochMs ?? Date.now();
          return { latencies: observer.latencies(sent.result.firstRecordAtEpochMs + WARM_UP_MS, until), outputs: observer.records };
        } finally {
          await observer.stop();
          step('stop the observer');
        }
      },
    });
    step('check the output, delete the run\'s topics');
    const l = alongside!.latencies;
    return {
      shape: s.shape.id, workload: w.id, system: sys.id, ratePerSec: Math.round(offered), seconds, records: inputRecords(w, paced),
      outputs: alongside!.outputs, samples: l.length, ...(l.length === 0 ? {} : { p50Ms: percentile(l, 50), p99Ms: percentile(l, 99) }),
    };
  } finally {
    // runApp dropped them already when they are named after the app (`<applicationId>-in`): deleting a topic the
    // broker no longer has costs kafkajs 6–12 s of retries (each latency run spent them until session 9).
    const left = (await d.admin.listTopics()).filter((t) => t === input.topic || (w.input2 === 'stream' && t === right.topic));
    if (left.length > 0) await d.admin.deleteTopics({ topics: left }).catch(() => undefined);
    step('delete the input topics');
  }
}

/** Waits until the app's group is Stable with a member (its partitions assigned); fails if the app ends first. */
async function joined(admin: Admin, groupId: string, run: Promise<unknown>): Promise<void> {
  let ended = false;
  run.then(() => (ended = true), () => (ended = true));
  const deadline = Date.now() + JOIN_DEADLINE_MS;
  for (;;) {
    const { groups } = await admin.describeGroups([groupId]);
    if (groups[0]?.state === 'Stable' && groups[0].members.length > 0) return;
    if (ended) throw new Error(`${groupId}: the app ended before its group was Stable.`);
    if (Date.now() > deadline) throw new Error(`${groupId}: its group was not Stable within ${JOIN_DEADLINE_MS / 1000} s (${groups[0]?.state ?? 'no group'}).`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
