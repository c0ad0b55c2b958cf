import type { Bytes } from '../api/bytes.ts';

// The in-memory stores key their maps by a "binary string" of the key bytes: one UTF-16 code unit per byte
// (0..255). JS string comparison (<, >, default sort) compares code units, so these strings sort exactly like
// the bytes do in unsigned lexicographic (RocksDB) order.

const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, s: number, e: number): string }).latin1Slice;

/**
 * The binary-string form of `b` (see above), made natively in one go: a flat string (building it by hand char by
 * char measured no faster, and slower for window stores).
 */
export function keyString(b: Bytes): string {
  return latin1Slice.call(b, 0, b.length);
}

/**
 * A one-entry memo of keyString: a store's get then put of the same key bytes object (the usual read-modify-write:
 * the metered layer hands every layer the same bytes) converts the key once.
 */
export class KeyStringMemo {
  private key: Bytes | undefined = undefined;
  private ks = '';
  of(key: Bytes): string {
    if (key === this.key) return this.ks;
    const ks = keyString(key);
    this.key = key;
    this.ks = ks;
    return ks;
  }
  clear(): void {
    this.key = undefined;
    this.ks = '';
  }
}

/** Inverse of keyString. */
export function keyBytes(s: string): Bytes {
  const n = s.length;
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** The smallest key string greater than every string starting with `prefix`, or undefined if none (all 0xff). */
export function prefixUpperExclusive(prefix: string): string | undefined {
  let i = prefix.length - 1;
  while (i >= 0 && prefix.charCodeAt(i) === 0xff) i--;
  if (i < 0) return undefined;
  return prefix.slice(0, i) + String.fromCharCode(prefix.charCodeAt(i) + 1);
}

/** Index of the first element of sorted `arr` (from `lo`) that is >= x. */
export function lowerBound<T>(arr: readonly T[], x: T, lo = 0, hi = arr.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of sorted `arr` (from `lo`) that is > x. */
export function upperBound<T>(arr: readonly T[], x: T, lo = 0, hi = arr.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const printable = /^[\x20-\x7e]*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A key for an error message: its UTF-8 text if that is printable, else hex. */
export function printableBytes(b: Bytes | null | undefined): string {
  if (b == null) return 'null';
  try {
    const s = utf8.decode(b);
    if (printable.test(s)) return JSON.stringify(s);
  } catch {
    // not UTF-8
  }
  return '0x' + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Writes `v` (an integer, |v| < 2^53) as a big-endian signed 64-bit long at `off`. */
export function writeLong(b: Uint8Array, off: number, v: number): void {
  const hi = Math.floor(v / 4294967296);
  const lo = v - hi * 4294967296;
  b[off] = hi >>> 24; b[off + 1] = hi >>> 16; b[off + 2] = hi >>> 8; b[off + 3] = hi;
  b[off + 4] = lo >>> 24; b[off + 5] = lo >>> 16; b[off + 6] = lo >>> 8; b[off + 7] = lo;
}

/** Reads a big-endian signed 64-bit long written by writeLong. */
export function readLong(b: Uint8Array, off: number): number {
  const hi = (b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!;
  const lo = ((b[off + 4]! << 24) | (b[off + 5]! << 16) | (b[off + 6]! << 8) | b[off + 7]!) >>> 0;
  return hi * 4294967296 + lo;
}

export function writeInt(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24; b[off + 1] = v >>> 16; b[off + 2] = v >>> 8; b[off + 3] = v;
}

export function readInt(b: Uint8Array, off: number): number {
  return (b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!;
}
