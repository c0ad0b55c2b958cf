/**
 * One measured run of one Kafka benchmark workload, in a process of its own (kafka-bench.ts spawns it), so that the
 * CPU seconds and the peak RSS it reports are the workload's alone:
 *
 *   node --conditions=@ts-streams/source --import tsx benchmarks/src/kafka-bench-run.ts '<RunSpec as JSON>'
 *
 * It prints one line `RESULT <RunResult as JSON>` on stdout. The measured phase starts when the member has its
 * partitions (W0: kafkajs's GROUP_JOIN; W1–W6: KafkaStreams#start() resolved, i.e. RUNNING) and ends when every
 * input record went through (W0: counted in eachBatch; W1–W6: the tasks' `processed` metrics, read every 5 ms).
 * Then the app closes (its final commit: caches flushed, outputs acknowledged, offsets committed), timed apart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaClient as KafkatsKafkaClient } from '@kafkats/client';
import { KafkaStreams } from '@ts-streams/runtime';
import { workload } from './kafka-workloads.ts';

export interface RunSpec {
  readonly workload: string;
  readonly brokers: readonly string[];
  readonly input: string;
  readonly output: string;
  readonly records: number;
  readonly applicationId: string;
  /** The client adapter KafkaStreams runs on, and whose batch consumer W0 is (default kafkajs). */
  readonly client?: 'kafkajs' | 'kafkats';
  /** Print the application's log to stderr. */
  readonly verbose?: boolean;
  /** Write a V8 CPU profile of the measured phase (as `node --cpu-prof` would, without the start-up) to this file. */
  readonly profile?: string;
}

export interface RunResult {
  readonly workload: string;
  readonly applicationId: string;
  /** Records that went through (must equal the records loaded). */
  readonly processed: number;
  /** Records the app dropped (late, unreadable, …): a run that dropped any has no figure. */
  readonly dropped: number;
  /** Process start → partitions assigned (RUNNING), ms: module loading, connecting, joining, opening tasks. */
  readonly startMs: number;
  /** The measured phase: assigned → every input record processed, ms. */
  readonly processMs: number;
  /** After processing: the close (final commit, outputs acknowledged, leaving the group), ms. */
  readonly closeMs: number;
  /** CPU seconds (user + system, all threads) of the measured phase. */
  readonly cpuSeconds: number;
  /** CPU seconds of the measured phase and the close. */
  readonly cpuSecondsWithClose: number;
  /** Peak resident set size of the process, bytes. */
  readonly maxRssBytes: number;
  /** Records handed to the producer and not yet acknowledged when processing ended (the sink's backlog). */
  readonly pendingAtProcessed: number;
  /** Garbage collection pauses in the measured phase, ms (minor: scavenges; major: mark-compact, incremental steps). */
  readonly gcMs: { readonly minor: number; readonly major: number };
}

const POLL_MS = 5;
/** A run whose count has not moved for this long has stalled: it fails, saying where it stood. */
const STALL_MS = 60_000;

/** The GC pauses (as Node reports them) while counting. */
class GcPauses {
  minor = 0;
  major = 0;
  #counting = false;
  readonly #observer = new PerformanceObserver((list) => {
    if (!this.#counting) return;
    for (const e of list.getEntries()) {
      const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) this.minor += e.duration;
      else this.major += e.duration;
    }
  });

  constructor() {
    this.#observer.observe({ entryTypes: ['gc'] });
  }

  start(): void {
    this.#counting = true;
  }

  /** Stops counting (entries are delivered asynchronously: a turn of the event loop first). */
  async stop(): Promise<{ minor: number; major: number }> {
    await new Promise((resolve) => setImmediate(resolve));
    this.#counting = false;
    this.#observer.disconnect();
    return { minor: this.minor, major: this.major };
  }
}

/** V8's sampling profiler over the measured phase only (module loading and joining would swamp a short run). */
class PhaseProfiler {
  #session: Session | undefined;

  constructor(private readonly file: string | undefined) {}

  async start(): Promise<void> {
    if (this.file === undefined) return;
    this.#session = new Session();
    this.#session.connect();
    await this.#session.post('Profiler.enable');
    await this.#session.post('Profiler.setSamplingInterval', { interval: 500 });
    await this.#session.post('Profiler.start');
  }

