/**
 * One measured run of one Kafka benchmark workload on the Node side, in a process of its own (kafka-bench.ts and
 * kafka-streams-bench.ts spawn it), so that the CPU seconds and the peak RSS it reports are the workload's alone:
 *
 *   node --conditions=@ts-streams/source --import tsx benchmarks/src/kafka-bench-run.ts '<RunSpec as JSON>'
 *
 * It prints one line `RESULT <RunResult as JSON>` on stdout. W0, W0P and W0CP are the raw client of spec.client
 * (raw-client.ts); W1–W8 run the workload's topology on KafkaStreams with that client adapter. The measured phase
 * starts when the member has its partitions (KafkaStreams#start() resolved, i.e. RUNNING) and ends when every input
 * record went through (the tasks' `processed` metrics, read every 5 ms). Then the app closes (its final commit:
 * caches flushed, outputs acknowledged, offsets committed), timed apart.
 *
 * With `--serve` it does many runs, one after another in this process (the suite's smoke run, run-worker.ts): a
 * RunSpec per line of stdin, each answered by its `RESULT` line or a `FAILED reason` line, until stdin ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KafkaStreams } from '@ts-streams/runtime';
import { workload, type WorkloadCounters } from './kafka-workloads.ts';
import { rawClient } from './raw-client.ts';
import { RunPhase } from './run-phase.ts';
import type { RunResult } from './run-result.ts';
import type { RunSpec } from './run-spec.ts';

const POLL_MS = 5;
/** A run whose count has not moved for this long has stalled: it fails, saying where it stood. */
const STALL_MS = 60_000;

async function runStreams(spec: RunSpec, phase: RunPhase): Promise<RunResult> {
  const w = workload(spec.workload);
  const stateDir = mkdtempSync(join(tmpdir(), `ts-streams-bench-${spec.workload}-`));
  try {
    const log = spec.verbose ? (line: string) => console.error(`[${spec.workload}] ${line}`) : () => undefined;
    const counters: WorkloadCounters = { peeked: 0, matched: 0 };
    const topics = { input: spec.input, output: spec.output, ...(spec.input2 === undefined ? {} : { input2: spec.input2 }) };
    // Kafka Streams' SimpleBenchmark settings: at-least-once, 30 s commits, a 10 MiB cache, 1,000 records per poll.
    const app = new KafkaStreams(w.topology!(topics, counters), {
      applicationId: spec.applicationId, bootstrapServers: spec.brokers, stateDir, client: spec.client ?? 'kafkajs',
      commitIntervalMs: 30_000, cacheMaxBytes: 10 * 1024 * 1024, maxPollRecords: 1000,
    }, { log });
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
    // The first record may go through before start() resolves: watched from the start, until it does.
    const first = setInterval(() => {
      if (totals().processed > 0) {
        phase.firstRecord();
        clearInterval(first);
      }
    }, 1);
    let now = totals();
    try {
      await app.start();
      await phase.begin();
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
    } catch (e) {
      // A serving process (--serve) goes on to its next run: this one's app must not stay behind.
      await closeFailed(app);
      throw e;
    } finally {
      clearInterval(first);
    }
    phase.firstRecord();
    await phase.end();
    let closeTimer: ReturnType<typeof setTimeout> | undefined;
    const closeStalled = new Promise<never>((_, reject) => {
      closeTimer = setTimeout(() => reject(new Error(`${spec.workload}: the close did not finish in ${STALL_MS / 1000} s; metrics: ${JSON.stringify(app.metrics())}`)), STALL_MS);
    });
    await Promise.race([app.close(), closeStalled]);
    clearTimeout(closeTimer);
    phase.closed();
    if (app.state !== 'NOT_RUNNING' || app.error !== undefined) throw new Error(`${spec.workload}: the close failed (${app.state}): ${String(app.error)}`);
    return phase.result({
      workload: spec.workload, applicationId: spec.applicationId, processed: now.processed, dropped: now.dropped,
      pendingAtProcessed: now.pending, ...(w.input2 === 'table' ? { matched: counters.matched } : {}),
    });
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Closes a failed run's app, giving up after STALL_MS (the run's own error is what it reports). */
async function closeFailed(app: KafkaStreams): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([app.close().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, STALL_MS)))]);
  clearTimeout(timer);
}

function run(spec: RunSpec, phase: RunPhase): Promise<RunResult> {
  const w = workload(spec.workload);
  if (w.raw === undefined) return runStreams(spec, phase);
  const client = rawClient(spec.client ?? 'kafkajs');
  return w.raw === 'consume' ? client.consume(spec, phase) : w.raw === 'produce' ? client.produce(spec, phase) : client.consumeProduce(spec, phase);
}

/** `--serve`: a RunSpec per line of stdin, each answered on stdout, until stdin ends. */
async function serve(): Promise<void> {
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    try {
      const result = await run(JSON.parse(line) as RunSpec, new RunPhase(undefined));
      console.log(`RESULT ${JSON.stringify(result)}`);
    } catch (e) {
      console.log(`FAILED ${String((e as Error).message).replaceAll(/[\r\n]+/g, ' ')}`);
    }
  }
}

if (process.argv[2] === '--serve') {
  await serve();
} else {
  const spec = JSON.parse(process.argv[2] ?? '') as RunSpec;
  let result: RunResult;
  try {
    result = await run(spec, new RunPhase(spec.profile));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  console.log(`RESULT ${JSON.stringify(result)}`);
}
// kafkajs may keep a timer or a socket alive a moment after disconnect: the parent waits on this process's exit.
process.exit(0);
