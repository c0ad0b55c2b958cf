import type { WorkloadId } from './kafka-workloads.ts';
import type { RunResult } from './run-result.ts';
import type { SuiteSystem } from './suite-systems.ts';
import type { SuiteTiming } from './time-ledger.ts';

/** One measured run of the kafka-streams suite, as the results JSON keeps it. */
export interface SuiteRun extends RunResult {
  readonly shape: string;
  readonly system: string;
  readonly round: number;
  /** The 1-minute load average when the run started. */
  readonly load1m: number;
  /** Input records per second of the measured phase (every input topic's records). */
  readonly recordsPerSec: number;
  /** Process spawned → first input record processed, ms (JVM or Node start, loading, joining, restoring). */
  readonly startupMs?: number;
}

/** A run that failed, or whose checks failed: it has no figure. */
export interface SuiteFailure {
  readonly shape: string;
  readonly workload: WorkloadId;
  readonly system: string;
  readonly round: number;
  readonly reason: string;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** One workload on one system over its runs (the figures: medians; absent when no run succeeded). */
export interface SuiteRow {
  readonly shape: string;
  readonly workload: WorkloadId;
  readonly label: string;
  readonly system: string;
  readonly runs: number;
  readonly failed: number;
  readonly recordsPerSec?: Spread;
  /** Input megabytes (10^6: keys and values) per second, median. */
  readonly mbPerSec?: number;
  /** CPU seconds per million input records in the measured phase, median. */
  readonly cpuSecPerM?: number;
  /** The same, the close (final commit, flushes) included. */
  readonly cpuSecPerMWithClose?: number;
  readonly peakRssMiB?: number;
  /** Spawn → first record, ms, median. */
  readonly startupMs?: number;
  readonly closeMs?: number;
}

/** ts-streams beside its references on one workload. */
export interface SuiteRatio {
  readonly shape: string;
  readonly workload: WorkloadId;
  /** The ts-streams system (one per client adapter). */
  readonly system: string;
  /** ts-streams records/s over Kafka Streams' (medians). */
  readonly toKafkaStreams?: number;
  /** ts-streams records/s over its client library's raw consume (W0) in the same run. */
  readonly toRawClient?: number;
  /** The target for ts-streams / Kafka Streams, and whether it was met. */
  readonly target?: number;
  readonly met?: boolean;
}

/**
 * End-to-end latency of one workload on one system (latency-phase.ts): its input written at half its measured
 * records/s, output arrival − input timestamp. Absent figures, with `reason`, when the run failed or had no samples.
 */
export interface SuiteLatency {
  readonly shape: string;
  readonly workload: WorkloadId;
  readonly system: string;
  /** Input records/s offered (every input topic's), half the system's median records/s. */
  readonly ratePerSec: number;
  /** How long the paced input ran, s. */
  readonly seconds: number;
  /** Input records of the run (every input topic's). */
  readonly records: number;
  /** Output records the observer read, and those counted (arrived while the app ran, after the first second). */
  readonly outputs: number;
  readonly samples: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  /** Why there is no figure. */
  readonly reason?: string;
}

export interface SuiteShape {
  readonly id: string;
  readonly label: string;
  readonly valueBytes: number;
  readonly skew: number;
  readonly records: number;
  readonly joinPairs: number;
  readonly loadRecordsPerSec: number;
  /** Why a workload did not run on this shape. */
  readonly skipped?: Readonly<Partial<Record<WorkloadId, string>>>;
}

/** benchmarks/results/<date>-kafka-streams.json: what results-markdown.ts and results-chart.ts are made from. */
export interface SuiteResults {
  readonly benchmark: 'kafka-streams';
  readonly date: string;
  readonly machine: { readonly nproc: number; readonly cpu: string; readonly node: string; readonly java: string; readonly platform: string };
  readonly options: { readonly records: number; readonly runs: number; readonly keys: number; readonly partitions: number; readonly workloads: readonly WorkloadId[] };
  readonly settings: string;
  readonly loadavg1m: { readonly start: number; readonly end: number };
  readonly durationSec: number;
  readonly shapes: readonly SuiteShape[];
  readonly systems: readonly SuiteSystem[];
  readonly rows: readonly SuiteRow[];
  readonly ratios: readonly SuiteRatio[];
  readonly failures: readonly SuiteFailure[];
  readonly runs: readonly SuiteRun[];
  /** The latency phase's runs (absent in files from before it, and with --no-latency). */
  readonly latency?: readonly SuiteLatency[];
  /** Where the run's wall-clock time went (absent in files from before it). */
  readonly timing?: SuiteTiming;
}
