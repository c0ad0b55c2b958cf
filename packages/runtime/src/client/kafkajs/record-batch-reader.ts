import type { Header, Headers } from '@ts-streams/dsl';
import { ClientError } from '../../errors/client-error.ts';
import type { RawRecord } from '../../io/raw-record.ts';
import type { RecordReader } from './record-reader.ts';

/**
 * Reads the records of record batches (magic 2, Kafka's DefaultRecord) lazily: keys and values as views of the
 * fetched bytes (no copy), offsets and timestamps as numbers, headers as an ordered list (the shared empty list
 * when there are none). Varints are read by hand; per record it allocates the record, its key and value views and
 * its headers, nothing else. record-set-decoder.ts checks and frames the batches; this reads what they hold.
 *
 *   Record => length:varint attributes:int8 timestampDelta:varlong offsetDelta:varint key:varint-bytes
 *             value:varint-bytes [headerKey:varint-string headerValue:varint-bytes]
 */

/** One batch's records left to read. */
export interface BatchFrame {
  /** The batch's records section (inflated, if the batch was compressed). */
  readonly bytes: Buffer;
  /** Where the next record starts. */
  pos: number;
  readonly end: number;
  /** Records left in the batch. */
  left: number;
  readonly baseOffset: number;
  readonly baseTimestamp: number;
  /** The batch's max timestamp when it is LogAppendTime (every record has it), else -1. */
  readonly logAppendTime: number;
}

const NO_HEADERS: Headers = Object.freeze([]) as Headers;

export class BatchRecordReader implements RecordReader {
  #frame = 0;
  #remaining: number;

  constructor(
    private readonly topic: string,
    private readonly partition: number,
    private readonly frames: BatchFrame[],
  ) {
    let n = 0;
    for (const f of frames) n += f.left;
    this.#remaining = n;
  }

  get remaining(): number {
    return this.#remaining;
  }

  read(max: number, out: RawRecord[]): void {
    let n = Math.min(max, this.#remaining);
    this.#remaining -= n;
    while (n > 0) {
      const f = this.frames[this.#frame]!;
      const count = Math.min(n, f.left);
      try {
        f.pos = decodeRecords(f, count, out);
      } catch (e) {
        throw new ClientError(
          `A record batch of ${this.topic}-${this.partition} (base offset ${f.baseOffset}) cannot be read: ${(e as Error).message}`,
          'fatal',
          { partitions: [{ topic: this.topic, partition: this.partition }], cause: e },
        );
      }
      f.left -= count;
      n -= count;
      if (f.left === 0) this.#frame++;
    }
  }

  skipBelow(offset: number): void {
    while (this.#frame < this.frames.length) {
      const f = this.frames[this.#frame]!;
      if (f.left > 0 && f.baseOffset >= offset) return;
      while (f.left > 0) {
        at = f.pos;
        const length = varint(f.bytes);
        const recordEnd = at + length;
        at++; // attributes
        skipVarint(f.bytes); // timestampDelta
        if (f.baseOffset + varint(f.bytes) >= offset) return;
        f.pos = recordEnd;
        f.left--;
        this.#remaining--;
      }
      this.#frame++;
    }
  }
}

/** The key of a batch's first record (a control record's: version int16, type int16), or null. */
export function firstRecordKey(bytes: Buffer, start: number, end: number): Buffer | null {
  const out: RawRecord[] = [];
  decodeRecords({ bytes, pos: start, end, left: 1, baseOffset: 0, baseTimestamp: 0, logAppendTime: -1 }, 1, out);
  return out[0]!.key as Buffer | null;
}

/** The read position of the varint readers (module state: no object per read). */
let at = 0;

/** A zigzag varint of at most 5 bytes (int32). */
function varint(b: Uint8Array): number {
  let byte = b[at++]!;
  let v = byte & 0x7f;
  if (byte >= 0x80) {
    byte = b[at++]!;
    v |= (byte & 0x7f) << 7;
    if (byte >= 0x80) {
      byte = b[at++]!;
      v |= (byte & 0x7f) << 14;
      if (byte >= 0x80) {
        byte = b[at++]!;
        v |= (byte & 0x7f) << 21;
        if (byte >= 0x80) {
          byte = b[at++]!;
          if (byte > 0x0f) throw new RangeError('a varint longer than 32 bits');
          v |= byte << 28;
        }
      }
    }
  }
  return (v >>> 1) ^ -(v & 1);
}

/** A zigzag varlong (int64), exact within ±2^53 (timestamps and their deltas are). */
function varlong(b: Uint8Array): number {
  let byte = b[at++]!;
  if (byte < 0x80) return (byte >>> 1) ^ -(byte & 1);
  let v = byte & 0x7f;
  let scale = 128;
  for (let i = 1; ; i++) {
    if (i > 9) throw new RangeError('a varlong longer than 64 bits');
    byte = b[at++]!;
    v += (byte & 0x7f) * scale;
    if (byte < 0x80) break;
    scale *= 128;
  }
  // Zigzag on a double: even → v / 2, odd → -(v + 1) / 2.
  return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
}

function skipVarint(b: Uint8Array): void {
  while (b[at++]! >= 0x80);
}

/** Decodes `count` records of the frame from its position into `out`; returns where they end. */
function decodeRecords(f: BatchFrame, count: number, out: RawRecord[]): number {
  const { bytes: b, end, baseOffset, baseTimestamp, logAppendTime } = f;
  const ab = b.buffer;
  const base = b.byteOffset;
  at = f.pos;
  for (let i = 0; i < count; i++) {
    const length = varint(b);
    const recordEnd = at + length;
    if (length < 0 || recordEnd > end) throw new RangeError(`a record of ${length} bytes overruns its batch`);
    at++; // attributes: unused
    const timestampDelta = varlong(b);
    const offset = baseOffset + varint(b);
    const keyLength = varint(b);
    let key: Buffer | null = null;
    if (keyLength >= 0) {
      key = Buffer.from(ab, base + at, keyLength);
      at += keyLength;
    }
    const valueLength = varint(b);
    let value: Buffer | null = null;
    if (valueLength >= 0) {
      value = Buffer.from(ab, base + at, valueLength);
      at += valueLength;
    }
    const headerCount = varint(b);
    const headers = headerCount === 0 ? NO_HEADERS : decodeHeaders(b, headerCount);
    if (at !== recordEnd) throw new RangeError(`the record at offset ${offset} is ${length} bytes long but its fields take ${length + at - recordEnd}`);
    out.push({ key, value, timestamp: logAppendTime >= 0 ? logAppendTime : baseTimestamp + timestampDelta, headers, offset });
  }
  return at;
}

function decodeHeaders(b: Buffer, count: number): Headers {
  if (count < 0) throw new RangeError(`a record with ${count} headers`);
  const headers: Header[] = [];
  for (let h = 0; h < count; h++) {
    const keyLength = varint(b);
    if (keyLength < 0) throw new RangeError('a header with a null key');
    const key = b.toString('utf8', at, at + keyLength);
    at += keyLength;
    const valueLength = varint(b);
    let value: Buffer | null = null;
    if (valueLength >= 0) {
      value = Buffer.from(b.buffer, b.byteOffset + at, valueLength);
      at += valueLength;
    }
    headers.push({ key, value });
  }
  return headers;
}
