/** What the broker said about one partition of a Produce request. */
export interface ProducePartitionResponse {
  readonly partition: number;
  /** Kafka's error code: 0 when the batch was written. */
  readonly errorCode: number;
  /** The offset of the batch's first record (-1 on an error). */
  readonly baseOffset: number;
}

export interface ProduceTopicResponse {
  readonly topic: string;
  readonly partitions: readonly ProducePartitionResponse[];
}

/**
 * A Produce response body, versions 3 to 7:
 *
 *   [topic STRING, [partition INT32, error_code INT16, base_offset INT64, log_append_time_ms INT64,
 *   log_start_offset INT64 (v5+)]], throttle_time_ms INT32
 */
export function decodeProduceResponse(b: Buffer, version: number): { topics: ProduceTopicResponse[]; throttleTimeMs: number } {
  let pos = 0;
  const topicCount = b.readInt32BE(pos);
  pos += 4;
  const topics: ProduceTopicResponse[] = [];
  for (let t = 0; t < topicCount; t++) {
    const nameLength = b.readInt16BE(pos);
    pos += 2;
    const topic = b.toString('utf8', pos, pos + nameLength);
    pos += nameLength;
    const partitionCount = b.readInt32BE(pos);
    pos += 4;
    const partitions: ProducePartitionResponse[] = [];
    for (let p = 0; p < partitionCount; p++) {
      const partition = b.readInt32BE(pos);
      const errorCode = b.readInt16BE(pos + 4);
      const baseOffset = b.readInt32BE(pos + 6) * 0x100000000 + b.readUInt32BE(pos + 10);
      pos += 4 + 2 + 8 + 8 + (version >= 5 ? 8 : 0);
      partitions.push({ partition, errorCode, baseOffset });
    }
    topics.push({ topic, partitions });
  }
  return { topics, throttleTimeMs: b.readInt32BE(pos) };
}
