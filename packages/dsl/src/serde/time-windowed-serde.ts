import type { Serde } from './serde.ts';
import type { Headers } from '../processor/headers.ts';
import type { Windowed } from './windowed.ts';
import { SerdeError, describeValue } from './serde-error.ts';
import { encodeUtf8Padded, hex, isSafeLong, readInt64BE, writeInt64BE } from './binary.ts';
import { StringSerde } from './string-serde.ts';

/**
 * Kafka Streams' TimeWindowedSerializer/TimeWindowedDeserializer (WindowKeySchema.toBinary / from):
 *
 *     [inner key bytes][window start: 8-byte big-endian long]
 *
 * The end is not stored: deserializing computes end = start + windowSizeMs, so the window size must match the
 * windows that produced the topic. (This is the format of windowed keys in output and repartition topics; the
 * window store changelog format also appends a 4-byte sequence number and is not handled here.)
 * As in Kafka, zero bytes deserialize to null, and an end beyond the representable range is clamped (Kafka clamps
 * to Long.MAX_VALUE, here to Number.MAX_SAFE_INTEGER).
 */
export class TimeWindowedSerde<K> implements Serde<Windowed<K>> {
  readonly name: string;
  readonly inner: Serde<K>;
  readonly windowSizeMs: number;
  /** The inner serde is the String serde itself (not a subclass): keys are encoded straight into the result. */
  private readonly stringKeys: boolean;

  constructor(inner: Serde<K>, windowSizeMs: number) {
    if (!Number.isSafeInteger(windowSizeMs) || windowSizeMs <= 0) {
      throw new RangeError(`TimeWindowed serde needs a window size in ms that is a positive integer, got ${describeValue(windowSizeMs)}`);
    }
    this.inner = inner;
    this.stringKeys = Object.getPrototypeOf(inner) === StringSerde.prototype;
    this.windowSizeMs = windowSizeMs;
    this.name = `TimeWindowed<${inner.name}>`;
  }

  serialize(topic: string, data: Windowed<K> | null, headers?: Headers): Uint8Array | null {
    if (data === null) return null;
    const start = data.window.start;
    if (!Number.isSafeInteger(start) || start < 0) {
      throw new SerdeError({
        serde: this.name,
        topic,
        operation: 'serialize',
        problem: `cannot serialize a window starting at ${describeValue(start)}: the start must be a non-negative integer (epoch ms)`,
      });
    }
    if (this.stringKeys && typeof data.key === 'string') {
      // String keys (the common case): encoded straight into the windowed key's buffer.
      const out = encodeUtf8Padded(data.key, 8);
      writeInt64BE(out, out.length - 8, start);
      return out;
    }
    const keyBytes = serializeKey(this.name, this.inner, topic, data.key, headers);
    const out = Buffer.allocUnsafe(keyBytes.length + 8);
    out.set(keyBytes, 0);
    writeInt64BE(out, keyBytes.length, start);
    return out;
  }

  deserialize(topic: string, data: Uint8Array | null, headers?: Headers): Windowed<K> | null {
    if (data === null || data.length === 0) return null;
    const keyLength = data.length - 8;
    if (keyLength < 0) throw tooShort(this.name, topic, data.length, 8, 'an 8-byte window start');
    const start = readTimestamp(this.name, topic, data, keyLength, 'start');
    let end = start + this.windowSizeMs;
    if (end > Number.MAX_SAFE_INTEGER) end = Number.MAX_SAFE_INTEGER;
    const key = deserializeKey(this.name, this.inner, topic, data.subarray(0, keyLength), headers);
    return { key, window: { start, end } };
  }
}

// ---- shared with session-windowed-serde.ts -----------------------------------------------------------------------

/** The inner serde's bytes for a windowed key; a windowed key cannot be null. */
export function serializeKey<K>(serde: string, inner: Serde<K>, topic: string, key: K, headers: Headers | undefined): Uint8Array {
  const bytes = inner.serialize(topic, key, headers);
  if (bytes === null) {
    throw new SerdeError({
      serde,
      topic,
      operation: 'serialize',
      problem: `cannot serialize a windowed key whose key ${describeValue(key)} the ${inner.name} serde turns into null`,
      hint: 'Windowed keys need a non-null key: filter out null keys before windowing.',
    });
  }
  return bytes;
}

export function deserializeKey<K>(serde: string, inner: Serde<K>, topic: string, bytes: Uint8Array, headers: Headers | undefined): K {
  const key = inner.deserialize(topic, bytes, headers);
  if (key === null) {
    throw new SerdeError({
      serde,
      topic,
      operation: 'deserialize',
      bytes: bytes.length,
      problem: `got a windowed key whose ${bytes.length} key bytes the ${inner.name} serde turns into null`,
    });
  }
  return key;
}

export function tooShort(serde: string, topic: string, got: number, min: number, what: string): SerdeError {
  return new SerdeError({
    serde,
    topic,
    operation: 'deserialize',
    bytes: got,
    problem: `got ${got} ${got === 1 ? 'byte' : 'bytes'}, expected at least ${min} (key bytes followed by ${what})`,
    hint:
      "Check the topic's key serde in Consumed.with(...): windowed keys need Serdes.timeWindowed(...) or " +
      'Serdes.sessionWindowed(...) matching the window type that wrote them.',
  });
}

/** Reads an 8-byte window timestamp, refusing values that Kafka's Window would refuse or a number cannot hold. */
export function readTimestamp(serde: string, topic: string, data: Uint8Array, offset: number, which: string): number {
  const t = readInt64BE(data, offset);
  if (!isSafeLong(t) || t < 0) {
    throw new SerdeError({
      serde,
      topic,
      operation: 'deserialize',
      bytes: data.length,
      problem: `read a window ${which} of 0x${hex(data, offset, offset + 8)}, which is not a valid timestamp (non-negative epoch ms)`,
      hint:
        "Check the topic's key serde in Consumed.with(...): the data is probably not a windowed key of this type " +
        '(time-windowed keys store the window start; session-windowed keys store end then start).',
    });
  }
  return t;
}
