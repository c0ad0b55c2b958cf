import type { ProducerBatch } from './producer-batch.ts';
import type { PendingSend } from './pending-send.ts';

/**
 * What happened to a partition's batches in flight since the first of them failed, gathered until none is in flight
 * any more (then the producer decides: retry, rewind the sequence, or give up).
 */
export interface FailureEpisode {
  /** Batches to send again (with their sequence numbers: the broker drops what it already has of them). */
  readonly retry: ProducerBatch[];
  /** The sequence of the first batch that failed for good (every batch from it on failed too); Infinity if none. */
  failedFrom: number;
  /** The last retriable failure, for the error when the delivery timeout ends the retries. */
  lastError: unknown;
  /** Whether the partition's leader must be looked up again (NOT_LEADER, a lost connection, an unknown topic). */
  refreshLeader: boolean;
}

/**
 * One topic-partition of a producer, as Kafka's RecordAccumulator keeps it: the open batch records are appended to,
 * batches sealed and waiting, batches in flight (in sequence order), the next sequence number, the leader.
 */
export class ProducePartition {
  /** The batch records are appended to. */
  open: ProducerBatch | undefined;
  /** Sealed batches not in flight, in order: batches to retry first (sequence numbers kept), then new ones. */
  readonly ready: ProducerBatch[] = [];
  /** Sent and not answered yet, in sequence order. */
  readonly inFlight: ProducerBatch[] = [];
  /** The sequence number the next new batch starts at. */
  nextSequence = 0;
  /** Records appended so far: the running index of the next one. */
  appended = 0;
  /** The send whose records were appended last, its offset slot, and the batch that got its last record. */
  lastSend: PendingSend | undefined;
  lastSlot = 0;
  lastBatch: ProducerBatch | undefined;
  /** The leader's node id; -1 while not known. */
  leader = -1;
  /** The metadata version (KafkajsProducer's count of refreshes) its leader may be taken from: newer than an error. */
  metadataWanted = 0;
  /** The last failure to reach its leader or learn it: the cause if its records time out waiting. */
  lastError: unknown;
  /** No batch of it is sent before this time (Date.now()): the backoff after a retriable failure. */
  blockedUntil = 0;
  backoffMs: number;
  /** Set from a batch's failure until the partition has nothing in flight. */
  episode: FailureEpisode | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    firstBackoffMs: number,
  ) {
    this.backoffMs = firstBackoffMs;
  }

  /** Whether records are waiting to be sent (sealed or in the open batch). */
  get hasRecords(): boolean {
    return this.ready.length > 0 || (this.open !== undefined && this.open.count > 0);
  }

  /** Moves the open batch (if it has records) to the ready ones. */
  seal(): void {
    const open = this.open;
    if (open !== undefined && open.count > 0) {
      this.ready.push(open);
      this.open = undefined;
    }
  }

  /** The oldest batch not yet acknowledged, if any: when delivery.timeout.ms counts from. */
  oldest(): ProducerBatch | undefined {
    return this.inFlight[0] ?? this.ready[0] ?? (this.open !== undefined && this.open.count > 0 ? this.open : undefined);
  }
}

/** A sequence number `count` records after `sequence`: they wrap from 2^31 - 1 to 0 (Kafka's incrementSequence). */
export function nextSequence(sequence: number, count: number): number {
  return sequence > 0x7fffffff - count ? count - (0x7fffffff - sequence) - 1 : sequence + count;
}
