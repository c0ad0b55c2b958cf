import { toMillis, type DurationLike } from './duration.ts';

/** Windows of a fixed size sliding continuously: two records fall in one window if their times differ by <= size. */
export class SlidingWindows {
  readonly kind = 'sliding' as const;
  private constructor(
    readonly timeDifferenceMs: number,
    readonly graceMs: number,
  ) {}
  static ofTimeDifferenceWithNoGrace(timeDifference: DurationLike): SlidingWindows {
    return new SlidingWindows(toMillis(timeDifference, 'SlidingWindows time difference'), 0);
  }
  static ofTimeDifferenceAndGrace(timeDifference: DurationLike, grace: DurationLike): SlidingWindows {
    return new SlidingWindows(toMillis(timeDifference, 'SlidingWindows time difference'), toMillis(grace, 'SlidingWindows grace'));
  }
}
