import type { Serde } from './serde.ts';
import { badValue, wrongLength } from './serde-error.ts';
import { asBuffer } from './binary.ts';

/**
 * Kafka's DoubleSerializer/DoubleDeserializer: IEEE 754 binary64, big-endian, 8 bytes. Like Java's
 * Double.doubleToLongBits, every NaN is written as the canonical 0x7ff8000000000000; -0 keeps its sign bit.
 */
export class DoubleSerde implements Serde<number> {
  readonly name = 'Double';

  serialize(topic: string, data: number | null): Uint8Array | null {
    if (data === null) return null;
    if (typeof data !== 'number') throw badValue(this.name, topic, data, 'a number');
    const buf = Buffer.allocUnsafe(8);
    if (data !== data) {
      // NaN: canonical bits, whatever payload the engine carries
      buf[0] = 0x7f;
      buf[1] = 0xf8;
      buf.fill(0, 2, 8);
    } else {
      buf.writeDoubleBE(data, 0);
    }
    return buf;
  }

  deserialize(topic: string, data: Uint8Array | null): number | null {
    if (data === null) return null;
    if (data.length !== 8) throw wrongLength(this.name, topic, data.length, 8);
    return asBuffer(data).readDoubleBE(0);
  }
}

export const doubleSerde: DoubleSerde = Object.freeze(new DoubleSerde());
