import type { Topology } from '@ts-streams/dsl';

/**
 * A conformance case in our DSL: the same topology as the Java case of the same name, which Kafka
 * Streams ran to produce `cases/<name>.json`. The input script and expected output come from the JSON.
 */
export interface ConformanceCase {
  build(): Topology;
  /** A documented, deliberate difference from Kafka Streams (listed in conformance/README.md). */
  readonly deliberateDifference?: string;
}
