import type { Serde } from '../serde/serde.ts';

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

function readVarint(b: Uint8Array, pos: { i: number }): number {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = b[pos.i++]!;
    value |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
    if (shift > 28) throw new Error('Varint is too long');
  }
  return (value >>> 1) ^ -(value & 1);
}

/**
 * Kafka Streams' ChangedSerializer/ChangedDeserializer: the value format of a KTable#groupBy repartition topic.
 * {old}{0} | {new}{1} | {varint newLength}{new}{old}{2}; flags 3-5 add an isLatest byte before the flag.
 */
export function changedSerde<V>(inner: Serde<V>): Serde<ChangeValue<V>> {
  return {
    name: `Changed<${inner.name}>`,
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
      if (!one) throw new Error('Both old and new values are null in ChangedSerializer, which is not allowed.');
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
          return { newValue: de(data.subarray(pos.i, pos.i + len)), oldValue: de(data.subarray(pos.i + len, end)) };
        }
        default:
          throw new Error(`Encountered unknown byte value \`${flag}\` for encodingFlag in ChangedDeserializer.`);
      }
    },
  };
}
