import type { Serde } from './serde.ts';
import { badValue, wrongLength } from './serde-error.ts';

/** Kafka's IntegerSerializer/IntegerDeserializer: 4 bytes, big-endian two's complement, range [-2^31, 2^31 - 1]. */
export class IntegerSerde implements Serde<number> {
  readonly name = 'Integer';

  serialize(topic: string, data: number | null): Uint8Array | null {
    if (data === null) return null;
    if ((data | 0) !== data) throw badValue(this.name, topic, data, 'an integer in [-2147483648, 2147483647]');
    const buf = Buffer.allocUnsafe(4);
    buf[0] = data >>> 24;
    buf[1] = data >>> 16;
    buf[2] = data >>> 8;
    buf[3] = data;
    return buf;
  }

  deserialize(topic: string, data: Uint8Array | null): number | null {
    if (data === null) return null;
    if (data.length !== 4) throw wrongLength(this.name, topic, data.length, 4);
    return (data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3];
  }
}

export const integerSerde: IntegerSerde = Object.freeze(new IntegerSerde());
