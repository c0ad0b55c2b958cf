import type { OutputRecord } from '../io/raw-record.ts';

/** The records written to one topic and not read yet, oldest first (reads are O(1), not Array#shift). */
export class OutputQueue {
  private records: OutputRecord[] = [];
  private head = 0;

  push(r: OutputRecord): void {
    this.records.push(r);
  }
  get size(): number {
    return this.records.length - this.head;
  }
  /** Removes and returns the oldest record, or undefined when empty. */
  shift(): OutputRecord | undefined {
    if (this.head >= this.records.length) return undefined;
    const r = this.records[this.head]!;
    this.records[this.head++] = undefined as unknown as OutputRecord;
    if (this.head === this.records.length) this.clear();
    else if (this.head > 4096 && this.head * 2 > this.records.length) {
      this.records = this.records.slice(this.head);
      this.head = 0;
    }
    return r;
  }
  /** Removes and returns every record, oldest first. */
  takeAll(): OutputRecord[] {
    const out = this.head === 0 ? this.records : this.records.slice(this.head);
    this.clear();
    return out;
  }
  private clear(): void {
    this.records = [];
    this.head = 0;
  }
}
