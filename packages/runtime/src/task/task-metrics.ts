/**
 * Per-task counters (Kafka Streams' task-level metrics). Plain numbers: incrementing costs nothing and
 * nobody has to listen. The runtime's metrics reporter reads them.
 */
export class TaskMetrics {
  processed = 0;
  /** Records dropped: late for their window, null key where one is needed, bad timestamp. */
  droppedRecords = 0;
  /** Per reason, e.g. "late-record:KSTREAM-AGGREGATE-0000000001". */
  readonly dropped = new Map<string, number>();
  punctuations = 0;
  commits = 0;

  drop(reason: string, step: string): void {
    this.droppedRecords++;
    const k = `${reason}:${step}`;
    this.dropped.set(k, (this.dropped.get(k) ?? 0) + 1);
  }
}
