import type { TopicPartition } from '../../io/topic-partition.ts';
import { sizeOfUnsignedVarint, writeUnsignedVarint } from './varint.ts';
import { readUnsignedVarint, readCompactNullableString, skipTaggedFields, type Reader } from './compact-reader.ts';

/** OffsetFetch's API key and the version written here: 7, the first with require_stable (KIP-447) in this layout. */
export const OFFSET_FETCH_API_KEY = 9;
export const OFFSET_FETCH_VERSION = 7;
/** UNSTABLE_OFFSET_COMMIT: a transaction with offsets for the partition is still open (require_stable). */
export const UNSTABLE_OFFSET_COMMIT = 88;

/**
 * The body of an OffsetFetch request v7 (flexible), preceded by the request header v2's empty tagged fields (see
 * txn-offset-commit-request.ts):
 *
 *   header tagged fields, group_id COMPACT_STRING, [topic COMPACT_STRING, [partition INT32], tagged fields],
 *   require_stable BOOLEAN, tagged fields
 *
 * With require_stable the coordinator answers UNSTABLE_OFFSET_COMMIT for a partition whose offsets a transaction has
 * sent and not yet ended, instead of the offset committed before it: a member taking a partition over from a zombie
 * whose transaction may still commit waits for its outcome (Kafka's consumer under read_committed does the same).
 */
export function encodeOffsetFetchRequest(groupId: string, partitions: readonly TopicPartition[], requireStable: boolean): Buffer {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) {
    let ps = byTopic.get(topic);
    if (ps === undefined) byTopic.set(topic, (ps = []));
    ps.push(partition);
  }
  let size = 1 + compactSize(groupId) + sizeOfUnsignedVarint(byTopic.size + 1) + 1 + 1;
  for (const [topic, ps] of byTopic) size += compactSize(topic) + sizeOfUnsignedVarint(ps.length + 1) + 4 * ps.length + 1;
  const b = Buffer.alloc(size);
  let pos = 0;
  b[pos++] = 0; // the request header's tagged fields (v2)
  pos = writeCompact(b, pos, groupId);
  pos = writeUnsignedVarint(b, pos, byTopic.size + 1);
  for (const [topic, ps] of byTopic) {
    pos = writeCompact(b, pos, topic);
    pos = writeUnsignedVarint(b, pos, ps.length + 1);
    for (const p of ps) pos = b.writeInt32BE(p, pos);
    b[pos++] = 0;
  }
  b[pos++] = requireStable ? 1 : 0;
  b[pos++] = 0;
  if (pos !== size) throw new Error(`OffsetFetch encoding wrote ${pos} bytes of ${size}`);
  return b;
}

/** One partition of an OffsetFetch answer. */
export interface OffsetFetchPartitionResult extends TopicPartition {
  /** The committed offset; -1 when none. */
  readonly offset: number;
  readonly metadata: string | null;
  readonly errorCode: number;
}

/**
 * An OffsetFetch response v7, after the correlation id:
 *
 *   header tagged fields, throttle_time_ms INT32, [topic COMPACT_STRING, [partition INT32, committed_offset INT64,
 *   committed_leader_epoch INT32, metadata COMPACT_NULLABLE_STRING, error_code INT16, tagged fields], tagged fields],
 *   error_code INT16, tagged fields
 */
export function decodeOffsetFetchResponse(b: Buffer): { errorCode: number; partitions: OffsetFetchPartitionResult[] } {
  const r: Reader = { b, pos: 0 };
  skipTaggedFields(r);
  r.pos += 4; // throttle_time_ms
  const partitions: OffsetFetchPartitionResult[] = [];
  const topics = readUnsignedVarint(r) - 1;
  for (let t = 0; t < topics; t++) {
    const topic = readCompactNullableString(r) ?? '';
    const count = readUnsignedVarint(r) - 1;
    for (let i = 0; i < count; i++) {
      const partition = b.readInt32BE(r.pos);
      const offset = Number(b.readBigInt64BE(r.pos + 4));
      r.pos += 4 + 8 + 4; // partition, committed_offset, committed_leader_epoch
      const metadata = readCompactNullableString(r);
      const errorCode = b.readInt16BE(r.pos);
      r.pos += 2;
      skipTaggedFields(r);
      partitions.push({ topic, partition, offset, metadata, errorCode });
    }
    skipTaggedFields(r);
  }
  const errorCode = b.readInt16BE(r.pos);
  r.pos += 2;
  skipTaggedFields(r);
  return { errorCode, partitions };
}

function compactSize(s: string): number {
  const n = Buffer.byteLength(s, 'utf8');
  return sizeOfUnsignedVarint(n + 1) + n;
}

function writeCompact(b: Buffer, pos: number, s: string): number {
  const n = Buffer.byteLength(s, 'utf8');
  pos = writeUnsignedVarint(b, pos, n + 1);
  return pos + b.write(s, pos, 'utf8');
}
