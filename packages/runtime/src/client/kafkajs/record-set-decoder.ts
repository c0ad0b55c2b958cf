import { createRequire } from 'node:module';
import type { KafkaMessage } from 'kafkajs';
import { ClientError } from '../../errors/client-error.ts';
import type { RawRecord } from '../../io/raw-record.ts';
import { crc32c } from '../record-batch/crc32c.ts';
import { decimal, fromKafkajsMessage } from './kafkajs-records.ts';
import { BatchRecordReader, firstRecordKey, type BatchFrame } from './record-batch-reader.ts';
import { ArrayRecordReader, type RecordReader } from './record-reader.ts';

/**
 * Decodes the record set of one partition of a Fetch response — a sequence of record batches (magic 2, Kafka's
 * DefaultRecordBatch) — into a RecordReader of the records to hand out, which makes record objects only as polls
 * take them (record-batch-reader.ts). kafkajs's decoder makes, per record, an object with its batch context, a
 * headers object, BigInt-backed Longs for the offset and timestamp turned into decimal strings, and its consumer's
 * Batch parses each offset back into a BigInt to filter: ~2 µs of CPU per record, 40 % of it garbage collection.
 *
 * Here, per batch, as Java's consumer (CompletedFetch#nextFetchedRecord):
 * - its CRC-32C is checked (Java's check.crcs, default true) unless told not to: a mismatch is an error naming the
 *   partition and offset;
 * - control batches (transaction markers) are not returned;
 * - under read_committed, the batches of transactions the response lists as aborted are skipped, from the
 *   transaction's first offset up to the producer's ABORT marker;
 * - records below the fetch offset (a fetch answers from the start of the batch holding it) are left out;
 * - a record's timestamp is the batch's max timestamp when the batch is LogAppendTime, else base + delta;
 * - the next fetch starts past the last complete batch (its last offset + 1, as Java's nextFetchOffset: past
 *   compacted-away records at its end and past a transaction marker); a truncated batch at the end of the response
 *   (the broker cuts at maxBytes) is left for the next fetch.
 * Compressed batches are inflated here with kafkajs's codecs (gzip built in; snappy, lz4 and zstd when registered in
 * kafkajs's CompressionCodecs), so what kafkajs can read, this reads. A record set in the old message formats
 * (magic 0 and 1, written before Kafka 0.11) goes to kafkajs's own decoder.
 */

/** How to read one partition's record set. */
export interface RecordSetContext {
  readonly topic: string;
  readonly partition: number;
  /** The offset the fetch asked for: records before it are not returned. */
  readonly fetchOffset: number;
  /** read_committed: skip aborted transactions (the response's list); read_uncommitted returns them. */
  readonly readCommitted: boolean;
  /** The response's aborted transactions of the partition (read_committed only), in any order. */
  readonly abortedTransactions: readonly AbortedTransaction[];
  /** Check each batch's CRC-32C (Java's check.crcs). */
  readonly checkCrcs: boolean;
}

export interface AbortedTransaction {
  readonly producerId: number;
  readonly firstOffset: number;
}

/** One partition's records as a fetch returned them (see the module comment). */
export interface DecodedRecordSet {
  /** In offset order, at or past the fetch offset, no control records, no aborted ones under read_committed. */
  readonly records: RecordReader;
  /** Where the next fetch of the partition starts: the fetch offset when no complete batch came. */
  readonly nextOffset: number;
  /**
   * The first offset at or past the fetch offset among the batches decoded — control and aborted ones included —
   * or -1 when none reaches it (kafkajs's Batch#firstOffset).
   */
  readonly firstOffset: number;
  /** Whether some complete batch was decoded (even if every record in it was left out). */
  readonly decodedSome: boolean;
}

