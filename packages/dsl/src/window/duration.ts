import { Duration as LuxonDuration } from 'luxon';
import type { DurationLikeObject } from 'luxon';
import { TopologyError } from '../errors/topology-error.ts';
import { describeValue } from '../serde/serde-error.ts';

/** A duration as milliseconds, a luxon Duration, or a luxon duration object such as `{ minutes: 5 }`. */
export type DurationLike = number | LuxonDuration | DurationLikeObject;

/** The accepted forms, for errors: plain JavaScript (or a cast) can pass anything, e.g. '5m'. */
const FORMS =
  'a number of milliseconds (e.g. 300000), an object of units such as { minutes: 5 } or { hours: 1, minutes: 30 } ' +
  '(years, quarters, months, weeks, days, hours, minutes, seconds, milliseconds), or a luxon Duration (e.g. Duration.fromISO(\'PT5M\'))';

/** Converts to whole milliseconds; anything else than a DurationLike, or a negative or non-finite duration, is a TopologyError naming `what`. */
export function toMillis(d: DurationLike, what: string, allowNegative = false): number {
  let ms: number;
  if (typeof d === 'number') ms = d;
  else if (LuxonDuration.isDuration(d)) ms = d.as('milliseconds');
  else if (isPlainObject(d)) {
    try {
      ms = LuxonDuration.fromObject(d).as('milliseconds');
    } catch (e) {
      throw new TopologyError(`${what} must be a duration: ${FORMS}; got ${safeJson(d)}: ${(e as Error).message}.`, { cause: e });
    }
  } else {
    throw new TopologyError(`${what} must be a duration: ${FORMS}; got ${describeValue(d)}.`);
  }
  if (!Number.isFinite(ms)) throw new TopologyError(`${what} must be a finite duration, got ${String(d)}`);
  if (!allowNegative && ms < 0) throw new TopologyError(`${what} must not be negative, got ${ms} ms`);
  return Math.trunc(ms);
}

/** Only a plain object can be a unit object: luxon reads a Date or an array as one and makes no sense of it. */
function isPlainObject(d: unknown): d is DurationLikeObject {
  if (typeof d !== 'object' || d === null) return false;
  const proto = Object.getPrototypeOf(d);
  return proto === Object.prototype || proto === null;
}

function safeJson(d: object): string {
  try {
    return JSON.stringify(d);
  } catch {
    return describeValue(d);
  }
}
