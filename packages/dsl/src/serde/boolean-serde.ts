import type { Serde } from './serde.ts';
import { SerdeError, badValue, wrongLength } from './serde-error.ts';

/** Kafka's BooleanSerializer/BooleanDeserializer: one byte, 0x01 for true and 0x00 for false; any other byte is an error. */
export class BooleanSerde implements Serde<boolean> {
  readonly name = 'Boolean';

  serialize(topic: string, data: boolean | null): Uint8Array | null {
    if (data === null) return null;
    if (typeof data !== 'boolean') throw badValue(this.name, topic, data, 'a boolean');
    const buf = Buffer.allocUnsafe(1);
    buf[0] = data ? 1 : 0;
    return buf;
  }

  deserialize(topic: string, data: Uint8Array | null): boolean | null {
    if (data === null) return null;
    if (data.length !== 1) throw wrongLength(this.name, topic, data.length, 1);
    const b = data[0];
    if (b === 1) return true;
    if (b === 0) return false;
    throw new SerdeError({
      serde: this.name,
      topic,
      operation: 'deserialize',
      bytes: 1,
      problem: `got the byte 0x${b.toString(16).padStart(2, '0')}, expected 0x01 (true) or 0x00 (false)`,
    });
  }
}

export const booleanSerde: BooleanSerde = Object.freeze(new BooleanSerde());
