import type { Bytes } from '../api/bytes.ts';
import type { ChangelogRecord } from '../api/state-store.ts';
import { readLong, writeLong } from '../util/key-string.ts';
import { StreamsError } from '@ts-streams/dsl/errors';

// A timestamped store (Kafka Streams' TimestampedBytesStore: the DSL's table and windowed-aggregate stores) keeps
// each value as [8-byte big-endian timestamp][value]. Its changelog does not: Kafka's
// ChangeLoggingTimestamped{KeyValue,Window}BytesStore logs the plain value (rawValue) with the timestamp as the
// record's timestamp, and restoring prepends the record timestamp again (RecordConverters.rawValueToTimestampedValue).
// Both runtimes then read each other's changelogs.

const TIMESTAMP_PREFIX = 8;

/** The changelog record of one timestamped write: the plain value, stamped with its timestamp (a tombstone: `timestamp`). */
export function timestampedChangelogRecord(key: Bytes, valueAndTimestamp: Bytes | null, timestamp: () => number): ChangelogRecord {
  if (valueAndTimestamp === null) return { key, value: null, timestamp: timestamp() };
  if (valueAndTimestamp.length < TIMESTAMP_PREFIX) {
    throw new StreamsError(
      `A timestamped store's value is [8-byte timestamp][value], got ${valueAndTimestamp.length} bytes: the store was built with timestamped values but its value serde writes no timestamp. ` +
        'Give the store a value serde that writes the timestamp first, or build it without timestampedValues in its logging options.',
    );
  }
  return { key, value: valueAndTimestamp.subarray(TIMESTAMP_PREFIX), timestamp: readLong(valueAndTimestamp, 0) };
}

/** The stored value of a changelog record: the record's timestamp, then its plain value (null stays null). */
export function storedTimestampedValue(record: ChangelogRecord): Bytes | null {
  const raw = record.value;
  if (raw === null) return null;
  const out = new Uint8Array(TIMESTAMP_PREFIX + raw.length);
  writeLong(out, 0, record.timestamp);
  out.set(raw, TIMESTAMP_PREFIX);
  return out;
}
