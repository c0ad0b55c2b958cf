import { toMillis, type DurationLike } from './duration.ts';

/**
 * A stream-stream join matches records whose timestamps differ by at most the window:
 * other.ts in [this.ts − before, this.ts + after]. Grace keeps windows open for late records and
 * delays left/outer non-match results until the window closes.
 */
export class JoinWindows {
  readonly kind = 'join' as const;
  private constructor(
    readonly beforeMs: number,
    readonly afterMs: number,
    readonly graceMs: number,
  ) {}
  static ofTimeDifferenceWithNoGrace(timeDifference: DurationLike): JoinWindows {
    const d = toMillis(timeDifference, 'JoinWindows time difference');
    return new JoinWindows(d, d, 0);
  }
  static ofTimeDifferenceAndGrace(timeDifference: DurationLike, grace: DurationLike): JoinWindows {
    const d = toMillis(timeDifference, 'JoinWindows time difference');
    return new JoinWindows(d, d, toMillis(grace, 'JoinWindows grace'));
  }
  before(timeDifference: DurationLike): JoinWindows {
    return new JoinWindows(toMillis(timeDifference, 'JoinWindows before', true), this.afterMs, this.graceMs);
  }
  after(timeDifference: DurationLike): JoinWindows {
    return new JoinWindows(this.beforeMs, toMillis(timeDifference, 'JoinWindows after', true), this.graceMs);
  }
  get sizeMs(): number {
    return this.beforeMs + this.afterMs;
  }
}
