import type { RawRecord } from '../../io/raw-record.ts';

/**
 * Fetched records of one partition, in offset order, read a few at a time. The kafkajs adapter keeps what it fetched
 * as readers and makes record objects only when a poll hands them out (as Java's consumer decodes a fetch lazily,
 * poll by poll): a fetch of ~35,000 records decoded at once would keep them all alive until processed, and the
 * garbage collector would copy every one of them out of the young generation — most of the decoding's cost.
 */
export interface RecordReader {
  /** Records left to read. */
  readonly remaining: number;
  /** Appends the next `max` records (or all that are left) to `out`. */
  read(max: number, out: RawRecord[]): void;
  /** Leaves out the records before `offset` at the front (those already handed out, say). */
  skipBelow(offset: number): void;
}

/** A reader over records already made (kafkajs's own decoding, old message formats). */
export class ArrayRecordReader implements RecordReader {
  #next = 0;

  constructor(private readonly records: readonly RawRecord[]) {}

  get remaining(): number {
    return this.records.length - this.#next;
  }

  read(max: number, out: RawRecord[]): void {
    const end = Math.min(this.records.length, this.#next + max);
    for (let i = this.#next; i < end; i++) out.push(this.records[i]!);
    this.#next = end;
  }

  skipBelow(offset: number): void {
    while (this.#next < this.records.length && (this.records[this.#next]!.offset ?? -1) < offset) this.#next++;
  }
}
