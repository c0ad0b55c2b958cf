/**
 * The metadata Kafka Streams commits with each input offset (its TopicPartitionMetadata): base64 of a version byte
 * (2), the partition time (8 bytes, big-endian; -1 unknown) and the processors' metadata (a map of name → long,
 * empty here: nothing of ours keeps any). A task that takes the partition over starts from that partition time —
 * its stream time the largest of them — rather than from nothing, whichever of Kafka Streams or ts-streams committed.
 */
const VERSION_WITH_PROCESSOR_METADATA = 2;
const VERSION_PARTITION_TIME_ONLY = 1;

/** No partition time: nothing committed, no metadata, or metadata another writer left. */
export const UNKNOWN_PARTITION_TIME = -1;

/** The committed offset metadata for a partition time, as Kafka Streams writes it (with no processor metadata). */
export function encodeTopicPartitionMetadata(partitionTime: number): string {
  const b = Buffer.allocUnsafe(9);
  b.writeUInt8(VERSION_WITH_PROCESSOR_METADATA, 0);
  b.writeBigInt64BE(BigInt(partitionTime), 1);
  return b.toString('base64');
}

/**
 * The partition time in committed offset metadata; UNKNOWN_PARTITION_TIME when there is none or it is not Kafka
 * Streams' (as Kafka Streams, which logs a warning and goes on without it). The processor metadata after it is not
 * read: no processor of ours keeps any.
 */
export function decodeTopicPartitionMetadata(metadata: string | null | undefined): number {
  if (metadata === null || metadata === undefined || metadata === '') return UNKNOWN_PARTITION_TIME;
  const b = Buffer.from(metadata, 'base64');
  // Node's base64 decoder skips what is not base64: read only what encodes back to the same text.
  if (b.length < 9 || b.toString('base64') !== metadata) return UNKNOWN_PARTITION_TIME;
  const version = b.readUInt8(0);
  if (version !== VERSION_PARTITION_TIME_ONLY && version !== VERSION_WITH_PROCESSOR_METADATA) return UNKNOWN_PARTITION_TIME;
  const time = b.readBigInt64BE(1);
  return time >= BigInt(UNKNOWN_PARTITION_TIME) && time <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(time) : UNKNOWN_PARTITION_TIME;
}
