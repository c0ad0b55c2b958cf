import type { Serde } from '@ts-streams/dsl';
import { LongSerde } from '@ts-streams/dsl';
import { readLong, writeLong } from '@ts-streams/state';

/** A table value with the timestamp of the update that produced it (Kafka Streams' ValueAndTimestamp). */
export interface ValueAndTimestamp<V> {
  readonly value: V;
  readonly timestamp: number;
}

/**
 * Kafka Streams' timestamped store value format: 8-byte big-endian timestamp, then the value's bytes, as the
 * stores hold it. Their changelogs do not carry it: the change-logging layer (timestampedValues) logs the plain
 * value with the timestamp as the record's, as Kafka Streams does, so either runtime restores the other's state.
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
