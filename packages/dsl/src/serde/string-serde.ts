import type { Serde } from './serde.ts';
import { badValue } from './serde-error.ts';
import { decodeUtf8, encodeUtf8 } from './binary.ts';

/**
 * Kafka's StringSerializer/StringDeserializer with the default UTF-8 encoding. Byte-exact with Java, including the
 * corner cases where Node differs from Java: an unpaired surrogate is written as '?' (0x3f), and malformed input is
 * decoded with the JDK's replacement rules. A leading BOM is kept, as Java keeps it.
 */
export class StringSerde implements Serde<string> {
  readonly name = 'String';

  serialize(topic: string, data: string | null): Uint8Array | null {
    if (data === null) return null;
    if (typeof data !== 'string') throw badValue(this.name, topic, data, 'a string');
    return encodeUtf8(data);
  }

  deserialize(_topic: string, data: Uint8Array | null): string | null {
    if (data === null) return null;
    return decodeUtf8(data);
  }
}

export const stringSerde: StringSerde = Object.freeze(new StringSerde());
