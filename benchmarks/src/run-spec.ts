import type { RunExpectation } from './run-checks.ts';
import type { ClientAdapter } from './run-result.ts';

/** What one Node run (kafka-bench-run.ts, a process of its own) is to do: its argument, as JSON. */
export interface RunSpec {
  readonly workload: string;
  readonly brokers: readonly string[];
  readonly input: string;
  /** W7's table topic, W8's other stream. */
  readonly input2?: string;
  readonly output: string;
  /** Records the run must process: every record of its input topics (W0P: the records to produce). */
  readonly records: number;
  readonly applicationId: string;
  /** The client adapter: KafkaStreams' `client`, and the library a raw run (W0, W0P, W0CP) uses. Default kafkajs. */
  readonly client?: ClientAdapter;
  /** W0P: the records to produce, as the suite's input (keys over `keys`, Zipf `skew`, values of `valueBytes`). */
  readonly produce?: { readonly keys: number; readonly skew: number; readonly valueBytes: number; readonly seed: number; readonly timestampBase: number };
  /**
   * Run on ts-streams' embedded log instead of the broker (embedded-run.ts): a copy of the shape's input log (loaded
   * once by the suite: embedded-input.ts) before the measured phase, the run checked against `expect` on the log
   * (which only this process can read) before it closes.
   */
  readonly embedded?: EmbeddedInput;
  /** Print the application's log to stderr. */
  readonly verbose?: boolean;
  /** Run the topology with processingGuarantee 'exactly_once_v2' (its commit interval then 100 ms, as Kafka Streams'). */
  readonly exactlyOnce?: boolean;
  /** Write a V8 CPU profile of the measured phase (as `node --cpu-prof` would, without the start-up) to this file. */
  readonly profile?: string;
}

/** The input log an embedded run copies, and what the run must have done. */
export interface EmbeddedInput {
  /** The state directory of a closed log holding the input topic (embedded-input.ts), copied for the run. */
  readonly template: string;
  readonly expect: RunExpectation;
}
