import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';

/**
 * One KafkaProducer#send call while its records are on their way: it resolves with the offset of its last record in
 * each topic-partition once every one of those is acknowledged, or rejects with the first failure of a batch that
 * holds any of its records. Batches point at the sends whose records they hold (ProducerBatch), not the other way:
 * nothing is kept per record.
 */
export class PendingSend {
  /** Topic-partitions whose last record of this send is not acknowledged yet. */
  remaining = 0;
  /** The last offset per topic-partition, in the order the send first named them (-1 until acknowledged). */
  readonly offsets: { topic: string; partition: number; offset: number }[] = [];
  settled = false;
  readonly promise: Promise<readonly TopicPartitionOffset[]>;
  #resolve!: (offsets: readonly TopicPartitionOffset[]) => void;
  #reject!: (error: unknown) => void;

  constructor() {
    this.promise = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** The record at `slot`'s topic-partition acknowledged at `offset`; resolves once all are. */
  acknowledge(slot: number, offset: number): void {
    if (this.settled) return;
    this.offsets[slot]!.offset = offset;
    if (--this.remaining === 0) {
      this.settled = true;
      this.#resolve(this.offsets);
    }
  }

  fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.#reject(error);
  }
}
