import type { Admin } from 'kafkajs';
import { KafkajsClient, type AssignedConsumer, type KafkaClient } from '@ts-streams/runtime';

/** Records the observer holds fetched ahead of its polls (it polls in a tight loop: this bounds its memory only). */
const MAX_BUFFERED = 20_000;

/**
 * Reads an output topic as records arrive (the latency phase's observer, in the suite's own process): per output
 * record, its arrival (the wall clock when the poll returned it) and its timestamp — the input record's that caused
 * it (a sink keeps it; an aggregation's output has its latest input's, a join's the later side's). It reads with our
 * kafkajs adapter's assigned consumer (our Fetch decoder: a quarter of stock kafkajs's CPU per record), every
 * partition from the start, in no group and committing nothing: on 2 cores the observer shares the machine with
 * the app, the broker and the paced producer, and whatever it spends is taken from them. A fetch answers as soon as
 * data is there, so the wait it adds is the broker's round trip.
 */
export class LatencyObserver {
  readonly #arrivals: number[] = [];
  readonly #timestamps: number[] = [];
  #stopped = false;
  #reading: Promise<void> = Promise.resolve();
  #failure: unknown;

  private constructor(private readonly client: KafkaClient, private readonly consumer: AssignedConsumer) {}

  static async start(brokers: readonly string[], admin: Admin, topic: string): Promise<LatencyObserver> {
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = meta.topics[0]?.partitions.length ?? 0;
    if (partitions === 0) throw new Error(`the latency observer found no partitions of ${topic}: the suite creates it before the run.`);
    const client = new KafkajsClient({ bootstrapServers: brokers, clientId: 'bench-latency-observer' });
    const consumer = client.assignedConsumer({ isolation: 'read_uncommitted', maxBufferedRecords: MAX_BUFFERED });
    await consumer.connect();
    const tps = Array.from({ length: partitions }, (_, partition) => ({ topic, partition }));
    consumer.assign(tps);
    for (const tp of tps) consumer.seek(tp, 'earliest');
    const o = new LatencyObserver(client, consumer);
    // Held until stop(), which rethrows it: the phase then fails naming it.
    o.#reading = o.#read().catch((e: unknown) => {
      o.#failure = e;
    });
    return o;
  }

  async #read(): Promise<void> {
    while (!this.#stopped) {
      const fetched = await this.consumer.poll({ maxRecords: MAX_BUFFERED, timeoutMs: 100 });
      const now = Date.now();
      for (const f of fetched) {
        for (const r of f.records) {
          this.#arrivals.push(now);
          this.#timestamps.push(r.timestamp);
        }
      }
    }
  }

  /** Output records seen so far. */
  get records(): number {
    return this.#arrivals.length;
  }

  /** Stops reading (a failed read rejects here) and closes the consumer. */
  async stop(): Promise<void> {
    this.#stopped = true;
    try {
      await this.#reading;
      if (this.#failure !== undefined) throw this.#failure;
    } finally {
      await this.consumer.close();
      await this.client.close();
    }
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
