import type { ConsumerGroupMetadata } from '../consumer-group-metadata.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import { sizeOfUnsignedVarint, writeUnsignedVarint } from './varint.ts';
import { readUnsignedVarint, readCompactNullableString, skipTaggedFields, type Reader } from './compact-reader.ts';

/** TxnOffsetCommit's API key and the version written here: 3, the first with the group's metadata (KIP-447). */
export const TXN_OFFSET_COMMIT_API_KEY = 28;
export const TXN_OFFSET_COMMIT_VERSION = 3;

/**
 * The body of a TxnOffsetCommit request v3 (flexible: compact strings and arrays, tagged fields), preceded by the
 * request header v2's empty tagged fields — a client that writes header v1 (kafkajs: api key, version, correlation
 * id, client id) and then these bytes sends header v2 (KIP-482):
 *
 *   header tagged fields, transactional_id COMPACT_STRING, group_id COMPACT_STRING, producer_id INT64,
 *   producer_epoch INT16, generation_id INT32, member_id COMPACT_STRING, group_instance_id COMPACT_NULLABLE_STRING,
 *   [topic COMPACT_STRING, [partition INT32, committed_offset INT64, committed_leader_epoch INT32,
 *   committed_metadata COMPACT_NULLABLE_STRING, tagged fields], tagged fields], tagged fields
 *
 * The generation and member id are what make the group coordinator fence a zombie: it refuses the offsets of a member
 * whose generation is over (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID) — v0–v2 carry neither.
 */
export function encodeTxnOffsetCommitRequest(
  transactionalId: string,
  producerId: bigint,
  producerEpoch: number,
  group: ConsumerGroupMetadata,
  offsets: readonly TopicPartitionOffset[],
): Buffer {
  const byTopic = new Map<string, TopicPartitionOffset[]>();
  for (const o of offsets) {
    let ps = byTopic.get(o.topic);
    if (ps === undefined) byTopic.set(o.topic, (ps = []));
    ps.push(o);
  }
  let size = 1 + compactSize(transactionalId) + compactSize(group.groupId) + 8 + 2 + 4 + compactSize(group.memberId) + compactSize(group.groupInstanceId);
  size += sizeOfUnsignedVarint(byTopic.size + 1) + 1;
  for (const [topic, ps] of byTopic) {
    size += compactSize(topic) + sizeOfUnsignedVarint(ps.length + 1) + 1;
    for (const p of ps) size += 4 + 8 + 4 + compactSize(p.metadata ?? null) + 1;
  }
  const b = Buffer.alloc(size);
  let pos = 0;
  b[pos++] = 0; // the request header's tagged fields (v2)
  pos = writeCompact(b, pos, transactionalId);
  pos = writeCompact(b, pos, group.groupId);
  pos = b.writeBigInt64BE(producerId, pos);
  pos = b.writeInt16BE(producerEpoch, pos);
  pos = b.writeInt32BE(group.generationId, pos);
  pos = writeCompact(b, pos, group.memberId);
  pos = writeCompact(b, pos, group.groupInstanceId);
  pos = writeUnsignedVarint(b, pos, byTopic.size + 1);
  for (const [topic, ps] of byTopic) {
    pos = writeCompact(b, pos, topic);
    pos = writeUnsignedVarint(b, pos, ps.length + 1);
    for (const p of ps) {
      pos = b.writeInt32BE(p.partition, pos);
      pos = b.writeBigInt64BE(BigInt(p.offset), pos);
      pos = b.writeInt32BE(-1, pos); // committed_leader_epoch: unknown (Kafka Streams commits none either)
      pos = writeCompact(b, pos, p.metadata ?? null);
      b[pos++] = 0; // tagged fields
    }
    b[pos++] = 0;
  }
  b[pos++] = 0;
  if (pos !== size) throw new Error(`TxnOffsetCommit encoding wrote ${pos} bytes of ${size}`);
  return b;
}

/** What the group coordinator said of one partition's offset. */
export interface TxnOffsetCommitPartitionResult {
  readonly topic: string;
  readonly partition: number;
  /** Kafka's error code: 0 when the offset joined the transaction. */
  readonly errorCode: number;
}

/**
 * A TxnOffsetCommit response v3, after the response header's correlation id (kafkajs strips it):
 *
 *   header tagged fields, throttle_time_ms INT32, [topic COMPACT_STRING, [partition INT32, error_code INT16,
 *   tagged fields], tagged fields], tagged fields
 */
export function decodeTxnOffsetCommitResponse(b: Buffer): { throttleTimeMs: number; partitions: TxnOffsetCommitPartitionResult[] } {
  const r: Reader = { b, pos: 0 };
  skipTaggedFields(r);
  const throttleTimeMs = b.readInt32BE(r.pos);
  r.pos += 4;
  const partitions: TxnOffsetCommitPartitionResult[] = [];
  const topicCount = readUnsignedVarint(r) - 1;
  for (let t = 0; t < topicCount; t++) {
    const topic = readCompactNullableString(r) ?? '';
    const count = readUnsignedVarint(r) - 1;
    for (let p = 0; p < count; p++) {
      const partition = b.readInt32BE(r.pos);
      const errorCode = b.readInt16BE(r.pos + 4);
      r.pos += 6;
      skipTaggedFields(r);
      partitions.push({ topic, partition, errorCode });
    }
    skipTaggedFields(r);
  }
  return { throttleTimeMs, partitions };
}

function compactSize(s: string | null): number {
  if (s === null) return 1;
  const n = Buffer.byteLength(s, 'utf8');
  return sizeOfUnsignedVarint(n + 1) + n;
}

function writeCompact(b: Buffer, pos: number, s: string | null): number {
  if (s === null) return writeUnsignedVarint(b, pos, 0);
  const n = Buffer.byteLength(s, 'utf8');
  pos = writeUnsignedVarint(b, pos, n + 1);
  return pos + b.write(s, pos, 'utf8');
}
