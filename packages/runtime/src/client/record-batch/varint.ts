// Kafka's variable-length integers (protobuf's zig-zag varints), as record batches v2 write a record's length,
// deltas, key/value/header lengths. Written by hand into a Buffer: kafkajs's Encoder allocates per field and goes
// through long.js for 64-bit deltas.

/** The zig-zag form of `n`: 0, -1, 1, -2 … as 0, 1, 2, 3 …; exact for |n| < 2^52 (numbers, not 64-bit longs). */
export function zigZag(n: number): number {
  if (n >= -0x40000000 && n < 0x40000000) return ((n << 1) ^ (n >> 31)) >>> 0;
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

/** The bytes an unsigned varint of `v` (>= 0, an integer) takes. */
export function sizeOfUnsignedVarint(v: number): number {
  if (v < 0x80) return 1;
  if (v < 0x4000) return 2;
  if (v < 0x200000) return 3;
  if (v < 0x10000000) return 4;
  let n = 4;
  for (let x = Math.floor(v / 0x10000000); x > 0; x = Math.floor(x / 0x80)) n++;
  return n;
}

/** Writes `v` (>= 0, an integer below 2^53) as an unsigned varint at `pos`; returns the position after it. */
export function writeUnsignedVarint(buffer: Uint8Array, pos: number, v: number): number {
  if (v > 0xffffffff) {
    while (v >= 0x80) {
      buffer[pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    buffer[pos++] = v;
    return pos;
  }
  while (v >= 0x80) {
    buffer[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buffer[pos++] = v;
  return pos;
}
