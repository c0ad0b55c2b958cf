import type { Serde } from '../serde/serde.ts';
import { SerdeError } from '../errors/serde-error.ts';

/** What a table update carries: the new value and the old one (Kafka Streams' Change). */
export interface ChangeValue<V> {
  readonly newValue: V | null;
  readonly oldValue: V | null;
}

function writeVarint(n: number, out: number[]): void {
  let v = ((n << 1) ^ (n >> 31)) >>> 0; // zig-zag, as Kafka's ByteUtils.writeVarint
  while ((v & ~0x7f) !== 0) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** Reads a zig-zag varint (Kafka's ByteUtils.readVarint); undefined when it runs past 5 bytes (not a varint). */
function readVarint(b: Uint8Array, pos: { i: number }): number | undefined {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = b[pos.i++]!;
    value |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
    if (shift > 28) return undefined;
  }
  return (value >>> 1) ^ -(value & 1);
}

/**
 * Bytes on a groupBy repartition topic that are not in the Changed format: only this application's own groupBy step
 * writes that topic, so something else wrote to it.
 */
function notChangedFormat(serde: string, topic: string, data: Uint8Array, problem: string): SerdeError {
  return new SerdeError({
    serde,
    topic,
    operation: 'deserialize',
    bytes: data.length,
    problem: `${problem}, so they are not in Kafka Streams' Changed format that a KTable#groupBy repartition topic holds`,
    hint:
      "Only this application's groupBy step writes that topic: stop whatever else produces to it (another producer, or " +
      'an application with the same application id and another topology), or reset the application to clear its internal topics.',
  });
}

/**
 * Kafka Streams' ChangedSerializer/ChangedDeserializer: the value format of a KTable#groupBy repartition topic.
 * {old}{0} | {new}{1} | {varint newLength}{new}{old}{2}; flags 3-5 add an isLatest byte before the flag.
 */
export function changedSerde<V>(inner: Serde<V>): Serde<ChangeValue<V>> {
  const name = `Changed<${inner.name}>`;
  return {
    name,
    serialize(topic, data, headers) {
      if (data === null || data === undefined) return null;
      const hasNew = data.newValue !== null && data.newValue !== undefined;
      const hasOld = data.oldValue !== null && data.oldValue !== undefined;
      const n = hasNew ? inner.serialize(topic, data.newValue, headers) : null;
      const o = hasOld ? inner.serialize(topic, data.oldValue, headers) : null;
      if (n && o) {
        const prefix: number[] = [];
        writeVarint(n.length, prefix);
        const out = new Uint8Array(prefix.length + n.length + o.length + 1);
        out.set(prefix, 0);
        out.set(n, prefix.length);
        out.set(o, prefix.length + n.length);
        out[out.length - 1] = 2;
        return out;
      }
      const one = n ?? o;
      if (!one) {
        // Kafka's ChangedSerializer: "Both old and new values are null ... which is not allowed". The groupBy step
        // forwards a change only with a value, so the value serde wrote no bytes for one.
        throw new SerdeError({
          serde: name,
          topic,
          operation: 'serialize',
          problem: `has neither a new nor an old value to write: the value serde ${inner.name} wrote no bytes (null) for a value that is not null`,
          hint: `A value serde must write bytes for every value that is not null: fix ${inner.name}'s serialize, or pass another value serde in Grouped.with(...).`,
        });
      }
      const out = new Uint8Array(one.length + 1);
      out.set(one, 0);
      out[one.length] = n ? 1 : 0;
      return out;
    },
    deserialize(topic, data, headers) {
      if (data === null) return null;
      const flag = data[data.length - 1];
      const de = (b: Uint8Array | null) => (b === null ? null : inner.deserialize(topic, b, headers));
      switch (flag) {
        case 0: return { newValue: null, oldValue: de(data.subarray(0, data.length - 1)) };
        case 1: return { newValue: de(data.subarray(0, data.length - 1)), oldValue: null };
        case 3: return { newValue: null, oldValue: de(data.subarray(0, data.length - 2)) };
        case 4: return { newValue: de(data.subarray(0, data.length - 2)), oldValue: null };
        case 2:
        case 5: {
          const pos = { i: 0 };
          const len = readVarint(data, pos);
          const end = data.length - (flag === 2 ? 1 : 2);
          if (len === undefined || len < 0 || pos.i + len > end) {
            throw notChangedFormat(name, topic, data, `got ${data.length} bytes whose new-value length prefix does not fit them`);
          }
          return { newValue: de(data.subarray(pos.i, pos.i + len)), oldValue: de(data.subarray(pos.i + len, end)) };
        }
        default:
          throw notChangedFormat(name, topic, data, data.length === 0 ? 'got 0 bytes' : `got ${data.length} bytes ending in ${flag}, which is none of the format's flags (0 to 5)`);
      }
    },
  };
}
