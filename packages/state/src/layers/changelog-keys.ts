import type { Bytes } from '../api/bytes.ts';
import type { WindowedBytes } from '../api/window-store.ts';
import { readInt, readLong, writeInt, writeLong } from '../util/key-string.ts';
import { StreamsError } from '@ts-streams/dsl/errors';

// Changelog key formats, byte-compatible with Kafka Streams:
//   window store  (WindowKeySchema.toStoreKeyBinary):  [key][8-byte window start, big-endian][4-byte seqnum]
//   session store (SessionKeySchema.toBinary):         [key][8-byte session end][8-byte session start]

const TIMESTAMP_SIZE = 8;
const SEQNUM_SIZE = 4;

export function windowChangelogKey(key: Bytes, windowStart: number, seqnum: number): Bytes {
  const n = key.length;
  const out = new Uint8Array(n + TIMESTAMP_SIZE + SEQNUM_SIZE);
  copyKey(out, key);
  writeLong(out, n, windowStart);
  writeInt(out, n + TIMESTAMP_SIZE, seqnum);
  return out;
}

export function parseWindowChangelogKey(binary: Bytes): { key: Bytes; windowStart: number; seqnum: number } {
  const n = binary.length - TIMESTAMP_SIZE - SEQNUM_SIZE;
  if (n < 0) throw shortKey('window', binary.length, TIMESTAMP_SIZE + SEQNUM_SIZE, 'window start and sequence number');
  return { key: binary.subarray(0, n), windowStart: readLong(binary, n), seqnum: readInt(binary, n + TIMESTAMP_SIZE) };
}

export function sessionChangelogKey(key: Bytes, start: number, end: number): Bytes {
  const n = key.length;
  const out = new Uint8Array(n + 2 * TIMESTAMP_SIZE);
  copyKey(out, key);
  writeLong(out, n, end);
  writeLong(out, n + TIMESTAMP_SIZE, start);
  return out;
}

export function parseSessionChangelogKey(binary: Bytes): WindowedBytes {
  const n = binary.length - 2 * TIMESTAMP_SIZE;
  if (n < 0) throw shortKey('session', binary.length, 2 * TIMESTAMP_SIZE, 'session end and start');
  return { key: binary.subarray(0, n), end: readLong(binary, n), start: readLong(binary, n + TIMESTAMP_SIZE) };
}

/**
 * A changelog key too short for its store's format: the changelog topic holds a record the store did not write (the
 * callers that restore from it do not pass the store's name down).
 */
function shortKey(kind: string, got: number, expected: number, what: string): StreamsError {
  return new StreamsError(
    `A ${kind} store's changelog key has ${got} bytes, fewer than the ${expected} its ${what} take: the changelog topic holds a record this store did not write. ` +
      'Stop whatever else produces to the changelog topic, or reset the application so the store is rebuilt.',
  );
}

/** Copies `key` to the start of `out`: by hand when short (TypedArray#set costs more than the copy for a few bytes). */
function copyKey(out: Uint8Array, key: Bytes): void {
  const n = key.length;
  if (n > 32) {
    out.set(key, 0);
    return;
  }
  for (let i = 0; i < n; i++) out[i] = key[i]!;
}
