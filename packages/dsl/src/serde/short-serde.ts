import type { Serde } from './serde.ts';
import { badValue, wrongLength } from './serde-error.ts';

/** Kafka's ShortSerializer/ShortDeserializer: 2 bytes, big-endian two's complement, range [-32768, 32767]. */
export class ShortSerde implements Serde<number> {
  readonly name = 'Short';

  serialize(topic: string, data: number | null): Uint8Array | null {
    if (data === null) return null;
    if (((data << 16) >> 16) !== data) throw badValue(this.name, topic, data, 'an integer in [-32768, 32767]');
    const buf = Buffer.allocUnsafe(2);
    buf[0] = data >>> 8;
    buf[1] = data;
    return buf;
  }

  deserialize(topic: string, data: Uint8Array | null): number | null {
    if (data === null) return null;
    if (data.length !== 2) throw wrongLength(this.name, topic, data.length, 2);
    return (((data[0] << 8) | data[1]) << 16) >> 16;
  }
}

export const shortSerde: ShortSerde = Object.freeze(new ShortSerde());
