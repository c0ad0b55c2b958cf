import type { Headers } from '@ts-streams/dsl';

/** A record as bytes, as consumed from or produced to a topic partition. */
export interface RawRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: Headers;
  /** Offset in its partition (consumed records only). */
  readonly offset?: number;
}

/** A produced record: bytes plus where it goes. */
export interface OutputRecord extends RawRecord {
  readonly topic: string;
  /** undefined = let the sink pick (default partitioner). */
  readonly partition: number | undefined;
}
