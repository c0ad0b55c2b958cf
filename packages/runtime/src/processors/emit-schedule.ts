/**
 * Kafka Streams' emit interval (the nextTimeToEmit of KStreamImplJoin.TimeTracker): results that wait for stream
 * time — closed windows of an emitStrategy(onWindowClose) aggregation, left/outer stream-stream join non-matches —
 * are looked for at most once per interval of wall-clock time. Only a processed record triggers a look. The next
 * look is scheduled from now, not from the last due time, so a wall clock that jumps far ahead does not make every
 * later record look (as Kafka).
 */
export class EmitSchedule {
  /** Wall-clock time from which the next look may happen: 0 at first, so the first record looks. */
  private nextTimeToEmit = 0;

  constructor(private readonly intervalMs: number) {}

  /** True when a look is due at wall-clock time `now`, and then the next is due `interval` later; false while throttled. */
  due(now: number): boolean {
    if (now < this.nextTimeToEmit) return false;
    this.nextTimeToEmit = now + this.intervalMs;
    return true;
  }
}
