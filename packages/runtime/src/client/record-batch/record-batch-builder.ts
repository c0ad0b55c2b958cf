import type { Headers } from '@ts-streams/dsl';
import { crc32c } from './crc32c.ts';
import { sizeOfUnsignedVarint, writeUnsignedVarint, zigZag } from './varint.ts';

/**
 * The bytes of a record batch (magic 2) before its records:
 * baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8, crc uint32, attributes int16,
 * lastOffsetDelta int32, baseTimestamp int64, maxTimestamp int64, producerId int64, producerEpoch int16,
 * baseSequence int32, recordCount int32.
 */
export const BATCH_HEADER_BYTES = 61;
/** Where the CRC-32C starts (attributes) and where the CRC itself sits. */
const CRC_FROM = 21;
const CRC_AT = 17;
const TRANSACTIONAL = 0x10;
const TWO_32 = 0x100000000;

/**
 * One record batch (format v2, uncompressed, CreateTime) written record by record into one Buffer, as Kafka's
 * MemoryRecordsBuilder does: each record's varints by hand, its key, value and headers copied in. The header is
 * written by `finish`, once the producer id, epoch and first sequence are known (when the batch is first sent), with
 * the CRC-32C over attributes..end; the bytes never change after that, so a retry resends them as they are.
 *
 * The base timestamp is the first record's, the others are deltas from it (negative ones too, as Java writes them);
 * the max timestamp is the largest.
 */
export class RecordBatchBuilder {
  /** Where the records go; its first BATCH_HEADER_BYTES are the header. */
  readonly buffer: Buffer;
  /** Bytes written: the header's and the records'. */
  size = BATCH_HEADER_BYTES;
  /** Records in the batch. */
  count = 0;
  baseTimestamp = 0;
  maxTimestamp = 0;

  constructor(buffer: Buffer) {
    this.buffer = buffer;
  }

  /** The batch's bytes (complete once finished). */
  get bytes(): Buffer {
    return this.buffer.subarray(0, this.size);
  }

  /**
   * Appends a record if it fits in what is left of the buffer: false (nothing written) if not. Header keys are
   * written as UTF-8; a header value may be null.
   */
  append(key: Uint8Array | null, value: Uint8Array | null, timestamp: number, headers: Headers): boolean {
    const count = this.count;
    const base = count === 0 ? timestamp : this.baseTimestamp;
    const keyLength = key === null ? -1 : key.length;
    const valueLength = value === null ? -1 : value.length;
    const timestampDelta = zigZag(timestamp - base);
    const headerCount = headers.length;
    // attributes, timestamp delta, offset delta, key, value, header count.
    let body =
      1 +
      (timestampDelta < 0x80 ? 1 : sizeOfUnsignedVarint(timestampDelta)) +
      sizeOfUnsignedVarint(count * 2) +
      (keyLength < 0 ? 1 : sizeOfUnsignedVarint(keyLength * 2) + keyLength) +
      (valueLength < 0 ? 1 : sizeOfUnsignedVarint(valueLength * 2) + valueLength) +
      sizeOfUnsignedVarint(headerCount * 2);
    if (headerCount > 0) body += headersSize(headers);
    const total = sizeOfUnsignedVarint(body * 2) + body;
    let pos = this.size;
    const buffer = this.buffer;
    if (pos + total > buffer.length) return false;
    if (count === 0) {
      this.baseTimestamp = timestamp;
      this.maxTimestamp = timestamp;
    } else if (timestamp > this.maxTimestamp) {
      this.maxTimestamp = timestamp;
    }
    pos = writeUnsignedVarint(buffer, pos, body * 2);
    buffer[pos++] = 0; // attributes: none for a record
    if (timestampDelta < 0x80) buffer[pos++] = timestampDelta;
    else pos = writeUnsignedVarint(buffer, pos, timestampDelta);
    pos = writeUnsignedVarint(buffer, pos, count * 2);
    if (key === null) buffer[pos++] = 1; // zig-zag -1
    else {
      pos = writeUnsignedVarint(buffer, pos, keyLength * 2);
      pos = copy(buffer, pos, key);
    }
    if (value === null) buffer[pos++] = 1;
    else {
      pos = writeUnsignedVarint(buffer, pos, valueLength * 2);
      pos = copy(buffer, pos, value);
    }
    pos = writeUnsignedVarint(buffer, pos, headerCount * 2);
    for (let i = 0; i < headerCount; i++) {
      const h = headers[i]!;
      const keyBytes = Buffer.byteLength(h.key, 'utf8');
      pos = writeUnsignedVarint(buffer, pos, keyBytes * 2);
      pos += buffer.write(h.key, pos, keyBytes, 'utf8');
      if (h.value === null) buffer[pos++] = 1;
      else {
        pos = writeUnsignedVarint(buffer, pos, h.value.length * 2);
        pos = copy(buffer, pos, h.value);
      }
    }
    this.size = pos;
    this.count = count + 1;
    return true;
  }

