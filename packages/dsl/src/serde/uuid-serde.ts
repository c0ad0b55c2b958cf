import type { Serde } from './serde.ts';
import { SerdeError, badValue, describeValue } from './serde-error.ts';
import { decodeUtf8 } from './binary.ts';

const CANONICAL = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const HEX_PART = /^[+-]?[0-9a-fA-F]+$/;
const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;

/** Java's Long.parseLong(part, 16) (ASCII digits only), or undefined where Java throws NumberFormatException. */
function parseLongHex(part: string): bigint | undefined {
  if (!HEX_PART.test(part)) return undefined;
  const negative = part[0] === '-';
  const digits = part[0] === '-' || part[0] === '+' ? part.slice(1) : part;
  const magnitude = BigInt('0x' + digits);
  const v = negative ? -magnitude : magnitude;
  return v < MIN_LONG || v > MAX_LONG ? undefined : v;
}

/**
 * The canonical (lowercase, 8-4-4-4-12) form of a UUID string, exactly as Java's UUID.fromString(s).toString() gives
 * it, or undefined where Java throws. Like Java this accepts upper case and the lenient "short groups" form
 * ("1-2-3-4-5" is 00000001-0002-0003-0004-000000000005); unlike Java, only ASCII hex digits are accepted.
 */
export function canonicalUuid(s: string): string | undefined {
  if (s.length === 36 && CANONICAL.test(s)) return s.toLowerCase();
  if (s.length > 36) return undefined;
  const parts = s.split('-');
  if (parts.length !== 5) return undefined;
  const values: bigint[] = [];
  for (const p of parts) {
    const v = parseLongHex(p);
    if (v === undefined) return undefined;
    values.push(v);
  }
  const widths = [8, 4, 4, 4, 12];
  return values.map((v, i) => BigInt.asUintN(widths[i] * 4, v).toString(16).padStart(widths[i], '0')).join('-');
}

/**
 * Kafka's UUIDSerializer/UUIDDeserializer: the UUID's string form (36 ASCII characters, lowercase) as UTF-8.
 * UUIDs are plain strings here; serializing normalizes them as Java's UUID.toString() would (lowercase), and
 * deserializing returns that canonical form.
 */
export class UuidSerde implements Serde<string> {
  readonly name = 'UUID';

  serialize(topic: string, data: string | null): Uint8Array | null {
    if (data === null) return null;
    const canonical = typeof data === 'string' ? canonicalUuid(data) : undefined;
    if (canonical === undefined) {
      throw badValue(this.name, topic, data, 'a UUID string like "123e4567-e89b-12d3-a456-426614174000"');
    }
    return Buffer.from(canonical, 'latin1');
  }

  deserialize(topic: string, data: Uint8Array | null): string | null {
    if (data === null) return null;
    const text = decodeUtf8(data);
    const canonical = canonicalUuid(text);
    if (canonical === undefined) {
      throw new SerdeError({
        serde: this.name,
        topic,
        operation: 'deserialize',
        bytes: data.length,
        problem: `got ${data.length} bytes that are not a UUID string: ${describeValue(text)}`,
      });
    }
    return canonical;
  }
}

export const uuidSerde: UuidSerde = Object.freeze(new UuidSerde());
