import type { Headers } from '@ts-streams/dsl';

/** The input record being processed (or null inside a punctuator). */
export interface RecordContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly headers: Headers;
}
