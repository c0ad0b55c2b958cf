import { Serdes, type Serde } from '@ts-streams/dsl';

/** The serdes --key-serde and --value-serde name (Kafka's, by their usual names; bytes shown and read as hex). */
export const SERDE_NAMES = ['string', 'json', 'long', 'integer', 'double', 'bytes-hex'] as const;
export type SerdeName = (typeof SERDE_NAMES)[number];

export function serdeNamed(name: SerdeName): Serde<unknown> {
  switch (name) {
    case 'string':
      return Serdes.String() as Serde<unknown>;
    case 'json':
      return Serdes.JSON<unknown>() as Serde<unknown>;
    case 'long':
      return Serdes.Long() as Serde<unknown>;
    case 'integer':
      return Serdes.Integer() as Serde<unknown>;
    case 'double':
      return Serdes.Double() as Serde<unknown>;
    case 'bytes-hex':
      return Serdes.ByteArray() as Serde<unknown>;
  }
}

/**
 * A key or value typed on a line of `streams produce` (the text after or before the tab), as the serde takes it:
 * string as is, json parsed, long / integer / double as numbers in their range, bytes-hex as hex digits. A problem
 * is thrown as an Error whose message says what was expected.
 */
export function fromText(name: SerdeName, text: string): unknown {
  switch (name) {
    case 'string':
      return text;
    case 'json':
      try {
        return JSON.parse(text);
      } catch (e) {
        throw new Error(`'${short(text)}' is not JSON (${(e as Error).message}); with --*-serde json each one is a JSON value`);
      }
    case 'long':
    case 'integer':
    case 'double':
      return numberOf(name, text.trim() === '' ? NaN : Number(text), text);
    case 'bytes-hex':
      return hexBytes(text);
  }
}

/** A key or value of a `--json` line, as the serde takes it (a JSON string for string serdes is the text itself). */
export function fromJson(name: SerdeName, value: unknown): unknown {
  if (value === null) return null;
  switch (name) {
    case 'string':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'json':
      return value;
    case 'long':
    case 'integer':
    case 'double':
      if (typeof value === 'number') return numberOf(name, value, JSON.stringify(value));
      if (typeof value === 'string') return fromText(name, value);
      throw new Error(`${JSON.stringify(value)} is not a number, which --*-serde ${name} takes`);
    case 'bytes-hex':
      if (typeof value === 'string') return hexBytes(value);
      throw new Error(`${short(JSON.stringify(value))} is not a string of hex digits, which --*-serde bytes-hex takes`);
  }
}

function numberOf(name: 'long' | 'integer' | 'double', n: number, text: string): number {
  if (name === 'double' && Number.isFinite(n)) return n;
  if (name === 'long' && Number.isSafeInteger(n)) return n;
  if (name === 'integer' && Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31) return n;
  const wanted = name === 'double' ? 'a number' : name === 'long' ? 'a whole number (a safe integer)' : 'a whole number in the 32-bit range';
  throw new Error(`'${short(text)}' is not ${wanted}, which --*-serde ${name} takes`);
}

function hexBytes(text: string): Uint8Array {
  const hex = text.trim().replace(/^0x/i, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`'${short(text)}' is not hex bytes (pairs of hex digits), which --*-serde bytes-hex takes`);
  return Buffer.from(hex, 'hex');
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
