import type { KafkaAdmin } from '../client/kafka-admin.ts';
import type { KafkaStreams } from '../app/kafka-streams.ts';
import { groupLag } from './group-lag.ts';

/** How often the lag is asked of the cluster (a request per input topic: not every second). */
const LAG_EVERY_MS = 5_000;

/**
 * The one-line status of a running application: its state, tasks, records in and out per second since the last
 * line, its lag on its input partitions (committed positions, as `streams lag`), and its commits.
 */
export class RunStatus {
  private last: { at: number; processed: number; produced: number };
  private lag: number | undefined;
  private lagAskedAt = 0;
  private asking = false;

  constructor(
    private readonly app: KafkaStreams,
    private readonly admin: KafkaAdmin,
    private readonly inputTopics: readonly string[],
  ) {
    this.last = { at: Date.now(), processed: 0, produced: 0 };
  }

  /** The status now; asks for the lag in the background when it is due (the line shows the last answer). */
  line(): string {
    const m = this.app.metrics();
    const now = Date.now();
    const processed = Object.values(m.tasks).reduce((n, t) => n + t.processed, 0);
    const seconds = Math.max(0.001, (now - this.last.at) / 1000);
    // A task that moved away takes its count with it: never a negative rate.
    const inRate = Math.max(0, processed - this.last.processed) / seconds;
    const outRate = Math.max(0, m.producedRecords - this.last.produced) / seconds;
    this.last = { at: now, processed, produced: m.producedRecords };
    if (now - this.lagAskedAt >= LAG_EVERY_MS) this.askLag(now);
    const tasks = Object.keys(m.tasks).length;
    return `${m.state} · ${tasks} task${tasks === 1 ? '' : 's'} · in ${rate(inRate)}/s · out ${rate(outRate)}/s · lag ${this.lag ?? '?'} · ${m.commits} commit${m.commits === 1 ? '' : 's'}`;
  }

  private askLag(now: number): void {
    if (this.asking) return;
    this.asking = true;
    this.lagAskedAt = now;
    groupLag(this.admin, this.app.config.applicationId, this.inputTopics)
      // Before the first commit there is no position to measure from: '?'.
      .then((lags) => (this.lag = lags.some((l) => l.lag !== undefined) ? lags.reduce((n, l) => n + (l.lag ?? 0), 0) : undefined))
      .catch(() => undefined) // the status is best effort: the next line asks again
      .finally(() => (this.asking = false));
  }
}

function rate(n: number): string {
  if (n >= 10_000) return `${(n / 1000).toFixed(0)}k`;
  if (n >= 1_000) return `${(n / 1000).toFixed(1)}k`;
  return n.toFixed(0);
}
