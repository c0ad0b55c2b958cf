import type { Headers } from './headers.ts';

/**
 * A record as it flows between processors: key, value, event timestamp (ms since epoch) and headers.
 * Records are plain immutable objects; a processor that changes one forwards a new object
 * (`{ ...record, value: v }`).
 */
export interface StreamRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** Where the record being processed came from (absent for records created by a punctuator). */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}
