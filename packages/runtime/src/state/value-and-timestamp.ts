import type { Serde } from '@ts-streams/dsl';

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
      const v = inner.serialize(topic, data.value);
      if (v === null) return null;
      const out = Buffer.allocUnsafe(8 + v.length);
      // Two 32-bit halves: no BigInt on the hot path (timestamps are safe integers).
      const ts = data.timestamp;
      const hi = Math.floor(ts / 4294967296);
      out.writeInt32BE(hi | 0, 0);
      out.writeUInt32BE(ts - hi * 4294967296, 4);
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