  async stop(): Promise<void> {
    if (this.#session === undefined) return;
    const { profile } = await this.#session.post('Profiler.stop');
    writeFileSync(this.file!, JSON.stringify(profile));
    this.#session.disconnect();
    this.#session = undefined;
  }
}

/**
 * W0 on @kafkats/client: its own consumer's runBatch (the kafkats adapter fetches and decodes with the same Broker and
 * record batch code, with the group membership of its own), no processing; offsets committed when it stops.
 */
async function runKafkatsRawConsumer(spec: RunSpec, profiler: PhaseProfiler): Promise<RunResult> {
  const gc = new GcPauses();
  const client = new KafkatsKafkaClient({ brokers: [...spec.brokers], clientId: spec.applicationId });
  await client.connect();
  const consumer = client.consumer({
    groupId: spec.applicationId, sessionTimeoutMs: 45_000, rebalanceTimeoutMs: 300_000, maxWaitMs: 500,
    autoOffsetReset: 'earliest', isolationLevel: 'read_uncommitted', partitionAssignmentStrategy: 'range', maxRecords: 1000,
  });
  consumer.on('error', () => undefined);
  let assigned = 0;
  let cpu0 = process.cpuUsage();
  consumer.on('partitionsAssigned', () => {
    if (assigned === 0) {
      assigned = performance.now();
      cpu0 = process.cpuUsage();
      gc.start();
      void profiler.start();
    }
  });
  let count = 0;
  let processedAt = 0;
  let reached!: () => void;
  const done = new Promise<void>((resolve) => (reached = resolve));
  const running = consumer.runBatch(spec.input, async (batch) => {
    count += batch.length;
    if (count >= spec.records && processedAt === 0) {
      processedAt = performance.now();
      reached();
    }
  }, { autoCommit: false, commitOffsets: true });
  let failed: unknown;
  running.catch((e: unknown) => (failed = e));
  let moved = { at: performance.now(), count };
  while (processedAt === 0) {
    if (failed !== undefined) throw failed;
    if (performance.now() - moved.at > STALL_MS) throw new Error(`W0: stalled at ${count} of ${spec.records} records for ${STALL_MS / 1000} s.`);
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 1000))]);
    if (count !== moved.count) moved = { at: performance.now(), count };
  }
  const cpuProcess = process.cpuUsage(cpu0);
  const gcMs = await gc.stop();
  await profiler.stop();
  // stop() commits what the handler consumed, then leaves the group.
  consumer.stop();
  await running;
  await client.disconnect();
  const closedAt = performance.now();
  const cpuAll = process.cpuUsage(cpu0);
  return {
    workload: spec.workload, applicationId: spec.applicationId, processed: count, dropped: 0,
    startMs: assigned, processMs: processedAt - assigned, closeMs: closedAt - processedAt,
    cpuSeconds: cpuSecs(cpuProcess), cpuSecondsWithClose: cpuSecs(cpuAll), maxRssBytes: maxRss(), pendingAtProcessed: 0, gcMs,
  };
}

async function runRawConsumer(spec: RunSpec, profiler: PhaseProfiler): Promise<RunResult> {
  if (spec.client === 'kafkats') return runKafkatsRawConsumer(spec, profiler);
  const gc = new GcPauses();
  // The kafkajs consumer settings the runtime's group consumer uses (kafkajs-group-consumer.ts), minus the runtime.
  const kafka = new Kafka({ clientId: spec.applicationId, brokers: [...spec.brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: spec.applicationId, sessionTimeout: 45_000, rebalanceTimeout: 300_000, heartbeatInterval: 3_000,
    maxWaitTimeInMs: 500, readUncommitted: true, allowAutoTopicCreation: false,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [spec.input], fromBeginning: true });
  let assigned = 0;
  let cpu0 = process.cpuUsage();
  consumer.on(consumer.events.GROUP_JOIN, () => {
    if (assigned === 0) {
      assigned = performance.now();
      cpu0 = process.cpuUsage();
      gc.start();
      void profiler.start();
    }
  });
  let count = 0;
  const next = new Map<number, string>();
  let reached!: () => void;
  const done = new Promise<void>((resolve) => (reached = resolve));
  let processedAt = 0;
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch }) => {
      count += batch.messages.length;
      next.set(batch.partition, String(Number(batch.lastOffset()) + 1));
      if (count >= spec.records && processedAt === 0) {
        processedAt = performance.now();
        reached();
      }
    },
  });
  let moved = { at: performance.now(), count };
  while (processedAt === 0) {
    if (performance.now() - moved.at > STALL_MS) throw new Error(`W0: stalled at ${count} of ${spec.records} records for ${STALL_MS / 1000} s.`);
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 1000))]);
    if (count !== moved.count) moved = { at: performance.now(), count };
  }
  const cpuProcess = process.cpuUsage(cpu0);
  const gcMs = await gc.stop();
  await profiler.stop();
  await consumer.commitOffsets([...next].map(([partition, offset]) => ({ topic: spec.input, partition, offset })));
  await consumer.disconnect();
  const closedAt = performance.now();
  const cpuAll = process.cpuUsage(cpu0);
  return {
    workload: spec.workload, applicationId: spec.applicationId, processed: count, dropped: 0,
    startMs: assigned, processMs: processedAt - assigned, closeMs: closedAt - processedAt,
    cpuSeconds: cpuSecs(cpuProcess), cpuSecondsWithClose: cpuSecs(cpuAll), maxRssBytes: maxRss(), pendingAtProcessed: 0, gcMs,
  };
}

