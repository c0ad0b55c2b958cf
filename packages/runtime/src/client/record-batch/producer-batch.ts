import { RecordBatchBuilder } from './record-batch-builder.ts';
import type { PendingSend } from './pending-send.ts';

/**
 * A record batch of one partition on its way to the broker: its bytes (RecordBatchBuilder), which sends have records
 * in it, and for the sends whose last record of the partition is in it, that record's index, so that the broker's base
 * offset for the batch gives each of them its offset.
 */
export class ProducerBatch {
  readonly builder: RecordBatchBuilder;
  /** The partition's running index (ProducePartition#appended) of the batch's first record. */
  readonly firstIndex: number;
  /** When the batch was opened (Date.now()): delivery.timeout.ms counts from it. */
  readonly createdAt: number;
  /** The sequence number of its first record, once sent (then its bytes are final); -1 before. */
  baseSequence = -1;
  /** Times it was sent. */
  attempts = 0;
  /** Failed for good (its sends rejected): a later answer for it is ignored. */
  failed = false;
  /** Sends with records in it (each once). */
  readonly sends: PendingSend[] = [];
  /** The last send appended to it (to add each send once). */
  lastSend: PendingSend | undefined;
  /** Sends whose last record of the partition is in this batch, with that record's running index and offset slot. */
  readonly ends: PendingSend[] = [];
  readonly endIndexes: number[] = [];
  readonly endSlots: number[] = [];

  constructor(buffer: Buffer, firstIndex: number, createdAt: number) {
    this.builder = new RecordBatchBuilder(buffer);
    this.firstIndex = firstIndex;
    this.createdAt = createdAt;
  }

  get count(): number {
    return this.builder.count;
  }

  /** The broker wrote the batch from `baseOffset`: each send ending here learns its offset. */
  acknowledge(baseOffset: number): void {
    for (let i = 0; i < this.ends.length; i++) this.ends[i]!.acknowledge(this.endSlots[i]!, baseOffset + this.endIndexes[i]! - this.firstIndex);
  }

  /** The batch will not be written (or not known to be): every send with records in it rejects. */
  fail(error: unknown): void {
    this.failed = true;
    for (const send of this.sends) send.fail(error);
  }
}
