import { SerdeError } from '../../src/serde/serde-error.ts';

/** Hex of serialized bytes ('' for zero bytes), or null for a Kafka null. */
export function hex(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(h: string): Buffer {
  return Buffer.from(h, 'hex');
}

/** A plain Uint8Array (not a Buffer) with the given hex, to check serdes do not rely on Buffer methods. */
export function plainBytes(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h, 'hex'));
}

export const TOPIC = 'counts';

export { SerdeError };
