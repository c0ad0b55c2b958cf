import type { Serde } from './serde.ts';
import { stringSerde } from './string-serde.ts';
import { longBigIntSerde, longSerde } from './long-serde.ts';
import { integerSerde } from './integer-serde.ts';
import { shortSerde } from './short-serde.ts';
import { doubleSerde } from './double-serde.ts';
import { floatSerde } from './float-serde.ts';
import { booleanSerde } from './boolean-serde.ts';
import { bytesSerde } from './bytes-serde.ts';
import { voidSerde } from './void-serde.ts';
import { uuidSerde } from './uuid-serde.ts';
import { json, type JsonSerde, type JsonSerdeOptions } from './json-serde.ts';
import { TimeWindowedSerde } from './time-windowed-serde.ts';
import { SessionWindowedSerde } from './session-windowed-serde.ts';
import { CustomSerde, type SerdeDefinition } from './custom-serde.ts';

/**
 * The built-in serdes, named and byte-compatible with Kafka's org.apache.kafka.common.serialization.Serdes and
 * WindowedSerdes. Stateless serdes are singletons: Serdes.String() === Serdes.String().
 */
export const Serdes = Object.freeze({
  /** UTF-8 text (Kafka's StringSerde). */
  String: (): Serde<string> => stringSerde,
  /** 8-byte big-endian long as a JS number; safe integers only (Kafka's LongSerde). */
  Long: (): Serde<number> => longSerde,
  /** 8-byte big-endian long as a bigint: the full 64-bit range (same bytes as Long). */
  LongBigInt: (): Serde<bigint> => longBigIntSerde,
  /** 4-byte big-endian int (Kafka's IntegerSerde). */
  Integer: (): Serde<number> => integerSerde,
  /** 2-byte big-endian short (Kafka's ShortSerde). */
  Short: (): Serde<number> => shortSerde,
  /** 8-byte IEEE 754 double, big-endian (Kafka's DoubleSerde). */
  Double: (): Serde<number> => doubleSerde,
  /** 4-byte IEEE 754 float, big-endian (Kafka's FloatSerde); values round to float precision. */
  Float: (): Serde<number> => floatSerde,
  /** One byte, 0x01 or 0x00 (Kafka's BooleanSerde). */
  Boolean: (): Serde<boolean> => booleanSerde,
  /** Raw bytes, passed through (Kafka's ByteArraySerde). */
  ByteArray: (): Serde<Uint8Array> => bytesSerde,
  /** Alias of ByteArray. */
  Bytes: (): Serde<Uint8Array> => bytesSerde,
  /** Always null (Kafka's VoidSerde). */
  Void: (): Serde<null> => voidSerde,
  /** UUID strings as their 36-character text (Kafka's UUIDSerde). */
  UUID: (): Serde<string> => uuidSerde,
  /** JSON text as UTF-8, typed as T; optionally named and validated. */
  JSON<T>(options?: JsonSerdeOptions<T>): JsonSerde<T> {
    return json<T>(options);
  },
  /** Time-windowed keys: key bytes + 8-byte window start (Kafka's WindowedSerdes.TimeWindowedSerde). */
  timeWindowed<K>(inner: Serde<K>, windowSizeMs: number): TimeWindowedSerde<K> {
    return new TimeWindowedSerde(inner, windowSizeMs);
  },
  /** Session-windowed keys: key bytes + 8-byte end + 8-byte start (Kafka's WindowedSerdes.SessionWindowedSerde). */
  sessionWindowed<K>(inner: Serde<K>): SessionWindowedSerde<K> {
    return new SessionWindowedSerde(inner);
  },
  /** A custom serde from a name and two conversions (null is handled for you). */
  from<T>(definition: SerdeDefinition<T>): Serde<T> {
    return new CustomSerde(definition);
  },
});
