import type { StreamsConfig } from '@ts-streams/runtime';

/** The client adapters of ts-streams' client seam (KafkaStreams' `client` option): each runs every workload. */
export type ClientAdapter = NonNullable<StreamsConfig['client']>;

/**
 * What one measured run reports, whichever system ran it: a Node process (kafka-bench-run.ts: ts-streams, or a raw
 * Node client) or a JVM (benchmarks/kafka-streams: Kafka Streams, or Kafka's Java clients), each printing
 * `RESULT <this as JSON>` on stdout.
 */
export interface RunResult {
  readonly workload: string;
  readonly applicationId: string;
  /** Records that went through (must equal the records loaded). */
  readonly processed: number;
  /** Records the app dropped (late, unreadable, …): a run that dropped any has no figure. */
  readonly dropped: number;
  /** Process start → the measured phase's start (partitions assigned: RUNNING), ms: loading code, connecting, joining. */
  readonly startMs: number;
  /** Wall-clock time (epoch ms) at which the first input record was processed: the parent's spawn time gives start-up. */
  readonly firstRecordAtEpochMs?: number;
  /** The measured phase: assigned → every input record processed, ms. */
  readonly processMs: number;
  /** Wall-clock time (epoch ms) at which every input record had been processed: the latency phase counts outputs until then. */
  readonly processedAtEpochMs?: number;
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
  /** Garbage collection pauses in the measured phase, ms (minor: scavenges / young; major: the rest). */
  readonly gcMs: { readonly minor: number; readonly major: number };
  /** An embedded run: copying its input log (loaded once per shape) before the app started, ms (not part of its start-up). */
  readonly inputLoadMs?: number;
  /** An embedded run: checking its output on its log after the close, ms (the Kafka runs' checks are the suite's). */
  readonly checkMs?: number;
  /** W7: orders that found their table row (every one must). */
  readonly matched?: number;
}

/** Reads the `RESULT {json}` line of a run's stdout (a RunResult, or what the mode prints); undefined when there is none. */
export function parseResultLine<T = RunResult>(stdout: string): T | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return line === undefined ? undefined : (JSON.parse(line.slice('RESULT '.length)) as T);
}
