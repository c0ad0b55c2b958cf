import { endianness } from 'node:os';

/**
 * CRC-32C (Castagnoli), the checksum of Kafka's record batches (v2). Table-driven, eight bytes per step
 * ("slicing-by-8") read as two 32-bit words: ~1.2 GB/s here against kafkajs's byte-at-a-time ~0.4 GB/s, so that
 * checking every fetched batch (Java's check.crcs, default true) costs ~0.1 µs per 100-byte record. The produce path
 * (RecordBatchBuilder#finish) writes every batch's with it too.
 */

/** Eight tables of 256 entries, one after the other: T[k * 256 + b] is table k's entry for byte b. */
const T = makeTables();
const LITTLE_ENDIAN = endianness() === 'LE';

function makeTables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
}

/** The CRC-32C of bytes[start..end), as an unsigned 32-bit number. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = -1;
  let i = start;
  if (LITTLE_ENDIAN) {
    // Byte by byte up to a 4-byte aligned address, then 8 bytes a step through an Int32Array over the same memory.
    while (i < end && ((bytes.byteOffset + i) & 3) !== 0) crc = T[(crc ^ bytes[i++]!) & 0xff]! ^ (crc >>> 8);
    const steps = (end - i) >>> 3;
    if (steps > 0) {
      const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, steps * 2);
      for (let k = 0; k < words.length; k += 2) {
        const lo = crc ^ words[k]!;
        const hi = words[k + 1]!;
        crc =
          T[1792 + (lo & 0xff)]! ^
          T[1536 + ((lo >>> 8) & 0xff)]! ^
          T[1280 + ((lo >>> 16) & 0xff)]! ^
          T[1024 + (lo >>> 24)]! ^
          T[768 + (hi & 0xff)]! ^
          T[512 + ((hi >>> 8) & 0xff)]! ^
          T[256 + ((hi >>> 16) & 0xff)]! ^
          T[hi >>> 24]!;
      }
      i += steps * 8;
    }
  }
  while (i < end) crc = T[(crc ^ bytes[i++]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
