/**
 * The key layout of the embedded log's RocksDB database. One database holds everything, each kind of entry under
 * its own first byte, so that a kind is one key range:
 *
 *     0x01 <topic name utf8>                                  → the topic (JSON: id, partitions, configs)
 *     0x02 <topic id u32> <partition u32>                     → the partition: log start offset, end offset (u64 each)
 *     0x03 <topic id u32> <partition u32> <offset u64>        → one record (log-record-codec.ts)
 *     0x04 <group length u16> <group utf8> <topic id u32> <partition u32> → the group's committed offset (u64),
 *                                                             then its metadata (utf8, the rest of the value; none: empty)
 *     0x05 <name utf8>                                        → the log's own counters (the next topic id)
 *
 * Records are keyed by a topic id, not the name, so that a topic deleted and created again under the same name
 * never sees the old one's records (deleting a topic is one range delete of its id). Integers are big-endian, so
 * that RocksDB's bytewise order is the offset order within a partition.
 */
export const TOPIC = 0x01;
export const PARTITION = 0x02;
export const RECORD = 0x03;
export const GROUP_OFFSET = 0x04;
export const META = 0x05;

const TWO_32 = 0x1_0000_0000;

export function topicKey(name: string): Uint8Array {
  const b = Buffer.allocUnsafe(1 + Buffer.byteLength(name));
  b[0] = TOPIC;
  b.write(name, 1, 'utf8');
  return b;
}

/** The range of every topic key. */
export const TOPIC_RANGE = { gte: Uint8Array.of(TOPIC), lt: Uint8Array.of(TOPIC + 1) } as const;

export function partitionKey(topicId: number, partition: number): Uint8Array {
  const b = new Uint8Array(9);
  b[0] = PARTITION;
  writeU32(b, 1, topicId);
  writeU32(b, 5, partition);
  return b;
}

/** The range of every partition key of a topic. */
export function partitionRange(topicId: number): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: partitionKey(topicId, 0), lt: partitionKey(topicId + 1, 0) };
}

/** Writes the record key of `offset` into `into` (17 bytes at 0): a scratch key reused by hot loops. */
export function writeRecordKey(into: Uint8Array, topicId: number, partition: number, offset: number): Uint8Array {
  into[0] = RECORD;
  writeU32(into, 1, topicId);
  writeU32(into, 5, partition);
  writeU64(into, 9, offset);
  return into;
}

export const RECORD_KEY_LENGTH = 17;

export function recordKey(topicId: number, partition: number, offset: number): Uint8Array {
  return writeRecordKey(new Uint8Array(RECORD_KEY_LENGTH), topicId, partition, offset);
}

/** The offset in a record key. */
export function offsetOfRecordKey(key: Uint8Array): number {
  return readU64(key, 9);
}

/** The range of every record of a topic (all partitions). */
export function topicRecordRange(topicId: number): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: recordKey(topicId, 0, 0), lt: recordKey(topicId + 1, 0, 0) };
}

export function groupOffsetKey(group: string, topicId: number, partition: number): Uint8Array {
  const n = Buffer.byteLength(group);
  const b = Buffer.allocUnsafe(3 + n + 8);
  b[0] = GROUP_OFFSET;
  b.writeUInt16BE(n, 1);
  b.write(group, 3, 'utf8');
  writeU32(b, 3 + n, topicId);
  writeU32(b, 7 + n, partition);
  return b;
}

/** A group offset key's parts. */
export function parseGroupOffsetKey(key: Uint8Array): { group: string; topicId: number; partition: number } {
  const n = (key[1]! << 8) | key[2]!;
  return {
    group: Buffer.from(key.buffer, key.byteOffset + 3, n).toString('utf8'),
    topicId: readU32(key, 3 + n),
    partition: readU32(key, 7 + n),
  };
}

export const GROUP_OFFSET_RANGE = { gte: Uint8Array.of(GROUP_OFFSET), lt: Uint8Array.of(GROUP_OFFSET + 1) } as const;

export function metaKey(name: string): Uint8Array {
  const b = Buffer.allocUnsafe(1 + Buffer.byteLength(name));
  b[0] = META;
  b.write(name, 1, 'utf8');
  return b;
}

/**
 * A committed offset as stored: the offset (u64), then the metadata committed with it (Kafka Streams' partition time:
 * task/topic-partition-metadata.ts) as UTF-8 up to the end of the value. Without metadata (or with an empty one) the
 * value is the 8 bytes alone — exactly what the log wrote before it kept metadata, so a log written then reads as
 * offsets without metadata, as it always did; and a log written now still reads in the older code, which reads the
 * first 8 bytes and ignores what follows.
 */
export function encodeGroupOffset(offset: number, metadata: string | undefined): Uint8Array {
  if (metadata === undefined || metadata === '') return encodeU64(offset);
  const b = Buffer.allocUnsafe(8 + Buffer.byteLength(metadata));
  writeU64(b, 0, offset);
  b.write(metadata, 8, 'utf8');
  return b;
}

/** A stored committed offset (encodeGroupOffset): its metadata undefined when none was stored. */
export function decodeGroupOffset(value: Uint8Array): { offset: number; metadata: string | undefined } {
  const offset = readU64(value, 0);
  if (value.byteLength <= 8) return { offset, metadata: undefined };
  return { offset, metadata: Buffer.from(value.buffer, value.byteOffset + 8, value.byteLength - 8).toString('utf8') };
}

/** A partition's log start and end offsets, as stored. */
export function encodeBounds(start: number, end: number): Uint8Array {
  const b = new Uint8Array(16);
  writeU64(b, 0, start);
  writeU64(b, 8, end);
  return b;
}

export function decodeBounds(value: Uint8Array): { start: number; end: number } {
  return { start: readU64(value, 0), end: readU64(value, 8) };
}

export function encodeU64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  writeU64(b, 0, n);
  return b;
}

export function writeU32(b: Uint8Array, at: number, n: number): void {
  b[at] = n >>> 24;
  b[at + 1] = (n >>> 16) & 0xff;
  b[at + 2] = (n >>> 8) & 0xff;
  b[at + 3] = n & 0xff;
}

export function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** A non-negative safe integer as 8 bytes, big-endian. */
export function writeU64(b: Uint8Array, at: number, n: number): void {
  const hi = Math.floor(n / TWO_32);
  writeU32(b, at, hi);
  writeU32(b, at + 4, n - hi * TWO_32);
}

export function readU64(b: Uint8Array, at: number): number {
  return readU32(b, at) * TWO_32 + readU32(b, at + 4);
}
