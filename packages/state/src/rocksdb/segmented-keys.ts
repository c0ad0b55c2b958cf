import type { Bytes } from '../api/bytes.ts';

// Key layout of the segmented RocksDB stores (window and session). One RocksDB database per store; every
// data key starts with its segment id, so a segment is one contiguous key range and dropping it is one
// DeleteRange:
//
//   window:  [8-byte segment id][escaped key][8-byte window start][4-byte seqnum]
//   session: [8-byte segment id][escaped key][8-byte session end][8-byte session start]
//
// - Numbers (segment id, times) are big-endian two's complement with the sign bit flipped ("ordered longs"),
//   so unsigned byte order is numeric order, negative numbers included. The seqnum is an unsigned 32-bit int.
// - The record key is escaped so that the encoding is prefix-free and order-preserving: every 0x00 byte becomes
//   0x00 0xff and the key ends with 0x00 0x01. Then byte order of stored keys is exactly (segment, key bytes in
//   unsigned order, time, ...), whatever the key lengths: a key that is a prefix of another (0x01 vs 0x01 0x00)
//   can never interleave with it through the bytes that follow it, which Kafka's unescaped [key][time] layout
//   allows (Kafka filters such rows out; here key and key-range scans are exact).
// - A single-byte key [0x00] (META_KEY) holds the store's metadata; segment ids of real times (|t| < 2^53)
//   encode with a first byte of 0x7f or 0x80, so no segment range ever contains it.
//
// These are the store's private on-disk keys; the changelog keeps Kafka's formats (layers/changelog-keys.ts).

const SEGMENT_ID_SIZE = 8;
const TIME_SIZE = 8;
const SEQNUM_SIZE = 4;
/** Window keys end with [start][seqnum]. */
const WINDOW_SUFFIX_SIZE = TIME_SIZE + SEQNUM_SIZE;
/** Session keys end with [end][start]. */
const SESSION_SUFFIX_SIZE = 2 * TIME_SIZE;
const TERMINATOR_SIZE = 2;

/** The metadata key of a segmented store (outside every segment's range). */
export const META_KEY: Buffer = Buffer.from([0x00]);

/** Writes `v` (an integer, |v| < 2^53) as an 8-byte big-endian long with the sign bit flipped. */
export function writeOrderedLong(b: Uint8Array, off: number, v: number): void {
  const hi = Math.floor(v / 4294967296);
  const lo = v - hi * 4294967296;
  b[off] = (hi >>> 24) ^ 0x80; b[off + 1] = hi >>> 16; b[off + 2] = hi >>> 8; b[off + 3] = hi;
  b[off + 4] = lo >>> 24; b[off + 5] = lo >>> 16; b[off + 6] = lo >>> 8; b[off + 7] = lo;
}

/** Reads a long written by writeOrderedLong. */
export function readOrderedLong(b: Uint8Array, off: number): number {
  const hi = ((b[off]! ^ 0x80) << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!;
  const lo = ((b[off + 4]! << 24) | (b[off + 5]! << 16) | (b[off + 6]! << 8) | b[off + 7]!) >>> 0;
  return hi * 4294967296 + lo;
}

function writeUint32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24; b[off + 1] = v >>> 16; b[off + 2] = v >>> 8; b[off + 3] = v;
}

