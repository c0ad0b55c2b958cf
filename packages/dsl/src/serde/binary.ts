/**
 * Byte-level helpers shared by the serdes (internal: not re-exported from index.ts).
 * Everything here is on the hot path: no closures, no BigInt, no per-call allocation beyond the output buffer.
 */

/** 2^32, for splitting a safe integer into two 32-bit halves. */
const TWO_32 = 4294967296;

/** A Buffer view of the same memory (no copy) so Buffer methods work on any Uint8Array. */
export function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Writes a safe integer as an 8-byte big-endian two's-complement long (Kafka's LongSerializer layout).
 * The caller has checked Number.isSafeInteger(n): then hi * 2^32 + lo is exact and hi fits in an int32.
 */
export function writeInt64BE(buf: Uint8Array, offset: number, n: number): void {
  const hi = Math.floor(n / TWO_32);
  const lo = n - hi * TWO_32; // 0 <= lo < 2^32, exact
  buf[offset] = hi >>> 24;
  buf[offset + 1] = hi >>> 16;
  buf[offset + 2] = hi >>> 8;
  buf[offset + 3] = hi;
  buf[offset + 4] = lo >>> 24;
  buf[offset + 5] = lo >>> 16;
  buf[offset + 6] = lo >>> 8;
  buf[offset + 7] = lo;
}

/**
 * Reads an 8-byte big-endian long as a number. Exact whenever the long is a safe integer; otherwise the result is
 * outside [-(2^53-1), 2^53-1] (rounding is monotonic), so callers detect "too big" with isSafeLong().
 */
export function readInt64BE(data: Uint8Array, offset: number): number {
  const hi = (data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3];
  const lo = ((data[offset + 4] << 24) | (data[offset + 5] << 16) | (data[offset + 6] << 8) | data[offset + 7]) >>> 0;
  return hi * TWO_32 + lo;
}

/** True when a value returned by readInt64BE is exact (a safe integer). */
export function isSafeLong(n: number): boolean {
  return n <= Number.MAX_SAFE_INTEGER && n >= -Number.MAX_SAFE_INTEGER;
}

/** The 8 bytes of a long as 16 hex digits, for error messages. */
export function hex(data: Uint8Array, start = 0, end = data.length): string {
  return asBuffer(data).toString('hex', start, end);
}

// ---------------------------------------------------------------------------------------------------------------
// UTF-8 exactly as Java's String.getBytes(UTF_8) / new String(bytes, UTF_8) do it (Kafka's StringSerializer and
// StringDeserializer). Node agrees with Java on all well-formed text; they differ on malformed input:
//  - encoding: Java writes '?' (0x3f) for each unpaired surrogate, Node writes U+FFFD (ef bf bd);
//  - decoding: both replace bad sequences with U+FFFD, but not always the same number of them (Java turns the
//    3-byte encoding of a surrogate, e.g. ed a0 80, into one U+FFFD where Node/WHATWG gives three).
// So: fast path through Node, and a port of the JDK's decoder only when Node's result shows a replacement char.

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

interface WellFormedString {
  isWellFormed(): boolean;
}

/**
 * UTF-8 bytes of s, byte-for-byte what Java's s.getBytes(StandardCharsets.UTF_8) returns. Short ASCII strings (most
 * keys) are copied by hand into a pooled Buffer: about twice as fast as the native encoder for them.
 */
export function encodeUtf8(s: string): Buffer {
  const n = s.length;
  if (n <= 32) {
    const out = Buffer.allocUnsafe(n);
    if (asciiInto(s, out)) return out;
  }
  if (!(s as unknown as WellFormedString).isWellFormed()) s = s.replace(LONE_SURROGATE, '?');
  return Buffer.from(s, 'utf8');
}

/**
 * encodeUtf8(s) with `extra` bytes after it for the caller to fill (a windowed key's start): one buffer, no
 * intermediate one to copy.
 */
export function encodeUtf8Padded(s: string, extra: number): Buffer {
  if (s.length <= 32) {
    const out = Buffer.allocUnsafe(s.length + extra);
    if (asciiInto(s, out)) return out;
  }
  const b = encodeUtf8(s);
  const out = Buffer.allocUnsafe(b.length + extra);
  out.set(b, 0);
  return out;
}

/** Writes `s` to the start of `out` char by char while it is ASCII; true if all of it was. */
function asciiInto(s: string, out: Uint8Array): boolean {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return false;
    out[i] = c;
  }
  return true;
}

/** Buffer's native UTF-8 and Latin-1 decoders, callable on any Uint8Array (no Buffer view per call). */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }).latin1Slice;
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice(this: Uint8Array, start: number, end: number): string }).utf8Slice;

