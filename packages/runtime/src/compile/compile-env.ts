import type { Topology, ProcessorNode, Processor, Serde, StoreSpec } from '@ts-streams/dsl';
import type { RecordSink } from '../io/record-sink.ts';
import type { TaskMetrics } from '../task/task-metrics.ts';
import type { EmitIntervals } from './emit-intervals.ts';

/** What a processor factory may know when it builds a processor for one task. */
export interface CompileEnv {
  readonly topology: Topology;
  readonly applicationId: string;
  readonly sink: RecordSink;
  readonly metrics: TaskMetrics;
  /** Record cache size for caching stores (0 = forward every update immediately). */
  readonly cacheMaxBytes: number;
  /** Wall-clock throttling of outer-join non-matches and on-window-close results (Kafka's emit intervals). */
  readonly emitIntervalMs: EmitIntervals;
  keySerde(s: Serde<any> | undefined, step: string): Serde<any>;
  valueSerde(s: Serde<any> | undefined, step: string): Serde<any>;
  storeSpec(name: string): StoreSpec;
  /** Repartition and changelog topics are `<applicationId>-<name>`. */
  resolveTopic(topic: string, internal: boolean): string;
  /** True when some downstream table step needs old values (aggregations with subtractors, joins). */
  sendOldValues(node: string): boolean;
  /** True when a repartition filter keeps null-key records: a join accepting them lies downstream (KIP-962). */
  repartitionKeepsNullKeys(node: string): boolean;
}

/**
 * Builds the processor for a graph node of one `op` (or of several ops sharing an implementation), reading that
 * node's own typed fields. One file per op in src/processors/.
 */
export type ProcessorFactory<N extends { readonly op: string } = ProcessorNode> = (node: N, env: CompileEnv) => Processor<any, any, any, any>;
