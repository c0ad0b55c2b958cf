import { StreamsError } from '../errors/streams-error.ts';

/**
 * How often, in wall-clock milliseconds, two kinds of result may be looked for and emitted (Kafka Streams' internal
 * configs). The wall clock is the task's (ProcessorContext#currentSystemTimeMs) when a record is processed; only a
 * processed record triggers a look, and the next one is due `interval` ms after the last.
 */
export interface EmitIntervals {
  /**
   * Left/outer stream-stream join results without a partner, emitted once their window has closed
   * (`__emit.interval.ms.kstreams.outer.join.spurious.results.fix__`; one schedule per join, shared by both sides).
   */
  readonly outerJoinNonMatches: number;
  /**
   * emitStrategy('on-window-close') results of windowed aggregations (`__emit.interval.ms.kstreams.windowed.aggregation__`;
   * one schedule per aggregation).
   */
  readonly onWindowClose: number;
}

/** A running Kafka Streams application's intervals (1000 ms each). */
export const APPLICATION_EMIT_INTERVALS: EmitIntervals = { outerJoinNonMatches: 1000, onWindowClose: 1000 };

/** Kafka Streams' TopologyTestDriver's: 0, so results appear as soon as stream time allows. */
export const TEST_DRIVER_EMIT_INTERVALS: EmitIntervals = { outerJoinNonMatches: 0, onWindowClose: 0 };

/** The given intervals over the defaults, checked. */
export function emitIntervals(given: Partial<EmitIntervals> | undefined, defaults: EmitIntervals): EmitIntervals {
  const out = { ...defaults, ...given };
  for (const [name, ms] of Object.entries(out)) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new StreamsError(`emitIntervalMs.${name} must be a number of milliseconds >= 0 (0: on every record), got ${JSON.stringify(ms)}.`);
    }
  }
  return out;
}
