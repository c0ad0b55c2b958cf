/** One partition's record batch in a Produce request. */
export interface ProducePartitionData {
  readonly partition: number;
  /** A complete record batch (RecordBatchBuilder#bytes after finish). */
  readonly batch: Uint8Array;
}

/** A topic's partitions in a Produce request. */
export interface ProduceTopicData {
  readonly topic: string;
  readonly partitions: readonly ProducePartitionData[];
}

/**
 * The body of a Produce request, versions 3 to 8 (the same layout; Kafka 4.x accepts 3 and above):
 *
 *   transactional_id NULLABLE_STRING, acks INT16, timeout_ms INT32,
 *   [topic STRING, [partition INT32, records (INT32 size + bytes)]]
 *
 * The batches are copied in, so that their buffers may be reused as soon as this returns.
 */
export function encodeProduceRequest(transactionalId: string | null, acks: number, timeoutMs: number, topics: readonly ProduceTopicData[]): Buffer {
  let size = 2 + (transactionalId === null ? 0 : Buffer.byteLength(transactionalId, 'utf8')) + 2 + 4 + 4;
  for (const t of topics) {
    size += 2 + Buffer.byteLength(t.topic, 'utf8') + 4;
    for (const p of t.partitions) size += 4 + 4 + p.batch.length;
  }
  const b = Buffer.allocUnsafe(size);
  let pos = 0;
  if (transactionalId === null) pos = b.writeInt16BE(-1, pos);
  else {
    pos = b.writeInt16BE(Buffer.byteLength(transactionalId, 'utf8'), pos);
    pos += b.write(transactionalId, pos, 'utf8');
  }
  pos = b.writeInt16BE(acks, pos);
  pos = b.writeInt32BE(timeoutMs, pos);
  pos = b.writeInt32BE(topics.length, pos);
  for (const t of topics) {
    pos = b.writeInt16BE(Buffer.byteLength(t.topic, 'utf8'), pos);
    pos += b.write(t.topic, pos, 'utf8');
    pos = b.writeInt32BE(t.partitions.length, pos);
    for (const p of t.partitions) {
      pos = b.writeInt32BE(p.partition, pos);
      pos = b.writeInt32BE(p.batch.length, pos);
      b.set(p.batch, pos);
      pos += p.batch.length;
    }
  }
  return b;
}
