import type { Workload, WorkloadId } from './kafka-workloads.ts';
import type { ClientAdapter } from './run-result.ts';

/**
 * Who runs a workload in the kafka-streams suite: Kafka Streams 4.4.0 and ts-streams (once per client adapter) run
 * the topologies W1–W8; Kafka's Java clients and our client adapters (their consumer and producer alone) run the raw
 * W0, W0P, W0CP; ts-streams on its embedded log (no broker) runs EMBEDDED_WORKLOADS.
 */
export interface SuiteSystem {
  readonly id: string;
  readonly kind: 'kafka-streams' | 'ts-streams' | 'java-client' | 'node-client' | 'embedded';
  readonly client?: ClientAdapter;
  readonly label: string;
}

export const SYSTEM_KINDS: readonly SuiteSystem['kind'][] = ['kafka-streams', 'ts-streams', 'java-client', 'node-client', 'embedded'];

/** The workloads the embedded log runs, beside the Kafka figures (issue 17: the embedded default's own). */
export const EMBEDDED_WORKLOADS: readonly WorkloadId[] = ['W1', 'W2', 'W5', 'W6'];

export function suiteSystems(kinds: readonly SuiteSystem['kind'][], clients: readonly ClientAdapter[]): SuiteSystem[] {
  const all: SuiteSystem[] = [
    { id: 'kafka-streams', kind: 'kafka-streams', label: 'Kafka Streams 4.4.0' },
    ...clients.map((c): SuiteSystem => ({ id: `ts-streams/${c}`, kind: 'ts-streams', client: c, label: `ts-streams (${c})` })),
    { id: 'java-client', kind: 'java-client', label: 'Java clients 4.4.0' },
    ...clients.map((c): SuiteSystem => ({ id: `client/${c}`, kind: 'node-client', client: c, label: `${c} adapter (raw)` })),
    { id: 'ts-streams/embedded', kind: 'embedded', label: 'ts-streams (embedded log)' },
  ];
  return all.filter((s) => kinds.includes(s.kind));
}

/** Whether a system runs a workload: topologies on the stream processors, raw runs on the clients. */
export function runsWorkload(s: SuiteSystem, w: Workload): boolean {
  if (s.kind === 'embedded') return EMBEDDED_WORKLOADS.includes(w.id);
  return w.raw === undefined ? s.kind === 'kafka-streams' || s.kind === 'ts-streams' : s.kind === 'java-client' || s.kind === 'node-client';
}