function readUint32(b: Uint8Array, off: number): number {
  return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

/** Length of the escaped form of `key` (its bytes, one more per 0x00, plus the 2-byte terminator). */
export function escapedLength(key: Bytes): number {
  let n = key.length + TERMINATOR_SIZE;
  for (let i = 0; i < key.length; i++) if (key[i] === 0) n++;
  return n;
}

/** Writes the escaped form of `key` at `off`; returns the offset after it. */
export function writeEscaped(b: Uint8Array, off: number, key: Bytes): number {
  for (let i = 0; i < key.length; i++) {
    const c = key[i]!;
    b[off++] = c;
    if (c === 0) b[off++] = 0xff;
  }
  b[off] = 0x00;
  b[off + 1] = 0x01;
  return off + TERMINATOR_SIZE;
}

/**
 * The record key escaped in `b` between `from` and `to` (exclusive, the terminator included). A view of `b`
 * when the key has no 0x00 byte, else a copy.
 */
export function readEscaped(b: Uint8Array, from: number, to: number): Bytes {
  const end = to - TERMINATOR_SIZE;
  let zeros = 0;
  for (let i = from; i < end; i++) {
    if (b[i] === 0) {
      zeros++;
      i++; // skip the 0xff
    }
  }
  if (zeros === 0) return new Uint8Array(b.buffer, b.byteOffset + from, end - from);
  const out = new Uint8Array(end - from - zeros);
  let j = 0;
  for (let i = from; i < end; i++) {
    const c = b[i]!;
    out[j++] = c;
    if (c === 0) i++;
  }
  return out;
}

/** The 8-byte prefix of every key of segment `segmentId`. */
export function segmentPrefix(segmentId: number): Buffer {
  const b = Buffer.allocUnsafe(SEGMENT_ID_SIZE);
  writeOrderedLong(b, 0, segmentId);
  return b;
}

/** The segment id a stored key starts with. */
export function segmentIdOf(storeKey: Uint8Array): number {
  return readOrderedLong(storeKey, 0);
}

/** [segment][escaped key], followed by `suffix` more bytes (left for the caller to fill). */
function keyPrefix(segmentId: number, key: Bytes, suffix: number): Buffer {
  const b = Buffer.allocUnsafe(SEGMENT_ID_SIZE + escapedLength(key) + suffix);
  writeOrderedLong(b, 0, segmentId);
  writeEscaped(b, SEGMENT_ID_SIZE, key);
  return b;
}

/** [segment][escaped key]: every stored key of `key` in that segment starts with it, and no other does. */
export function segmentKeyPrefix(segmentId: number, key: Bytes): Buffer {
  return keyPrefix(segmentId, key, 0);
}

/**
 * The smallest byte string greater than every string starting with `prefix` (exclusive upper bound of a prefix
 * scan), or undefined when there is none (prefix all 0xff).
 */
export function prefixEnd(prefix: Uint8Array): Buffer | undefined {
  let i = prefix.length - 1;
  while (i >= 0 && prefix[i] === 0xff) i--;
  if (i < 0) return undefined;
  const out = Buffer.allocUnsafe(i + 1);
  out.set(prefix.subarray(0, i + 1));
  out[i] = prefix[i]! + 1;
  return out;
}

// --- window keys -------------------------------------------------------------------------------------------

/** [segment][escaped key][start][seqnum]. */
export function windowStoreKey(segmentId: number, key: Bytes, windowStart: number, seqnum: number): Buffer {
  const b = keyPrefix(segmentId, key, WINDOW_SUFFIX_SIZE);
  const off = b.length - WINDOW_SUFFIX_SIZE;
  writeOrderedLong(b, off, windowStart);
  writeUint32(b, off + TIME_SIZE, seqnum);
  return b;
}

/** [segment][escaped key][time]: a bound for scans of one key's windows (start) or sessions (end). */
export function keyTimeBound(segmentId: number, key: Bytes, time: number): Buffer {
  const b = keyPrefix(segmentId, key, TIME_SIZE);
  writeOrderedLong(b, b.length - TIME_SIZE, time);
  return b;
}

export function windowStartOf(storeKey: Uint8Array): number {
  return readOrderedLong(storeKey, storeKey.length - WINDOW_SUFFIX_SIZE);
}

export function windowSeqnumOf(storeKey: Uint8Array): number {
  return readUint32(storeKey, storeKey.length - SEQNUM_SIZE);
}

export function windowKeyOf(storeKey: Uint8Array): Bytes {
  return readEscaped(storeKey, SEGMENT_ID_SIZE, storeKey.length - WINDOW_SUFFIX_SIZE);
}

// --- session keys ------------------------------------------------------------------------------------------

/** [segment][escaped key][end][start]. */
export function sessionStoreKey(segmentId: number, key: Bytes, start: number, end: number): Buffer {
  const b = keyPrefix(segmentId, key, SESSION_SUFFIX_SIZE);
  const off = b.length - SESSION_SUFFIX_SIZE;
  writeOrderedLong(b, off, end);
  writeOrderedLong(b, off + TIME_SIZE, start);
  return b;
}

export function sessionEndOf(storeKey: Uint8Array): number {
  return readOrderedLong(storeKey, storeKey.length - SESSION_SUFFIX_SIZE);
}

export function sessionStartOf(storeKey: Uint8Array): number {
  return readOrderedLong(storeKey, storeKey.length - TIME_SIZE);
}

export function sessionKeyOf(storeKey: Uint8Array): Bytes {
  return readEscaped(storeKey, SEGMENT_ID_SIZE, storeKey.length - SESSION_SUFFIX_SIZE);
}

// --- key ranges within a segment ---------------------------------------------------------------------------

/**
 * Bounds [gte, lt) of the stored keys of segment `segmentId` whose record key is in [keyFrom, keyTo]
 * (inclusive; undefined = unbounded). Exact, thanks to the escaping (see above).
 */
export function segmentKeyRange(segmentId: number, keyFrom: Bytes | undefined, keyTo: Bytes | undefined): { gte: Buffer; lt: Buffer | undefined } {
  const gte = keyFrom === undefined ? segmentPrefix(segmentId) : segmentKeyPrefix(segmentId, keyFrom);
  const lt = keyTo === undefined ? segmentEnd(segmentId) : prefixEnd(segmentKeyPrefix(segmentId, keyTo));
  return { gte, lt };
}

/** The exclusive upper bound of segment `segmentId` (undefined for the very last possible segment). */
export function segmentEnd(segmentId: number): Buffer | undefined {
  return prefixEnd(segmentPrefix(segmentId));
}