/** RecordBatch v2 layout: field offsets from the start of a batch. */
const LENGTH_OFFSET = 8;
const MAGIC_OFFSET = 16;
const CRC_OFFSET = 17;
const ATTRIBUTES_OFFSET = 21;
const LAST_OFFSET_DELTA_OFFSET = 23;
const BASE_TIMESTAMP_OFFSET = 27;
const MAX_TIMESTAMP_OFFSET = 35;
const PRODUCER_ID_OFFSET = 43;
const RECORD_COUNT_OFFSET = 57;
const RECORDS_OFFSET = 61;
/** baseOffset and length: what a batch's length does not count. */
const LOG_OVERHEAD = 12;

const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_MASK = 0x08;
const TRANSACTIONAL_MASK = 0x10;
const CONTROL_MASK = 0x20;
/** ControlRecordType ABORT (a control record's key: version int16, type int16). */
const CONTROL_ABORT = 0;

interface Codec {
  decompress(buffer: Buffer): Promise<Buffer>;
}
const kafkajs = createRequire(import.meta.url);
const { lookupCodecByAttributes } = kafkajs('kafkajs/src/protocol/message/compression/index.js') as {
  lookupCodecByAttributes(attributes: number): Codec | null;
};
const KafkajsDecoder = kafkajs('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const kafkajsDecodeMessages = kafkajs('kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js') as (
  decoder: unknown,
) => Promise<(KafkaMessage & { readonly isControlRecord?: boolean })[]>;

function int64(b: Buffer, offset: number): number {
  return b.readInt32BE(offset) * 4294967296 + b.readUInt32BE(offset + 4);
}

/** Decodes the record set bytes[start..end) of one partition (see the module comment). */
export async function decodeRecordSet(bytes: Buffer, start: number, end: number, ctx: RecordSetContext): Promise<DecodedRecordSet> {
  const { fetchOffset } = ctx;
  const frames: BatchFrame[] = [];
  let nextOffset = fetchOffset;
  let firstOffset = -1;
  let decodedSome = false;
  // read_committed: the aborted transactions by first offset, and the producers inside one at the current batch.
  const aborted = ctx.readCommitted && ctx.abortedTransactions.length > 0 ? [...ctx.abortedTransactions].sort((a, b) => a.firstOffset - b.firstOffset) : [];
  let nextAborted = 0;
  const abortedProducers = new Set<number>();
  let p = start;
  while (end - p >= RECORDS_OFFSET) {
    if (bytes[p + MAGIC_OFFSET] !== 2) {
      // Only at the start of a record set: one in an older format is kafkajs's to read. Further in, it ends this
      // fetch; the next one starts there.
      if (p === start) return legacyRecordSet(bytes, start, end, ctx);
      break;
    }
    const batchEnd = p + LOG_OVERHEAD + bytes.readInt32BE(p + LENGTH_OFFSET);
    if (batchEnd > end) break; // truncated by the response's size limit: fetched again next time
    const baseOffset = int64(bytes, p);
    const lastOffset = baseOffset + bytes.readInt32BE(p + LAST_OFFSET_DELTA_OFFSET);
    if (ctx.checkCrcs) {
      const stored = bytes.readUInt32BE(p + CRC_OFFSET);
      const computed = crc32c(bytes, p + ATTRIBUTES_OFFSET, batchEnd);
      if (stored !== computed) {
        throw new ClientError(
          `The record batch of ${ctx.topic}-${ctx.partition} at offset ${baseOffset} is corrupt (stored CRC ${stored}, computed ${computed}): ` +
            `its bytes changed between the broker's log and this consumer; fetching again may help, else check the broker's disks and the network`,
          'fatal',
          { partitions: [{ topic: ctx.topic, partition: ctx.partition }] },
        );
      }
    }
    const attributes = bytes.readInt16BE(p + ATTRIBUTES_OFFSET);
    const count = bytes.readInt32BE(p + RECORD_COUNT_OFFSET);
    decodedSome = true;
    if (firstOffset < 0 && lastOffset >= fetchOffset) firstOffset = Math.max(baseOffset, fetchOffset);
    let skip = (attributes & CONTROL_MASK) !== 0;
    if (nextAborted < aborted.length || abortedProducers.size > 0) {
      const producerId = int64(bytes, p + PRODUCER_ID_OFFSET);
      if (producerId !== -1) {
        while (nextAborted < aborted.length && aborted[nextAborted]!.firstOffset <= lastOffset) abortedProducers.add(aborted[nextAborted++]!.producerId);
        if (skip) {
          if (count > 0 && isAbortMarker(firstRecordKey(bytes, p + RECORDS_OFFSET, batchEnd))) abortedProducers.delete(producerId);
        } else if ((attributes & TRANSACTIONAL_MASK) !== 0 && abortedProducers.has(producerId)) {
          skip = true;
        }
      }
    }
    if (!skip && count > 0 && lastOffset >= fetchOffset) {
      const baseTimestamp = int64(bytes, p + BASE_TIMESTAMP_OFFSET);
      const logAppendTime = (attributes & TIMESTAMP_TYPE_MASK) !== 0 ? int64(bytes, p + MAX_TIMESTAMP_OFFSET) : -1;
      if ((attributes & COMPRESSION_MASK) === 0) {
        frames.push({ bytes, pos: p + RECORDS_OFFSET, end: batchEnd, left: count, baseOffset, baseTimestamp, logAppendTime });
      } else {
        const inflated = await inflate(bytes.subarray(p + RECORDS_OFFSET, batchEnd), attributes, baseOffset, ctx);
        frames.push({ bytes: inflated, pos: 0, end: inflated.length, left: count, baseOffset, baseTimestamp, logAppendTime });
      }
    }
    if (lastOffset + 1 > nextOffset) nextOffset = lastOffset + 1;
    p = batchEnd;
  }
  const records = new BatchRecordReader(ctx.topic, ctx.partition, frames);
  records.skipBelow(fetchOffset);
  return { records, nextOffset, firstOffset, decodedSome };
}

