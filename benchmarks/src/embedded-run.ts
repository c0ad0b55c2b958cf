import { rmSync } from 'node:fs';
import { embeddedClientFactory, openEmbeddedLog, type EmbeddedLog } from '@ts-streams/runtime';
import { PARTITIONS } from './bench-topics.ts';
import { copyEmbeddedInput } from './embedded-input.ts';
import { checkRun, type RunInspector } from './run-checks.ts';
import type { RunPhase } from './run-phase.ts';
import type { RunResult } from './run-result.ts';
import type { EmbeddedInput, RunSpec } from './run-spec.ts';
import { runStreams } from './streams-run.ts';

/**
 * One run on ts-streams' embedded log (the suite's embedded rows: W1, W2, W5, W6 beside the Kafka figures): a copy of
 * the shape's input log (embedded-input.ts: loaded once per shape by the suite, `spec.records` records shaped as the
 * suite's input) in a directory of its own, its output topic created with the suite's 4 partitions, then the workload
 * as on Kafka (streams-run.ts: the same settings, the log's client). After the close the run is checked on the log as
 * the Kafka runs are on the broker (run-checks.ts), then the log is closed and removed.
 */
export async function runEmbedded(spec: RunSpec, input: EmbeddedInput, phase: RunPhase): Promise<RunResult> {
  const copying = performance.now();
  const dir = copyEmbeddedInput(input.template);
  try {
    const log = await openEmbeddedLog(dir, { cleanerIntervalMs: 0 });
    try {
      const held = partitionsOf(log, spec.input).reduce((n, tp) => n + log.endOffset(tp) - log.startOffset(tp), 0);
      if (held !== spec.records) throw new Error(`${spec.workload}: the copied input log holds ${held} records of ${spec.input}, not ${spec.records}.`);
      log.createTopics([{ name: spec.output, partitions: PARTITIONS, configs: {} }]);
      const inputLoadMs = performance.now() - copying;
      const result = { ...await runStreams(spec, phase, embeddedClientFactory(log)), inputLoadMs };
      const checking = performance.now();
      await checkRun(logInspector(log), input.expect, result);
      return { ...result, checkMs: performance.now() - checking };
    } finally {
      await log.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function partitionsOf(log: EmbeddedLog, topic: string): { topic: string; partition: number }[] {
  return Array.from({ length: log.describeTopic(topic)?.partitions ?? 0 }, (_, partition) => ({ topic, partition }));
}

/** The run's group offsets and outputs, read from the log. */
function logInspector(log: EmbeddedLog): RunInspector {
  const partitions = (topic: string) => partitionsOf(log, topic);
  return {
    committed: async (groupId, topic) => partitions(topic).reduce((n, tp) => n + (log.committed(groupId, tp) ?? 0), 0),
    records: async (topic) => partitions(topic).reduce((n, tp) => n + log.endOffset(tp) - log.startOffset(tp), 0),
    finalCounts: async (topic) => {
      const last = new Map<string, bigint>();
      for (const tp of partitions(topic)) {
        for (let next = log.startOffset(tp), end = log.endOffset(tp); next < end;) {
          const read = log.read(tp, next, 10_000);
          for (const r of read.records) last.set(Buffer.from(r.key!).toString('latin1'), Buffer.from(r.value!).readBigInt64BE(0));
          if (read.nextOffset === next) break;
          next = read.nextOffset;
        }
      }
      let sum = 0n;
      for (const v of last.values()) sum += v;
      return Number(sum);
    },
  };
}
