import { toMillis, type DurationLike } from './duration.ts';
import { TopologyError } from '../errors/topology-error.ts';

/** Sessions of activity separated by at least `gap` of inactivity; [start, end] both inclusive. */
export class SessionWindows {
  readonly kind = 'session' as const;
  private constructor(
    readonly gapMs: number,
    readonly graceMs: number,
  ) {}
  static ofInactivityGapWithNoGrace(gap: DurationLike): SessionWindows {
    return SessionWindows.ofInactivityGapAndGrace(gap, 0);
  }
  static ofInactivityGapAndGrace(gap: DurationLike, grace: DurationLike): SessionWindows {
    const g = toMillis(gap, 'SessionWindows gap');
    if (g <= 0) throw new TopologyError(`SessionWindows gap must be positive, got ${g} ms`);
    return new SessionWindows(g, toMillis(grace, 'SessionWindows grace'));
  }
}
