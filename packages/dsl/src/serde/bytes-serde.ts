import type { Serde } from './serde.ts';
import { badValue } from './serde-error.ts';

/**
 * Kafka's ByteArraySerializer/ByteArrayDeserializer: the bytes pass through untouched, in both directions (the same
 * Uint8Array object, not a copy, as in Java).
 */
export class BytesSerde implements Serde<Uint8Array> {
  readonly name = 'ByteArray';

  serialize(topic: string, data: Uint8Array | null): Uint8Array | null {
    if (data === null) return null;
    if (!(data instanceof Uint8Array)) throw badValue(this.name, topic, data, 'a Uint8Array (or Buffer)');
    return data;
  }

  deserialize(_topic: string, data: Uint8Array | null): Uint8Array | null {
    return data;
  }
}

export const bytesSerde: BytesSerde = Object.freeze(new BytesSerde());
