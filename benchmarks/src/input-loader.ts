import type { Admin } from 'kafkajs';
import { createTopic, topicRecords } from './bench-topics.ts';
import type { DataShape } from './data-shapes.ts';
import type { JavaRunner } from './java-bench.ts';
import { JOIN_WINDOW_MS, type Workload } from './kafka-workloads.ts';

/** The topics of one data shape, loaded once before its measured runs. */
export interface LoadedShape {
  readonly shape: DataShape;
  /** The input every workload reads: `records` records, timestamps 1 ms apart, the last about now. */
  readonly input: { readonly topic: string; readonly records: number };
  /** W8's other stream: half as many records over the same time span (2 ms apart), keys drawn alike. */
  readonly right: { readonly topic: string; readonly records: number };
  /** W7's table: one record per key, timestamped before the input's first record. */
  readonly table: { readonly topic: string; readonly records: number };
  /** The records W8's join must emit: pairs of same-key records of input and right at most 10 s apart. */
  readonly joinPairs: number;
  /** The Java producer's rate loading the input, records/s. */
  readonly loadRecordsPerSec: number;
}

export interface LoadOptions {
  readonly admin: Admin;
  /** Runs the Java program's modes: its producer loads the topics, join-pairs counts W8's pairs. */
  readonly java: JavaRunner;
  readonly brokers: readonly string[];
  readonly prefix: string;
  readonly records: number;
  readonly keys: number;
  readonly log: (line: string) => void;
}

const SEED_INPUT = 17;
const SEED_RIGHT = 18;

/**
 * Creates and loads a shape's topics with Kafka's Java producer (the fastest here: a 2,000,000-record input in
 * seconds), checks each holds what was sent, and computes W8's pairs from the same seeds.
 */
export async function loadShape(shape: DataShape, o: LoadOptions): Promise<LoadedShape> {
  const brokers = o.brokers.join(',');
  // Timestamps up to now: older ones would be past the retention of the internal topics (a windowed store's
  // changelog keeps a day), whose records the broker would then delete while the app writes them.
  const base = Date.now() - o.records;
  const common = { brokers, keys: o.keys, skew: shape.skew, 'value-bytes': shape.valueBytes };
  const input = { topic: `${o.prefix}-${shape.id}-in`, records: o.records };
  const right = { topic: `${o.prefix}-${shape.id}-right`, records: Math.floor(o.records / 2) };
  const table = { topic: `${o.prefix}-${shape.id}-table`, records: o.keys };
  for (const t of [input, right, table]) await createTopic(o.admin, t.topic);
  const loaded = await o.java('produce', { ...common, workload: 'load', topic: input.topic, records: input.records, seed: SEED_INPUT, 'timestamp-base': base });
  await o.java('produce', { ...common, workload: 'load', topic: right.topic, records: right.records, seed: SEED_RIGHT, 'timestamp-base': base, 'timestamp-step': 2 });
  await o.java('produce', { ...common, workload: 'load', topic: table.topic, records: table.records, 'key-order': 'sequential', 'timestamp-base': base - o.keys });
  for (const t of [input, right, table]) {
    const held = await topicRecords(o.admin, t.topic);
    if (held !== t.records) throw new Error(`Loading ${t.topic}: it holds ${held} records, not the ${t.records} sent.`);
  }
  const pairs = await o.java<{ pairs: number }>('join-pairs', {
    keys: o.keys, skew: shape.skew, records: input.records, seed: SEED_INPUT, 'timestamp-base': base,
    records2: right.records, seed2: SEED_RIGHT, 'timestamp-base2': base, 'timestamp-step2': 2, 'window-ms': JOIN_WINDOW_MS,
  });
  const joinPairs = pairs.result.pairs;
  const loadRecordsPerSec = loaded.result.processed / (loaded.result.processMs / 1000);
  o.log(`loaded ${shape.id}: ${input.records.toLocaleString('en-US')} input records at ${Math.round(loadRecordsPerSec).toLocaleString('en-US')} records/s (Java producer), ${right.records.toLocaleString('en-US')} for W8's other side, a ${table.records.toLocaleString('en-US')}-row table; W8 must emit ${joinPairs.toLocaleString('en-US')} pairs`);
  return { shape, input, right, table, joinPairs, loadRecordsPerSec };
}

/** The records a run of `w` must process: every record of the input topics it reads. */
export function inputRecords(w: Workload, s: LoadedShape): number {
  return s.input.records + (w.input2 === 'table' ? s.table.records : w.input2 === 'stream' ? s.right.records : 0);
}
