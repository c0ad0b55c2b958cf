import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedClientFactory, openEmbeddedLog, type AppendRecord, type EmbeddedLog } from '@ts-streams/runtime';
import { PARTITIONS } from './bench-topics.ts';
import { KeySampler } from './key-sampler.ts';
import { checkRun, type RunInspector } from './run-checks.ts';
import type { RunPhase } from './run-phase.ts';
import type { RunResult } from './run-result.ts';
import type { EmbeddedInput, RunSpec } from './run-spec.ts';
import { runStreams } from './streams-run.ts';

/** Records per append while loading: one RocksDB write each. */
const LOAD_BATCH = 10_000;

/**
 * One run on ts-streams' embedded log (the suite's embedded rows: W1, W2, W5, W6 beside the Kafka figures): a fresh
 * log in a directory of its own, the input and output topics created with the suite's 4 partitions, `spec.records`
 * records shaped as the suite's input appended before the measured phase (integer-string keys drawn from `keys`, Zipf
 * `skew`, one random value of `valueBytes`, timestamps 1 ms apart ending about now), then the workload as on Kafka
 * (streams-run.ts: the same settings, the log's client). After the close the run is checked on the log as the Kafka
 * runs are on the broker (run-checks.ts), then the log is closed and removed.
 */
export async function runEmbedded(spec: RunSpec, input: EmbeddedInput, phase: RunPhase): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), `ts-streams-bench-embedded-${spec.workload}-`));
  const log = await openEmbeddedLog(dir, { cleanerIntervalMs: 0 });
  try {
    log.createTopics([spec.input, spec.output].map((name) => ({ name, partitions: PARTITIONS, configs: {} })));
    const loading = performance.now();
    load(log, spec, input);
    const inputLoadMs = performance.now() - loading;
    const result = { ...await runStreams(spec, phase, embeddedClientFactory(log)), inputLoadMs };
    await checkRun(logInspector(log), input.expect, result);
    return result;
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function load(log: EmbeddedLog, spec: RunSpec, input: EmbeddedInput): void {
  const keys = new KeySampler(input.keys, input.skew, input.seed);
  const keyBytes = Array.from({ length: input.keys }, (_, k) => Buffer.from(String(k)));
  const value = randomBytes(input.valueBytes);
  const base = Date.now() - spec.records;
  for (let i = 0; i < spec.records; i += LOAD_BATCH) {
    const batch: AppendRecord[] = [];
    for (let j = i; j < Math.min(spec.records, i + LOAD_BATCH); j++) batch.push({ topic: spec.input, key: keyBytes[keys.next()]!, value, timestamp: base + j, headers: [] });
    log.append(batch);
  }
}

/** The run's group offsets and outputs, read from the log. */
function logInspector(log: EmbeddedLog): RunInspector {
  const partitions = (topic: string) => Array.from({ length: log.describeTopic(topic)?.partitions ?? 0 }, (_, partition) => ({ topic, partition }));
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
