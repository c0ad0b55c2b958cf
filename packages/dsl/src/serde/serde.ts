import type { Headers } from '../processor/headers.ts';

/**
 * Turns values of type T into bytes and back. `null` is Kafka's null (a tombstone value or an absent key):
 * every serde maps null to null in both directions unless it documents otherwise (Serdes.void()).
 */
export interface Serde<T> {
  /** Short name used in error messages and describe(), e.g. "String", "Long", "JSON<Order>". */
  readonly name: string;
  serialize(topic: string, data: T | null, headers?: Headers): Uint8Array | null;
  deserialize(topic: string, data: Uint8Array | null, headers?: Headers): T | null;
}

/** Phantom marker used by type tests to check a serde fits a stream's value type. */
export type SerdeType<S> = S extends Serde<infer T> ? T : never;
