import type { Headers } from '@ts-streams/dsl';

/** An input record deserialized by its source, with its extracted event time, waiting in a partition queue. */
export interface QueuedRecord {
  readonly key: unknown;
  readonly value: unknown;
  readonly timestamp: number;
  readonly headers: Headers;
  readonly offset: number;
}
