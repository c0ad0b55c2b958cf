import type { Serde } from '@ts-streams/dsl';
import { LongSerde } from '@ts-streams/dsl';

/** A table value with the timestamp of the update that produced it (Kafka Streams' ValueAndTimestamp). */
export interface ValueAndTimestamp<V> {
  readonly value: V;
  readonly timestamp: number;
}

/**
 * Kafka Streams' timestamped store value format: 8-byte big-endian timestamp, then the value's bytes.
 * Changelogs of DSL tables carry this format, so a store written by either runtime restores in the other.
 */
export function valueAndTimestampSerde<V>(inner: Serde<V>): Serde<ValueAndTimestamp<V>> {
  const isLong = inner instanceof LongSerde;
  return {
    name: `ValueAndTimestamp<${inner.name}>`,
    serialize(topic, data) {
      if (data === null || data === undefined) return null;
      if (isLong && typeof data.value === 'number' && Number.isSafeInteger(data.value)) {
        // Counts (the common case): both longs straight into one array, no inner buffer to copy.
        const out = Buffer.allocUnsafe(16);
        writeLong(out, 0, data.timestamp);
        writeLong(out, 8, data.value);
        return out;
      }
      const v = inner.serialize(topic, data.value);
      if (v === null) return null;
      const out = Buffer.allocUnsafe(8 + v.length);
      writeLong(out, 0, data.timestamp);
      out.set(v, 8);
      return out;
    },
    deserialize(topic, bytes) {
      if (bytes === null) return null;
      const timestamp = readLong(bytes, 0);
      if (isLong && bytes.length === 16) {
        const value = readLong(bytes, 8);
        if (Number.isSafeInteger(value)) return { value: value as V, timestamp };
      }
      return { value: inner.deserialize(topic, bytes.subarray(8)) as V, timestamp };
    },
  };
}

/**
 * An 8-byte big-endian long (a safe integer) at `offset`, in two 32-bit halves (no BigInt), byte by byte (measured
 * faster than Buffer#writeInt32BE, which checks its arguments).
 */
function writeLong(out: Uint8Array, offset: number, n: number): void {
  const hi = Math.floor(n / 4294967296);
  const lo = n - hi * 4294967296;
  out[offset] = hi >>> 24;
  out[offset + 1] = hi >>> 16;
  out[offset + 2] = hi >>> 8;
  out[offset + 3] = hi;
  out[offset + 4] = lo >>> 24;
  out[offset + 5] = lo >>> 16;
  out[offset + 6] = lo >>> 8;
  out[offset + 7] = lo;
}

/** The big-endian long at `offset` as a number (exact when it is a safe integer). */
function readLong(b: Uint8Array, offset: number): number {
  return ((b[offset]! << 24) | (b[offset + 1]! << 16) | (b[offset + 2]! << 8) | b[offset + 3]!) * 4294967296 +
    (((b[offset + 4]! << 24) | (b[offset + 5]! << 16) | (b[offset + 6]! << 8) | b[offset + 7]!) >>> 0);
}
