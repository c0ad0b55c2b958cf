import type { Serde } from './serde.ts';
import { badValue, wrongLength } from './serde-error.ts';
import { asBuffer } from './binary.ts';

/**
 * Kafka's FloatSerializer/FloatDeserializer: IEEE 754 binary32, big-endian, 4 bytes. JS numbers are doubles, so
 * serializing rounds to the nearest float (0.1 comes back as 0.10000000149011612), as casting a double to float in
 * Java does; NaN is written as 0x7fc00000 (Java's Float.NaN), values beyond the float range become ±Infinity.
 */
export class FloatSerde implements Serde<number> {
  readonly name = 'Float';

  serialize(topic: string, data: number | null): Uint8Array | null {
    if (data === null) return null;
    if (typeof data !== 'number') throw badValue(this.name, topic, data, 'a number');
    const buf = Buffer.allocUnsafe(4);
    if (data !== data) {
      buf[0] = 0x7f;
      buf[1] = 0xc0;
      buf[2] = 0;
      buf[3] = 0;
    } else {
      buf.writeFloatBE(data, 0);
    }
    return buf;
  }

  deserialize(topic: string, data: Uint8Array | null): number | null {
    if (data === null) return null;
    if (data.length !== 4) throw wrongLength(this.name, topic, data.length, 4);
    return asBuffer(data).readFloatBE(0);
  }
}

export const floatSerde: FloatSerde = Object.freeze(new FloatSerde());
