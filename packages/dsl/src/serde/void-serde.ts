import type { Serde } from './serde.ts';
import { SerdeError } from './serde-error.ts';

/**
 * Kafka's VoidSerializer/VoidDeserializer, for keys or values that are always absent: serializes everything to null,
 * and deserializing anything but null (even zero bytes) is an error.
 */
export class VoidSerde implements Serde<null> {
  readonly name = 'Void';

  serialize(_topic: string, _data: null): Uint8Array | null {
    return null;
  }

  deserialize(topic: string, data: Uint8Array | null): null {
    if (data === null) return null;
    throw new SerdeError({
      serde: this.name,
      topic,
      operation: 'deserialize',
      bytes: data.length,
      problem: `got ${data.length} ${data.length === 1 ? 'byte' : 'bytes'}, expected null (the Void serde only reads absent keys/values)`,
    });
  }
}

export const voidSerde: VoidSerde = Object.freeze(new VoidSerde());
