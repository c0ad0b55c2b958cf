import type { PunctuationType } from '@ts-streams/dsl';
import type { RuntimeNode } from '../compile/runtime-node.ts';

/** One scheduled punctuator (Kafka Streams' PunctuationSchedule). */
export interface PunctuationSchedule {
  readonly node: RuntimeNode;
  readonly type: PunctuationType;
  readonly intervalMs: number;
  readonly punctuator: (timestamp: number) => void;
  /** Next time it fires (stream time or wall-clock ms). */
  next: number;
  cancelled: boolean;
}

/** The next firing time after firing at `now`, skipping missed intervals (one call per event, as Kafka does). */
export function nextPunctuation(s: PunctuationSchedule, now: number): number {
  let next = s.next + s.intervalMs;
  if (now >= next) next += s.intervalMs * (Math.floor((now - next) / s.intervalMs) + 1);
  return next;
}
