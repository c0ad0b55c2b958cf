import { toMillis, type DurationLike } from './duration.ts';
import { TopologyError } from '../errors/topology-error.ts';

/**
 * Tumbling (advance = size) or hopping (advance < size) windows aligned to the epoch, each [start, start+size).
 * Records later than stream time − grace for their window are dropped and counted.
 */
export class TimeWindows {
  readonly kind = 'time' as const;
  private constructor(
    readonly sizeMs: number,
    readonly advanceMs: number,
    readonly graceMs: number,
  ) {}

  /** Tumbling windows with no grace (Kafka Streams' ofSizeWithNoGrace). */
  static of(size: DurationLike): TimeWindows {
    return TimeWindows.ofSizeWithNoGrace(size);
  }
  static ofSizeWithNoGrace(size: DurationLike): TimeWindows {
    return TimeWindows.ofSizeAndGrace(size, 0);
  }
  static ofSizeAndGrace(size: DurationLike, grace: DurationLike): TimeWindows {
    const s = toMillis(size, 'TimeWindows size');
    if (s <= 0) throw new TopologyError(`TimeWindows size must be positive, got ${s} ms`);
    return new TimeWindows(s, s, toMillis(grace, 'TimeWindows grace'));
  }
  /** Hopping windows: a new window every `advance`. */
  advanceBy(advance: DurationLike): TimeWindows {
    const a = toMillis(advance, 'TimeWindows advance');
    if (a <= 0 || a > this.sizeMs) {
      throw new TopologyError(`TimeWindows advance must be in (0, size=${this.sizeMs}] ms, got ${a} ms`);
    }
    return new TimeWindows(this.sizeMs, a, this.graceMs);
  }
  /** Same windows with this grace period. */
  grace(grace: DurationLike): TimeWindows {
    return new TimeWindows(this.sizeMs, this.advanceMs, toMillis(grace, 'TimeWindows grace'));
  }
  /** Start times of every window containing `timestamp`, ascending. */
  windowStartsFor(timestamp: number): number[] {
    let start = Math.max(0, timestamp - this.sizeMs + this.advanceMs);
    start -= start % this.advanceMs;
    const out: number[] = [];
    for (; start <= timestamp; start += this.advanceMs) out.push(start);
    return out;
  }
}