/** The string Java's new String(data, StandardCharsets.UTF_8) returns (no BOM stripping, Java's replacement rules). */
export function decodeUtf8(data: Uint8Array): string {
  const n = data.length;
  if (n <= 16) {
    // Short ASCII (most keys): Latin-1 decoding gives the same string, and skips the check for U+FFFD. (Building it
    // by hand char by char made a new string per char: measured ~30 % slower once the string is used as a Map key.)
    let i = 0;
    while (i < n && data[i]! <= 0x7f) i++;
    if (i === n) return latin1Slice.call(data, 0, n);
  }
  const s = utf8Slice.call(data, 0, n);
  return s.indexOf('\ufffd') === -1 ? s : decodeUtf8Java(data);
}

const REPL = 0xfffd;

function isNotContinuation(b: number): boolean {
  return (b & 0xc0) !== 0x80;
}

/**
 * Port of the JDK's String.decodeUTF8_UTF16 with replacement (JDK 17-25; bytes are unsigned here, so the JDK's
 * signed-byte tests are rewritten on 0..255). Slow path: only used when the input has malformed sequences (or a real
 * U+FFFD).
 */
function decodeUtf8Java(src: Uint8Array): string {
  const sl = src.length;
  const out: number[] = [];
  let sp = 0;
  while (sp < sl) {
    const b1 = src[sp++];
    if (b1 < 0x80) {
      out.push(b1);
    } else if (b1 >= 0xc2 && b1 <= 0xdf) {
      // 2-byte lead (c0/c1 are overlong: handled by the final else)
      if (sp < sl) {
        const b2 = src[sp++];
        if (isNotContinuation(b2)) {
          out.push(REPL);
          sp--;
        } else {
          out.push(((b1 & 0x1f) << 6) | (b2 & 0x3f));
        }
        continue;
      }
      out.push(REPL);
      break;
    } else if (b1 >= 0xe0 && b1 <= 0xef) {
      if (sp + 1 < sl) {
        const b2 = src[sp++];
        const b3 = src[sp++];
        if ((b1 === 0xe0 && (b2 & 0xe0) === 0x80) || isNotContinuation(b2) || isNotContinuation(b3)) {
          out.push(REPL);
          sp -= 3;
          // malformed3: skip 1 byte, or 2 when the second byte was fine
          sp += (b1 === 0xe0 && (b2 & 0xe0) === 0x80) || isNotContinuation(b2) ? 1 : 2;
        } else {
          const c = ((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
          out.push(c >= 0xd800 && c <= 0xdfff ? REPL : c);
        }
        continue;
      }
      if (sp < sl && ((b1 === 0xe0 && (src[sp] & 0xe0) === 0x80) || isNotContinuation(src[sp]))) {
        out.push(REPL);
        continue;
      }
      out.push(REPL);
      break;
    } else if (b1 >= 0xf0 && b1 <= 0xf7) {
      if (sp + 2 < sl) {
        const b2 = src[sp++];
        const b3 = src[sp++];
        const b4 = src[sp++];
        const uc = ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
        if (isNotContinuation(b2) || isNotContinuation(b3) || isNotContinuation(b4) || uc < 0x10000 || uc > 0x10ffff) {
          out.push(REPL);
          sp -= 4;
          sp += malformed4(src, sp);
        } else {
          const v = uc - 0x10000;
          out.push(0xd800 | (v >>> 10), 0xdc00 | (v & 0x3ff));
        }
        continue;
      }
      if (b1 > 0xf4 || (sp < sl && isMalformed4_2(b1, src[sp]))) {
        out.push(REPL);
        continue;
      }
      sp++;
      out.push(REPL);
      if (sp < sl && isNotContinuation(src[sp])) continue;
      break;
    } else {
      out.push(REPL);
    }
  }
  let s = '';
  for (let i = 0; i < out.length; i += 8192) s += String.fromCharCode.apply(null, out.slice(i, i + 8192));
  return s;
}

function isMalformed4_2(b1: number, b2: number): boolean {
  return (b1 === 0xf0 && (b2 < 0x90 || b2 > 0xbf)) || (b1 === 0xf4 && (b2 & 0xf0) !== 0x80) || isNotContinuation(b2);
}

function malformed4(src: Uint8Array, sp: number): number {
  const b1 = src[sp++];
  const b2 = src[sp++];
  if (b1 > 0xf4 || (b1 === 0xf0 && (b2 < 0x90 || b2 > 0xbf)) || (b1 === 0xf4 && (b2 & 0xf0) !== 0x80) || isNotContinuation(b2)) {
    return 1;
  }
  if (isNotContinuation(src[sp])) return 2;
  return 3;
}
