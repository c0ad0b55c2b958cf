import { NO_HEADERS, type Header, type Headers } from '@ts-streams/dsl';
import type { RawRecord } from '../io/raw-record.ts';
import { readU32, writeU32 } from './log-keys.ts';

const TWO_32 = 0x1_0000_0000;

/**
 * A record as the embedded log stores it (the value under its record key, which carries topic, partition and
 * offset):
 *
 *     timestamp   i64 (hi i32, lo u32)
 *     key         i32 length (-1 = null), bytes
 *     value       i32 length (-1 = null), bytes
 *     headers     i32 count, then per header: i32 length + utf8 name, i32 length (-1 = null) + value bytes
 *
 * Encoding writes into one scratch buffer reused for every record (RocksDB's WriteBatch copies what it is given),
 * so producing allocates nothing per record but the view handed to the batch.
 */
export class RecordEncoder {
  private scratch = Buffer.allocUnsafe(4096);

  /** The record's bytes: a view of the scratch buffer, valid until the next encode. */
  encode(record: Pick<RawRecord, 'key' | 'value' | 'timestamp' | 'headers'>): Uint8Array {
    const { key, value, headers } = record;
    let size = 8 + 4 + (key?.length ?? 0) + 4 + (value?.length ?? 0) + 4;
    for (let i = 0; i < headers.length; i++) size += 8 + Buffer.byteLength(headers[i]!.key) + (headers[i]!.value?.length ?? 0);
    if (size > this.scratch.length) this.scratch = Buffer.allocUnsafe(Math.max(size, this.scratch.length * 2));
    const b = this.scratch;
    const ts = record.timestamp;
    const hi = Math.floor(ts / TWO_32);
    b.writeInt32BE(hi, 0);
    writeU32(b, 4, ts - hi * TWO_32);
    let at = writeBytes(b, 8, key);
    at = writeBytes(b, at, value);
    b.writeInt32BE(headers.length, at);
    at += 4;
    for (let i = 0; i < headers.length; i++) {
      const h = headers[i]!;
      const n = b.write(h.key, at + 4, 'utf8');
      b.writeInt32BE(n, at);
      at = writeBytes(b, at + 4 + n, h.value);
    }
    return b.subarray(0, at);
  }
}

function writeBytes(b: Buffer, at: number, bytes: Uint8Array | null): number {
  if (bytes === null) {
    b.writeInt32BE(-1, at);
    return at + 4;
  }
  b.writeInt32BE(bytes.length, at);
  b.set(bytes, at + 4);
  return at + 4 + bytes.length;
}

/**
 * The record stored as `bytes` at `offset`. Key, value and header values are views of `bytes` (no copy): a page of
 * records read from RocksDB is handed to the task as it is.
 */
export function decodeRecord(bytes: Uint8Array, offset: number): RawRecord {
  const timestamp = readI32(bytes, 0) * TWO_32 + readU32(bytes, 4);
  let at = 8;
  const keyLength = readI32(bytes, at);
  const key = keyLength < 0 ? null : bytes.subarray(at + 4, at + 4 + keyLength);
  at += 4 + Math.max(0, keyLength);
  const valueLength = readI32(bytes, at);
  const value = valueLength < 0 ? null : bytes.subarray(at + 4, at + 4 + valueLength);
  at += 4 + Math.max(0, valueLength);
  const count = readI32(bytes, at);
  at += 4;
  let headers: Headers = NO_HEADERS;
  if (count > 0) {
    const list: Header[] = [];
    for (let i = 0; i < count; i++) {
      const n = readI32(bytes, at);
      const name = Buffer.from(bytes.buffer, bytes.byteOffset + at + 4, n).toString('utf8');
      at += 4 + n;
      const m = readI32(bytes, at);
      list.push({ key: name, value: m < 0 ? null : bytes.subarray(at + 4, at + 4 + m) });
      at += 4 + Math.max(0, m);
    }
    headers = list;
  }
  return { key, value, timestamp, headers, offset };
}

/** Only the timestamp of a stored record (retention reads nothing else). */
export function timestampOfRecord(bytes: Uint8Array): number {
  return readI32(bytes, 0) * TWO_32 + readU32(bytes, 4);
}

/** Only the key of a stored record, as a string usable as a Map key (compaction); null for a null key. */
export function keyIdOfRecord(bytes: Uint8Array): string | null {
  const n = readI32(bytes, 8);
  if (n < 0) return null;
  return Buffer.from(bytes.buffer, bytes.byteOffset + 12, n).toString('latin1');
}

function readI32(b: Uint8Array, at: number): number {
  return (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
}
