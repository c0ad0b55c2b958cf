import { Duration as LuxonDuration } from 'luxon';
import type { DurationLikeObject } from 'luxon';
import { TopologyError } from '../errors/topology-error.ts';

/** A duration as milliseconds, a luxon Duration, or a luxon duration object such as `{ minutes: 5 }`. */
export type DurationLike = number | LuxonDuration | DurationLikeObject;

/** Converts to whole milliseconds; negative or non-finite durations are a TopologyError naming `what`. */
export function toMillis(d: DurationLike, what: string, allowNegative = false): number {
  let ms: number;
  if (typeof d === 'number') ms = d;
  else if (LuxonDuration.isDuration(d)) ms = d.as('milliseconds');
  else ms = LuxonDuration.fromObject(d).as('milliseconds');
  if (!Number.isFinite(ms)) throw new TopologyError(`${what} must be a finite duration, got ${String(d)}`);
  if (!allowNegative && ms < 0) throw new TopologyError(`${what} must not be negative, got ${ms} ms`);
  return Math.trunc(ms);
}
