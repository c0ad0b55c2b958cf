import type { Serde } from './serde.ts';
import { SerdeError, badValue, wrongLength } from './serde-error.ts';
import { asBuffer, hex, isSafeLong, readInt64BE, writeInt64BE } from './binary.ts';

/**
 * Kafka's LongSerializer/LongDeserializer (8 bytes, big-endian two's complement) with values as JS numbers.
 * Every safe integer (|n| <= 2^53 - 1) round-trips exactly; anything else is refused rather than silently rounded:
 * use {@link LongBigIntSerde} (Serdes.LongBigInt()) for the full 64-bit range.
 */
export class LongSerde implements Serde<number> {
  readonly name = 'Long';

  serialize(topic: string, data: number | null): Uint8Array | null {
    if (data === null) return null;
    if (!Number.isSafeInteger(data)) {
      throw badValue(this.name, topic, data, 'a safe integer (|n| <= 2^53 - 1); use Serdes.LongBigInt() for larger 64-bit values');
    }
    const buf = Buffer.allocUnsafe(8);
    writeInt64BE(buf, 0, data);
    return buf;
  }

  deserialize(topic: string, data: Uint8Array | null): number | null {
    if (data === null) return null;
    if (data.length !== 8) throw wrongLength(this.name, topic, data.length, 8);
    const n = readInt64BE(data, 0);
    if (!isSafeLong(n)) {
      throw new SerdeError({
        serde: this.name,
        topic,
        operation: 'deserialize',
        bytes: 8,
        problem: `read the long ${asBuffer(data).readBigInt64BE(0)} (0x${hex(data)}), which a JS number cannot hold exactly`,
        hint: 'Use Serdes.LongBigInt() (values as bigint) for this topic, or check the data really is a Long.',
      });
    }
    return n;
  }
}

export const longSerde: LongSerde = Object.freeze(new LongSerde());

const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;

/** Kafka's LongSerializer/LongDeserializer with values as `bigint`: the full signed 64-bit range. Same bytes as Long. */
export class LongBigIntSerde implements Serde<bigint> {
  readonly name = 'LongBigInt';

  serialize(topic: string, data: bigint | null): Uint8Array | null {
    if (data === null) return null;
    if (typeof data !== 'bigint' || data < MIN_LONG || data > MAX_LONG) {
      throw badValue(this.name, topic, data, 'a bigint in the signed 64-bit range [-2^63, 2^63 - 1]');
    }
    const buf = Buffer.allocUnsafe(8);
    buf.writeBigInt64BE(data, 0);
    return buf;
  }

  deserialize(topic: string, data: Uint8Array | null): bigint | null {
    if (data === null) return null;
    if (data.length !== 8) throw wrongLength(this.name, topic, data.length, 8);
    return asBuffer(data).readBigInt64BE(0);
  }
}

export const longBigIntSerde: LongBigIntSerde = Object.freeze(new LongBigIntSerde());
