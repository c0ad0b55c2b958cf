import type { Headers } from '@ts-streams/dsl';

/** A record as a test pipes it in or reads it out (Kafka Streams' TestRecord). */
export interface TestRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly timestamp: number;
  readonly headers: Headers;
}