async function runStreams(spec: RunSpec, profiler: PhaseProfiler): Promise<RunResult> {
  const w = workload(spec.workload);
  const stateDir = mkdtempSync(join(tmpdir(), `ts-streams-bench-${spec.workload}-`));
  try {
    const log = spec.verbose ? (line: string) => console.error(`[${spec.workload}] ${line}`) : () => undefined;
    // Kafka Streams' SimpleBenchmark settings: at-least-once, 30 s commits, a 10 MiB cache, 1,000 records per poll.
    const app = new KafkaStreams(w.topology!({ input: spec.input, output: spec.output }), {
      applicationId: spec.applicationId, bootstrapServers: spec.brokers, client: spec.client ?? 'kafkajs', stateDir,
      commitIntervalMs: 30_000, cacheMaxBytes: 10 * 1024 * 1024, maxPollRecords: 1000,
    }, { log });
    await app.start();
    const assigned = performance.now();
    const cpu0 = process.cpuUsage();
    const gc = new GcPauses();
    gc.start();
    await profiler.start();
    const totals = () => {
      const m = app.metrics();
      let processed = 0;
      let dropped = 0;
      for (const t of Object.values(m.tasks)) {
        processed += t.processed;
        dropped += t.droppedRecords;
      }
      return { processed, dropped, pending: m.pendingProducerRecords, state: m.state };
    };
    let now = totals();
    let moved = performance.now();
    while (now.processed < spec.records) {
      if (now.state === 'ERROR' || now.state === 'NOT_RUNNING') throw new Error(`${spec.workload}: the app stopped (${now.state}) after ${now.processed} of ${spec.records} records: ${String(app.error)}`);
      if (performance.now() - moved > STALL_MS) {
        throw new Error(`${spec.workload}: stalled at ${now.processed} of ${spec.records} records for ${STALL_MS / 1000} s; metrics: ${JSON.stringify(app.metrics())}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const before = now.processed;
      now = totals();
      if (now.processed !== before) moved = performance.now();
    }
    const processedAt = performance.now();
    const cpuProcess = process.cpuUsage(cpu0);
    const gcMs = await gc.stop();
    await profiler.stop();
    let closeTimer: ReturnType<typeof setTimeout> | undefined;
    const closeStalled = new Promise<never>((_, reject) => {
      closeTimer = setTimeout(() => reject(new Error(`${spec.workload}: the close did not finish in ${STALL_MS / 1000} s; metrics: ${JSON.stringify(app.metrics())}`)), STALL_MS);
    });
    await Promise.race([app.close(), closeStalled]);
    clearTimeout(closeTimer);
    const closedAt = performance.now();
    const cpuAll = process.cpuUsage(cpu0);
    if (app.state !== 'NOT_RUNNING' || app.error !== undefined) throw new Error(`${spec.workload}: the close failed (${app.state}): ${String(app.error)}`);
    return {
      workload: spec.workload, applicationId: spec.applicationId, processed: now.processed, dropped: now.dropped,
      startMs: assigned, processMs: processedAt - assigned, closeMs: closedAt - processedAt,
      cpuSeconds: cpuSecs(cpuProcess), cpuSecondsWithClose: cpuSecs(cpuAll), maxRssBytes: maxRss(), pendingAtProcessed: now.pending, gcMs,
    };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

function cpuSecs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1e6;
}

function maxRss(): number {
  return process.resourceUsage().maxRSS * 1024; // kilobytes on every platform
}

const spec = JSON.parse(process.argv[2] ?? '') as RunSpec;
const profiler = new PhaseProfiler(spec.profile);
// startMs counts from the process's start (performance's time origin), module loading included.
let result: RunResult;
try {
  result = spec.workload === 'W0' ? await runRawConsumer(spec, profiler) : await runStreams(spec, profiler);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
console.log(`RESULT ${JSON.stringify(result)}`);
// kafkajs may keep a timer or a socket alive a moment after disconnect: the parent waits on this process's exit.
process.exit(0);