async function inflate(compressed: Buffer, attributes: number, baseOffset: number, ctx: RecordSetContext): Promise<Buffer> {
  try {
    const codec = lookupCodecByAttributes(attributes);
    if (codec === null) throw new RangeError(`unknown compression codec ${attributes & COMPRESSION_MASK}`);
    return await codec.decompress(compressed);
  } catch (e) {
    throw new ClientError(
      `The record batch of ${ctx.topic}-${ctx.partition} at offset ${baseOffset} cannot be decompressed: ${(e as Error).message}` +
        ` (kafkajs reads gzip itself; snappy, lz4 and zstd need a codec registered in kafkajs's CompressionCodecs)`,
      'fatal',
      { partitions: [{ topic: ctx.topic, partition: ctx.partition }], cause: e },
    );
  }
}

function isAbortMarker(key: Buffer | null): boolean {
  return key !== null && key.length >= 4 && key.readInt16BE(2) === CONTROL_ABORT;
}

/** A record set in the old message formats (magic 0/1): kafkajs decodes it, filtered as decodeRecordSet's. */
async function legacyRecordSet(bytes: Buffer, start: number, end: number, ctx: RecordSetContext): Promise<DecodedRecordSet> {
  // kafkajs's decodeMessages reads the record set's int32 size first.
  const framed = Buffer.allocUnsafe(4 + end - start);
  framed.writeInt32BE(end - start, 0);
  bytes.copy(framed, 4, start, end);
  const messages = await kafkajsDecodeMessages(new KafkajsDecoder(framed));
  const records: RawRecord[] = [];
  let nextOffset = ctx.fetchOffset;
  let firstOffset = -1;
  for (const m of messages) {
    const offset = decimal(m.offset);
    if (offset < ctx.fetchOffset) continue;
    if (firstOffset < 0) firstOffset = offset;
    nextOffset = offset + 1;
    if (!m.isControlRecord) records.push(fromKafkajsMessage(m));
  }
  return { records: new ArrayRecordReader(records), nextOffset, firstOffset, decodedSome: messages.length > 0 };
}
