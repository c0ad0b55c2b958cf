import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openEmbeddedLog, type AppendRecord } from '@ts-streams/runtime';
import { PARTITIONS } from './bench-topics.ts';
import { KeySampler } from './key-sampler.ts';

/** Records per append while loading: one RocksDB write each. */
const LOAD_BATCH = 10_000;

/** How the embedded rows' input is generated: the suite's shape (integer-string keys over `keys`, Zipf `skew`). */
export interface EmbeddedInputShape {
  readonly topic: string;
  readonly records: number;
  readonly keys: number;
  readonly skew: number;
  readonly valueBytes: number;
  readonly seed: number;
}

/**
 * A closed embedded log holding a shape's input, loaded once (the suite does it per data shape, before the runs): each
 * embedded run copies it (copyEmbeddedInput) instead of appending its 2,000,000 records again. `dir` is the state
 * directory (the log lives in its `.log`); remove() deletes it.
 */
export interface EmbeddedInputTemplate {
  readonly dir: string;
  readonly topic: string;
  readonly records: number;
  remove(): void;
}

/**
 * Creates a fresh log, its input topic with the suite's 4 partitions, and appends `records` records shaped as the
 * suite's input (keys drawn from `keys` with `skew`, one random value of `valueBytes`, timestamps 1 ms apart ending
 * about now), then closes it: its RocksDB files are closed and whole, so a copy of the directory is the same log.
 */
export async function loadEmbeddedInput(input: EmbeddedInputShape): Promise<EmbeddedInputTemplate> {
  const dir = mkdtempSync(join(tmpdir(), 'ts-streams-bench-embedded-input-'));
  const log = await openEmbeddedLog(dir, { cleanerIntervalMs: 0 });
  try {
    log.createTopics([{ name: input.topic, partitions: PARTITIONS, configs: {} }]);
    const keys = new KeySampler(input.keys, input.skew, input.seed);
    const keyBytes = Array.from({ length: input.keys }, (_, k) => Buffer.from(String(k)));
    const value = randomBytes(input.valueBytes);
    const base = Date.now() - input.records;
    for (let i = 0; i < input.records; i += LOAD_BATCH) {
      const batch: AppendRecord[] = [];
      for (let j = i; j < Math.min(input.records, i + LOAD_BATCH); j++) batch.push({ topic: input.topic, key: keyBytes[keys.next()]!, value, timestamp: base + j, headers: [] });
      log.append(batch);
    }
  } finally {
    await log.close();
  }
  return { dir, topic: input.topic, records: input.records, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Copies a template's closed log into a fresh state directory of its own for one run (its lock file left behind:
 * the run's open takes its own).
 */
export function copyEmbeddedInput(templateDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ts-streams-bench-embedded-'));
  cpSync(templateDir, dir, { recursive: true, filter: (src) => basename(src) !== '.lock' });
  return dir;
}
