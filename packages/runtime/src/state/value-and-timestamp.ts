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
  return {
    name: `ValueAndTimestamp<${inner.name}>`,
    serialize(topic, data) {
      if (data === null || data === undefined) return null;
      if (inner instanceof LongSerde && typeof data.value === 'number' && Number.isSafeInteger(data.value)) {
        // Counts (the common case): both longs straight into one buffer, no inner buffer to copy.
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
      const timestamp = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) * 4294967296 + (((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0);
      return { value: inner.deserialize(topic, bytes.subarray(8)) as V, timestamp };
    },
  };
}

/** An 8-byte big-endian long (a safe integer) at `offset`, in two 32-bit halves (no BigInt). */
function writeLong(out: Buffer, offset: number, n: number): void {
  const hi = Math.floor(n / 4294967296);
  out.writeInt32BE(hi | 0, offset);
  out.writeUInt32BE(n - hi * 4294967296, offset + 4);
}
