import {
  Decoder,
  decodeRecordBatchFrom,
  decodeRecordBatchFromSync,
  isControlBatch,
  isTransactional,
  type DecodedRecord,
  type DecodedRecordBatch,
} from '@kafkats/client';
import { NO_HEADERS } from '@ts-streams/dsl';
import { ClientError } from '../../errors/client-error.ts';
import type { RawRecord } from '../../io/raw-record.ts';

// Consumed records from @kafkats/client's shape to the seam's (Uint8Array bytes, headers as an ordered list, numeric
// offsets and timestamps): record batches decoded from a Fetch response's bytes (DecodedRecord: bigint offsets and
// timestamps, headers already an ordered {key, value} list).

/** What the records bytes of one partition's Fetch answer hold for the consumer. */
export interface FetchedRecords {
  /** The records at or past the fetch offset, in offset order, without control records (and aborted ones under read_committed). */
  readonly records: RawRecord[];
  /**
   * Where the next fetch starts: past the last complete batch, control and aborted batches included (a fetch that
   * returned only a transaction marker still moves on). undefined when the bytes held no complete batch.
   */
  readonly nextOffset: number | undefined;
}

interface AbortedTransaction {
  readonly producerId: bigint;
  readonly firstOffset: bigint;
}

/**
 * Decodes a partition's records bytes from a Fetch response (synchronously when no batch is compressed). A batch the
 * broker cut at the response's byte limit is left for the next fetch — the last one, or the only one of a partition
 * after the first of the response, which the broker fills with what is left of the limit (it returns at least one
 * whole batch only of the first partition that has any); a whole batch that does not decode is corruption and throws.
 */
export function decodeFetchedRecords(
  data: Buffer,
  fetchOffset: number,
  readCommitted: boolean,
  aborted: readonly AbortedTransaction[],
): FetchedRecords | Promise<FetchedRecords> {
  const decoder = new Decoder(data);
  const batches: DecodedRecordBatch[] = [];
  while (decoder.remaining() > 0) {
    if (truncatedTrailingBatch(decoder)) break;
    const start = decoder.offset();
    try {
      batches.push(decodeRecordBatchFromSync(decoder, { assumeSequentialOffsets: true, verifyCrc: true }));
    } catch (error) {
      if (error instanceof Error && error.message.includes('cannot decode compressed')) {
        decoder.seek(start);
        return decodeCompressed(decoder, batches, fetchOffset, readCommitted, aborted);
      }
      throw corrupt(error, data, start);
    }
  }
  return collect(batches, fetchOffset, readCommitted, aborted);
}

async function decodeCompressed(
  decoder: Decoder,
  batches: DecodedRecordBatch[],
  fetchOffset: number,
  readCommitted: boolean,
  aborted: readonly AbortedTransaction[],
): Promise<FetchedRecords> {
  while (decoder.remaining() > 0) {
    if (truncatedTrailingBatch(decoder)) break;
    const start = decoder.offset();
    try {
      batches.push(await decodeRecordBatchFrom(decoder, { assumeSequentialOffsets: true, verifyCrc: true }));
    } catch (error) {
      throw corrupt(error, decoder, start);
    }
  }
  return collect(batches, fetchOffset, readCommitted, aborted);
}

/** A whole batch that does not decode (its CRC check failed, or its bytes make no sense), at its base offset. */
export class CorruptBatchError extends ClientError {
  constructor(
    readonly offset: number,
    error: unknown,
  ) {
    super(`the record batch at offset ${offset} is corrupt: ${error instanceof Error ? error.message : String(error)}`, 'fatal', { cause: error });
  }
}

function corrupt(error: unknown, bytes: Buffer | Decoder, start: number): Error {
  const data = bytes instanceof Decoder ? undefined : bytes;
  const offset = data !== undefined && data.length >= start + 8 ? Number(data.readBigInt64BE(start)) : readBaseOffset(bytes as Decoder, start);
  return new CorruptBatchError(offset, error);
}

function readBaseOffset(decoder: Decoder, start: number): number {
  decoder.seek(start);
  return Number(decoder.readInt64());
}

/** True when the bytes left cannot hold the batch they start (the broker may cut the last batch at maxBytes). */
function truncatedTrailingBatch(decoder: Decoder): boolean {
  if (decoder.remaining() < 12) return true;
  const start = decoder.offset();
  decoder.seek(start + 8);
  const length = decoder.readInt32();
  decoder.seek(start);
  return decoder.remaining() < 12 + length;
}

function collect(batches: readonly DecodedRecordBatch[], fetchOffset: number, readCommitted: boolean, aborted: readonly AbortedTransaction[]): FetchedRecords {
  let nextOffset: number | undefined;
  for (const batch of batches) {
    const end = Number(batch.baseOffset) + batch.lastOffsetDelta + 1;
    if (nextOffset === undefined || end > nextOffset) nextOffset = end;
  }
  const ranges = readCommitted && aborted.length > 0 ? abortedRanges(batches, aborted) : undefined;
  const records: RawRecord[] = [];
  for (const batch of batches) {
    if (isControlBatch(batch.attributes)) continue;
    const abortedOfProducer = ranges !== undefined && isTransactional(batch.attributes) ? ranges.filter((r) => r.producerId === batch.producerId) : undefined;
    for (const record of batch.records) {
      const offset = Number(record.offset);
      if (offset < fetchOffset) continue;
      if (abortedOfProducer !== undefined && abortedOfProducer.some((r) => offset >= r.start && offset < r.end)) continue;
      records.push(toRawRecord(record, offset));
    }
  }
  return { records, nextOffset };
}

/**
 * The offset ranges of aborted transactions in these batches: from the transaction's first offset (the Fetch
 * response's aborted list) to its producer's next control batch (the abort marker) after it.
 */
function abortedRanges(batches: readonly DecodedRecordBatch[], aborted: readonly AbortedTransaction[]): { producerId: bigint; start: number; end: number }[] {
  const markers = batches.filter((b) => isControlBatch(b.attributes)).map((b) => ({ producerId: b.producerId, offset: Number(b.baseOffset) }));
  return aborted.map((tx) => {
    const start = Number(tx.firstOffset);
    const marker = markers.find((m) => m.producerId === tx.producerId && m.offset > start);
    return { producerId: tx.producerId, start, end: marker?.offset ?? Number.MAX_SAFE_INTEGER };
  });
}

// Per consumed record (the consumer's hot path): one object, the two bigints as numbers (offsets and timestamps of
// real logs are far below 2^53); the headers list is @kafkats/client's own, already in the seam's shape.
function toRawRecord(record: DecodedRecord, offset: number): RawRecord {
  return {
    key: record.key,
    value: record.value,
    timestamp: Number(record.timestamp),
    headers: record.headers.length === 0 ? NO_HEADERS : record.headers,
    offset,
  };
}
