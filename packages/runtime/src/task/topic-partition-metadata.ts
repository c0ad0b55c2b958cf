import { deserializeProcessorMetadata } from './processor-metadata.ts';

/**
 * The metadata Kafka Streams commits with each input offset (its TopicPartitionMetadata): base64 of a version byte
 * (2), the partition time (8 bytes, big-endian; -1 unknown) and the task's processor metadata (ProcessorMetadata
 * serialized: nothing when empty, else the entry count and each name and long — task/processor-metadata.ts), the same
 * processor metadata on every input partition of the task. A task that takes the partition over starts from that
 * partition time — its stream time the largest of them — and from the processor metadata of all its partitions
 * merged (the larger value of a name wins): the emit-final aggregations go on from the last window close time they
 * emitted at. Whichever of Kafka Streams or ts-streams committed it: both write and read the same bytes.
 */
const VERSION_WITH_PROCESSOR_METADATA = 2;
const VERSION_PARTITION_TIME_ONLY = 1;

/** No partition time: nothing committed, no metadata, or metadata another writer left. */
export const UNKNOWN_PARTITION_TIME = -1;

/** What one committed offset's metadata says. */
export interface TopicPartitionMetadata {
  /** The partition time; UNKNOWN_PARTITION_TIME when none. */
  readonly partitionTime: number;
  /** The task's processor metadata (empty when none, or when Kafka Streams would not read it either). */
  readonly processorMetadata: ReadonlyMap<string, number>;
}

const NONE: TopicPartitionMetadata = { partitionTime: UNKNOWN_PARTITION_TIME, processorMetadata: new Map() };

/**
 * The committed offset metadata for a partition time and the task's serialized processor metadata (ProcessorMetadata
 * #serialize; none: empty), as Kafka Streams' TopicPartitionMetadata#encode writes it.
 */
export function encodeTopicPartitionMetadata(partitionTime: number, processorMetadata?: Uint8Array): string {
  const extra = processorMetadata?.length ?? 0;
  const b = Buffer.allocUnsafe(9 + extra);
  b.writeUInt8(VERSION_WITH_PROCESSOR_METADATA, 0);
  b.writeBigInt64BE(BigInt(partitionTime), 1);
  if (extra > 0) b.set(processorMetadata!, 9);
  return b.toString('base64');
}

/**
 * The partition time in committed offset metadata; UNKNOWN_PARTITION_TIME when there is none or it is not Kafka
 * Streams' (as Kafka Streams, which logs a warning and goes on without it). See readTopicPartitionMetadata.
 */
export function decodeTopicPartitionMetadata(metadata: string | null | undefined): number {
  return readTopicPartitionMetadata(metadata).partitionTime;
}

/**
 * Committed offset metadata read as Kafka Streams' TopicPartitionMetadata#decode reads it, tolerating what it
 * tolerates: none, text that is not base64 (Java's strict decoder: only the base64 alphabet, padding optional but
 * right where present), an unknown version or too few bytes for the partition time are an unknown partition time and
 * no processor metadata (Kafka logs a warning and goes on); version 1 is the partition time alone (what follows is not
 * read); version 2 the partition time then the processor metadata — which, when it cannot be read, is none while the
 * partition time read before it stays (Kafka's decode catches the failure after having set the time). A partition time
 * below -1 or past 2^53 is taken as unknown (no record has one).
 */
export function readTopicPartitionMetadata(metadata: string | null | undefined): TopicPartitionMetadata {
  if (metadata === null || metadata === undefined || metadata === '' || !isJavaBase64(metadata)) return NONE;
  // Node's decoder would skip what is not base64; isJavaBase64 let only what Java's decoder reads through.
  const b = Buffer.from(metadata, 'base64');
  if (b.length < 9) return NONE;
  const version = b.readUInt8(0);
  if (version !== VERSION_PARTITION_TIME_ONLY && version !== VERSION_WITH_PROCESSOR_METADATA) return NONE;
  const time = b.readBigInt64BE(1);
  const partitionTime = time >= BigInt(UNKNOWN_PARTITION_TIME) && time <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(time) : UNKNOWN_PARTITION_TIME;
  if (version === VERSION_PARTITION_TIME_ONLY || b.length === 9) return { partitionTime, processorMetadata: NONE.processorMetadata };
  let processorMetadata: ReadonlyMap<string, number>;
  try {
    processorMetadata = deserializeProcessorMetadata(b.subarray(9));
  } catch {
    processorMetadata = NONE.processorMetadata;
  }
  return { partitionTime, processorMetadata };
}

/**
 * Whether Java's Base64.getDecoder() decodes `s` without throwing: base64 alphabet characters only, then padding
 * that completes the last 4-character unit exactly ("xx==" or "xxx="), or no padding with a last unit of 2 or 3
 * characters (one character alone carries too few bits).
 */
function isJavaBase64(s: string): boolean {
  const m = /^[A-Za-z0-9+/]*(={0,2})$/.exec(s);
  if (m === null) return false;
  const padding = m[1]!.length;
  const rest = (s.length - padding) % 4;
  return padding === 0 ? rest !== 1 : (rest === 2 && padding === 2) || (rest === 3 && padding === 1);
}
