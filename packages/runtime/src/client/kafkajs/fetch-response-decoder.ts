import { decodeRecordSet, type AbortedTransaction, type DecodedRecordSet } from './record-set-decoder.ts';

/**
 * Decodes a Fetch response, versions 4 to 11 (what kafkajs 2.2.4 sends; Kafka 4.x accepts 4 and up), into the shape
 * kafkajs's own decoder gives (so kafkajs's error parsing and its consumer take it as is), each partition's records
 * decoded by record-batch-decoder.ts instead of kafkajs's: see kafkajs-fast-fetch.ts for how they reach the adapter.
 *
 *   Fetch Response => throttle_time_ms [error_code session_id (v7+)] [topic [partition error_code high_watermark
 *     last_stable_offset [log_start_offset (v5+)] [aborted_transactions: producer_id first_offset]
 *     [preferred_read_replica (v11+)] records]]
 */

/** What the request asked for: the fetch offset of each partition, and how to read. */
export interface FetchRequestContext {
  /** Per topic, per partition, the fetch offset. */
  readonly fetchOffsets: ReadonlyMap<string, ReadonlyMap<number, number>>;
  readonly readCommitted: boolean;
  readonly checkCrcs: boolean;
}

/** A partition of the response, as kafkajs's decoder shapes it, with the decoded record set beside it. */
export interface DecodedFetchPartition {
  readonly partition: number;
  readonly errorCode: number;
  /** Decimal strings, as kafkajs gives them. */
  readonly highWatermark: string;
  readonly lastStableOffset: string;
  readonly lastStartOffset: string;
  /** Already applied by the decoder (read_committed): kafkajs's consumer gets none to apply again. */
  readonly abortedTransactions: readonly never[];
  readonly preferredReadReplica: number;
  /** The fetch offset the request asked for, and the records from it. */
  readonly fetchOffset: number;
  readonly decoded: DecodedRecordSet;
}

export interface DecodedFetchResponse {
  readonly throttleTime: number;
  readonly clientSideThrottleTime: number;
  readonly errorCode: number;
  readonly sessionId: number;
  readonly responses: { readonly topicName: string; readonly partitions: DecodedFetchPartition[] }[];
}

export const MIN_FETCH_VERSION = 4;
export const MAX_FETCH_VERSION = 11;

export async function decodeFetchResponse(raw: Buffer, version: number, ctx: FetchRequestContext): Promise<DecodedFetchResponse> {
  if (version < MIN_FETCH_VERSION || version > MAX_FETCH_VERSION) throw new RangeError(`Fetch response version ${version} is not decoded here (${MIN_FETCH_VERSION}–${MAX_FETCH_VERSION} are)`);
  let p = 0;
  const throttle = raw.readInt32BE(p);
  p += 4;
  let errorCode = 0;
  let sessionId = 0;
  if (version >= 7) {
    errorCode = raw.readInt16BE(p);
    sessionId = raw.readInt32BE(p + 2);
    p += 6;
  }
  const topicCount = raw.readInt32BE(p);
  p += 4;
  const responses: DecodedFetchResponse['responses'] = [];
  for (let t = 0; t < topicCount; t++) {
    const nameLength = raw.readInt16BE(p);
    const topicName = raw.toString('utf8', p + 2, p + 2 + nameLength);
    p += 2 + nameLength;
    const offsets = ctx.fetchOffsets.get(topicName);
    const partitionCount = raw.readInt32BE(p);
    p += 4;
    const partitions: DecodedFetchPartition[] = [];
    for (let i = 0; i < partitionCount; i++) {
      const partition = raw.readInt32BE(p);
      const partitionError = raw.readInt16BE(p + 4);
      const highWatermark = int64(raw, p + 6);
      const lastStableOffset = int64(raw, p + 14);
      p += 22;
      let logStartOffset = -1;
      if (version >= 5) {
        logStartOffset = int64(raw, p);
        p += 8;
      }
      const abortedCount = raw.readInt32BE(p);
      p += 4;
      const aborted: AbortedTransaction[] = [];
      for (let a = 0; a < abortedCount; a++) {
        aborted.push({ producerId: int64(raw, p), firstOffset: int64(raw, p + 8) });
        p += 16;
      }
      let preferredReadReplica = -1;
      if (version >= 11) {
        preferredReadReplica = raw.readInt32BE(p);
        p += 4;
      }
      const size = raw.readInt32BE(p);
      p += 4;
      const recordsStart = p;
      const recordsEnd = Math.min(raw.length, p + Math.max(0, size));
      p = recordsEnd;
      // A partition the request did not ask for (no broker sends one) is read from its first record.
      const fetchOffset = offsets?.get(partition) ?? 0;
      const decoded = await decodeRecordSet(raw, recordsStart, recordsEnd, {
        topic: topicName, partition, fetchOffset, readCommitted: ctx.readCommitted, abortedTransactions: aborted, checkCrcs: ctx.checkCrcs,
      });
      partitions.push({
        partition, errorCode: partitionError,
        highWatermark: String(highWatermark), lastStableOffset: String(lastStableOffset), lastStartOffset: String(logStartOffset),
        abortedTransactions: [], preferredReadReplica, fetchOffset, decoded,
      });
    }
    responses.push({ topicName, partitions });
  }
  // kafkajs reports a v8+ throttle as the client's to apply (KIP-219), an older one as the broker's own.
  return version >= 8
    ? { throttleTime: 0, clientSideThrottleTime: throttle, errorCode, sessionId, responses }
    : { throttleTime: throttle, clientSideThrottleTime: 0, errorCode, sessionId, responses };
}

function int64(b: Buffer, offset: number): number {
  return b.readInt32BE(offset) * 4294967296 + b.readUInt32BE(offset + 4);
}