  /**
   * Writes the header: producer id and epoch (-1 and -1 for a producer without them), the first record's sequence
   * number, transactional or not; then the CRC-32C. The batch is complete after it.
   */
  finish(producerId: bigint, producerEpoch: number, baseSequence: number, transactional = false): void {
    const b = this.buffer;
    b.writeInt32BE(0, 0); // baseOffset: the broker assigns it
    b.writeInt32BE(0, 4);
    b.writeInt32BE(this.size - 12, 8); // batchLength: the bytes after it
    b.writeInt32BE(-1, 12); // partitionLeaderEpoch: the broker sets it
    b[16] = 2; // magic
    b.writeInt16BE(transactional ? TRANSACTIONAL : 0, 21); // attributes: no compression, CreateTime
    b.writeInt32BE(this.count - 1, 23); // lastOffsetDelta
    writeInt64(b, 27, this.baseTimestamp);
    writeInt64(b, 35, this.maxTimestamp);
    b.writeBigInt64BE(producerId, 43);
    b.writeInt16BE(producerEpoch, 51);
    b.writeInt32BE(baseSequence, 53);
    b.writeInt32BE(this.count, 57);
    b.writeUInt32BE(crc32c(b, CRC_FROM, this.size), CRC_AT);
  }

  /** The bytes a record takes in a batch at most (its offset and timestamp deltas taken as the largest varints). */
  static maxRecordSize(key: Uint8Array | null, value: Uint8Array | null, headers: Headers): number {
    const keyLength = key === null ? 0 : key.length;
    const valueLength = value === null ? 0 : value.length;
    return 5 + 1 + 10 + 5 + 5 + keyLength + 5 + valueLength + 5 + (headers.length > 0 ? headersSize(headers) : 0);
  }
}

/** The bytes of a record's headers (without their count). */
function headersSize(headers: Headers): number {
  let n = 0;
  for (const h of headers) {
    const keyBytes = Buffer.byteLength(h.key, 'utf8');
    n += sizeOfUnsignedVarint(keyBytes * 2) + keyBytes;
    n += h.value === null ? 1 : sizeOfUnsignedVarint(h.value.length * 2) + h.value.length;
  }
  return n;
}

/** Copies `bytes` into `buffer` at `pos`: a loop for a few bytes (cheaper than set's call), set() above. */
function copy(buffer: Uint8Array, pos: number, bytes: Uint8Array): number {
  const n = bytes.length;
  if (n < 16) {
    for (let i = 0; i < n; i++) buffer[pos + i] = bytes[i]!;
  } else {
    buffer.set(bytes, pos);
  }
  return pos + n;
}

/** A 64-bit big-endian integer from a number (exact below 2^53; negative ones too). */
function writeInt64(b: Buffer, pos: number, v: number): void {
  const high = Math.floor(v / TWO_32);
  b.writeInt32BE(high, pos);
  b.writeUInt32BE(v - high * TWO_32, pos + 4);
}
