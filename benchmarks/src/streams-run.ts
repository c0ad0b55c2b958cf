import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaStreams, type ClientFactory } from '@ts-streams/runtime';
import { workload, type WorkloadCounters } from './kafka-workloads.ts';
import type { RunPhase } from './run-phase.ts';
import type { RunResult } from './run-result.ts';
import type { RunSpec } from './run-spec.ts';

const POLL_MS = 5;
/** A run whose count has not moved for this long has stalled: it fails, saying where it stood. */
const STALL_MS = 60_000;

/**
 * Runs the workload's topology on KafkaStreams with Kafka Streams' SimpleBenchmark settings until every input record
 * went through, then closes it (timed apart). On the broker with spec.client, or, given a client factory, on what it
 * makes (the embedded log).
 */
export async function runStreams(spec: RunSpec, phase: RunPhase, clientFactory?: ClientFactory): Promise<RunResult> {
  const w = workload(spec.workload);
  const stateDir = mkdtempSync(join(tmpdir(), `ts-streams-bench-${spec.workload}-`));
  try {
    const log = spec.verbose ? (line: string) => console.error(`[${spec.workload}] ${line}`) : () => undefined;
    const counters: WorkloadCounters = { peeked: 0, matched: 0 };
    const topics = { input: spec.input, output: spec.output, ...(spec.input2 === undefined ? {} : { input2: spec.input2 }) };
    // Kafka Streams' SimpleBenchmark settings: at-least-once, 30 s commits, a 10 MiB cache, 1,000 records per poll.
    // With --exactly-once: exactly_once_v2 at its own default commit interval (100 ms, as Kafka Streams').
    const app = new KafkaStreams(w.topology!(topics, counters), {
      applicationId: spec.applicationId, stateDir, ...(clientFactory === undefined ? { bootstrapServers: spec.brokers, client: spec.client ?? 'kafkajs' } : {}),
      commitIntervalMs: 30_000, cacheMaxBytes: 10 * 1024 * 1024, maxPollRecords: 1000,
      ...(spec.exactlyOnce === true ? { processingGuarantee: 'exactly_once_v2' as const, commitIntervalMs: 100 } : {}),
    }, { log, ...(clientFactory === undefined ? {} : { clientFactory }) });
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
