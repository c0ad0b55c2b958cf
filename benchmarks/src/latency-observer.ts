import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';

/**
 * Reads an output topic as records arrive (the latency phase's observer, in the suite's own process): per output
 * record, its arrival (the wall clock when its batch came) and its timestamp — the input record's that caused it
 * (a sink keeps it; an aggregation's output has its latest input's, a join's the later side's). A fetch returns as
 * soon as data is there (min bytes 1), so the wait it adds is the broker's round trip.
 */
export class LatencyObserver {
  readonly #arrivals: number[] = [];
  readonly #timestamps: number[] = [];

  private constructor(private readonly consumer: Consumer, private readonly admin: Admin, private readonly groupId: string) {}

  static async start(kafka: Kafka, admin: Admin, topic: string): Promise<LatencyObserver> {
    const groupId = `bench-latency-${randomUUID()}`;
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, minBytes: 1 });
    const o = new LatencyObserver(consumer, admin, groupId);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    // No commits: a commit per batch would be a round trip between fetches, delaying what it reads next.
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const m of batch.messages) {
          o.#arrivals.push(now);
          o.#timestamps.push(Number(m.timestamp));
        }
      },
    });
    return o;
  }

  /** Output records seen so far. */
  get records(): number {
    return this.#arrivals.length;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.admin.deleteGroups([this.groupId]).catch(() => undefined);
  }

  /** Latencies (arrival − timestamp, ms), sorted, of the outputs timestamped from `from` that arrived by `until`. */
  latencies(from: number, until: number): Float64Array {
    const out: number[] = [];
    for (let i = 0; i < this.#arrivals.length; i++) {
      if (this.#timestamps[i]! >= from && this.#arrivals[i]! <= until) out.push(this.#arrivals[i]! - this.#timestamps[i]!);
    }
    return Float64Array.from(out).sort();
  }
}

/** The p-th percentile (0 < p ≤ 100) of sorted values, nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no values');
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
