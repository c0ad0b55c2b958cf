import type { Serde } from '../serde/serde.ts';
import { TopologyError } from '../errors/topology-error.ts';
import { SerdeError } from '../errors/serde-error.ts';

/** Key of the shared outer-join store: record key, its timestamp and the side it came from (Kafka's TimestampedKeyAndJoinSide). */
export interface TimestampedKeyAndJoinSide<K> {
  readonly key: K;
  readonly timestamp: number;
  readonly leftSide: boolean;
}

/** One held non-joined value (Kafka's LeftOrRightValue). */
export interface LeftOrRightValue<VL, VR> {
  readonly leftSide: boolean;
  readonly value: VL | VR;
}

function need<T>(s: Serde<T> | undefined, what: string): Serde<T> {
  if (!s) throw new TopologyError(`The outer-join store needs a ${what} serde; pass it in StreamJoined or set the builder's default serdes.`);
  return s;
}

/**
 * Kafka's TimestampedKeyAndJoinSideSerde layout: 8-byte big-endian timestamp, one byte (1 = left, 0 = right),
 * then the key's bytes. Byte order of the store therefore iterates by timestamp, right before left, then key.
 */
export function timestampedKeyAndJoinSideSerde<K>(keySerde: Serde<K> | undefined): Serde<TimestampedKeyAndJoinSide<K>> {
  return {
    name: `TimestampedKeyAndJoinSide<${keySerde?.name ?? 'default'}>`,
    serialize(topic, data) {
      if (data === null || data === undefined) return null;
      const k = need(keySerde, 'key').serialize(topic, data.key) ?? new Uint8Array(0);
      const out = Buffer.allocUnsafe(9 + k.length);
      out.writeBigInt64BE(BigInt(data.timestamp), 0);
      out[8] = data.leftSide ? 1 : 0;
      out.set(k, 9);
      return out;
    },
    deserialize(topic, bytes) {
      if (bytes === null) return null;
      const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return { timestamp: Number(b.readBigInt64BE(0)), leftSide: b[8] === 1, key: need(keySerde, 'key').deserialize(topic, b.subarray(9)) as K };
    },
  };
}

/** Kafka's ListSerializer strategy flag (SerializationStrategy.VARIABLE_SIZE.ordinal()): a length before each entry. */
const VARIABLE_SIZE = 1;

/**
 * The shared outer store keeps a list of values per key (Kafka's ListValueStore, whose changelog carries the whole
 * list: ChangeLoggingListValueBytesStore), in Kafka's bytes, Serdes.ListSerde(ArrayList, ByteArray) of
 * LeftOrRightValue: one byte 1 (variable-size entries), 4-byte count, then per value a 4-byte length and that many
 * bytes of LeftOrRightValueSerializer: the side byte (1 = left, 0 = right) and the value's bytes.
 */
export function leftOrRightValueListSerde<VL, VR>(leftSerde: Serde<VL> | undefined, rightSerde: Serde<VR> | undefined): Serde<LeftOrRightValue<VL, VR>[]> {
  return {
    name: `List<LeftOrRightValue<${leftSerde?.name ?? 'default'}, ${rightSerde?.name ?? 'default'}>>`,
    serialize(topic, data) {
      if (data === null || data === undefined) return null;
      const parts = data.map((v) => (v.leftSide ? need(leftSerde, 'value').serialize(topic, v.value as VL) : need(rightSerde, 'other value').serialize(topic, v.value as VR)) ?? new Uint8Array(0));
      const out = Buffer.allocUnsafe(5 + parts.reduce((n, p) => n + 5 + p.length, 0));
      out[0] = VARIABLE_SIZE;
      out.writeUInt32BE(data.length, 1);
      let o = 5;
      parts.forEach((p, i) => {
        out.writeUInt32BE(1 + p.length, o);
        out[o + 4] = data[i]!.leftSide ? 1 : 0;
        out.set(p, o + 5);
        o += 5 + p.length;
      });
      return out;
    },
    deserialize(topic, bytes) {
      if (bytes === null) return null;
      const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (b[0] !== VARIABLE_SIZE) {
        throw new SerdeError({
          serde: this.name, topic, operation: 'deserialize', bytes: b.length,
          problem: `got a list whose strategy byte is ${b[0]}, expected ${VARIABLE_SIZE} (Kafka's variable-size ListSerde)`,
          hint: 'The outer-join store or its changelog holds data in another format: reset the application (delete its state and changelog) to rebuild it.',
        });
      }
      const n = b.readUInt32BE(1);
      const out: LeftOrRightValue<VL, VR>[] = [];
      let o = 5;
      for (let i = 0; i < n; i++) {
        const len = b.readUInt32BE(o);
        const leftSide = b[o + 4] === 1;
        const raw = b.subarray(o + 5, o + 4 + len);
        const value = leftSide ? need(leftSerde, 'value').deserialize(topic, raw) : need(rightSerde, 'other value').deserialize(topic, raw);
        out.push({ leftSide, value: value as VL | VR });
        o += 4 + len;
      }
      return out;
    },
  };
}
