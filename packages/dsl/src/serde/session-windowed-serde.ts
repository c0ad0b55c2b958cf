import type { Serde } from './serde.ts';
import type { Headers } from '../processor/headers.ts';
import type { Windowed } from './windowed.ts';
import { SerdeError, describeValue } from './serde-error.ts';
import { writeInt64BE } from './binary.ts';
import { deserializeKey, readTimestamp, serializeKey, tooShort } from './time-windowed-serde.ts';

/**
 * Kafka Streams' SessionWindowedSerializer/SessionWindowedDeserializer (SessionKeySchema.toBinary / from):
 *
 *     [inner key bytes][window END: 8-byte big-endian long][window START: 8-byte big-endian long]
 *
 * Note the order: end first, then start (Kafka orders session store keys that way for its range scans).
 * Session windows are inclusive at both ends, and start == end is a valid (single-event) session. As in Kafka,
 * zero bytes deserialize to null.
 */
export class SessionWindowedSerde<K> implements Serde<Windowed<K>> {
  readonly name: string;
  readonly inner: Serde<K>;

  constructor(inner: Serde<K>) {
    this.inner = inner;
    this.name = `SessionWindowed<${inner.name}>`;
  }

  serialize(topic: string, data: Windowed<K> | null, headers?: Headers): Uint8Array | null {
    if (data === null) return null;
    const { start, end } = data.window;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new SerdeError({
        serde: this.name,
        topic,
        operation: 'serialize',
        problem: `cannot serialize the session window [${describeValue(start)}, ${describeValue(end)}]: start and end must be integers (epoch ms) with 0 <= start <= end`,
      });
    }
    const keyBytes = serializeKey(this.name, this.inner, topic, data.key, headers);
    const n = keyBytes.length;
    const out = Buffer.allocUnsafe(n + 16);
    out.set(keyBytes, 0);
    writeInt64BE(out, n, end);
    writeInt64BE(out, n + 8, start);
    return out;
  }

  deserialize(topic: string, data: Uint8Array | null, headers?: Headers): Windowed<K> | null {
    if (data === null || data.length === 0) return null;
    const keyLength = data.length - 16;
    if (keyLength < 0) throw tooShort(this.name, topic, data.length, 16, 'an 8-byte window end and an 8-byte window start');
    const end = readTimestamp(this.name, topic, data, keyLength, 'end');
    const start = readTimestamp(this.name, topic, data, keyLength + 8, 'start');
    if (end < start) {
      throw new SerdeError({
        serde: this.name,
        topic,
        operation: 'deserialize',
        bytes: data.length,
        problem: `read a session window ending at ${end} before its start ${start}`,
        hint:
          "Check the topic's key serde in Consumed.with(...): this looks like a time-windowed key, or a session key " +
          'from a different layout (session keys store the end first, then the start).',
      });
    }
    const key = deserializeKey(this.name, this.inner, topic, data.subarray(0, keyLength), headers);
    return { key, window: { start, end } };
  }
}
