/**
 * One partition of the embedded log, in memory (its records are in RocksDB):
 *
 * - `start`: the log start offset (retention and deleteRecords move it; compaction does not);
 * - `end`: one past the last offset written durably — committed records, or aborted ones (a gap);
 * - `next`: the offset the next record staged here gets; offsets are handed out when a record is staged, so a
 *   producer learns its offsets at once, as from a broker's acknowledgement;
 * - `openFirsts`: the first offset each open transaction holds here. What readers see ends at the first of them —
 *   Kafka's last stable offset — so a transaction committed after another one that staged earlier offsets cannot
 *   make a reader skip those: they become readable together, or are a gap once aborted.
 */
export class LogPartition {
  private readonly openFirsts: number[] = [];

  constructor(
    readonly topicId: number,
    readonly topic: string,
    readonly partition: number,
    public start: number,
    public end: number,
  ) {
    this.next = end;
  }

  next: number;

  /** The last stable offset: every offset below is settled (committed or aborted); readers stop here. */
  get stable(): number {
    return this.openFirsts.length > 0 ? this.openFirsts[0]! : this.next;
  }

  /** A transaction stages its first record here at `offset`. */
  opened(offset: number): void {
    this.openFirsts.push(offset); // offsets only grow: the list stays sorted
  }

  /** A transaction that opened here at `first` is settled up to `last` (exclusive), committed or aborted. */
  settled(first: number, last: number): void {
    const i = this.openFirsts.indexOf(first);
    if (i >= 0) this.openFirsts.splice(i, 1);
    if (last > this.end) this.end = last;
  }
}
