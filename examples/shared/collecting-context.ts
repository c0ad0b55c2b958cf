import type { Headers, Serde } from '@ts-streams/dsl';
import type { GeneratorContext } from '@ts-streams/runtime';

/** A record as a generator sent it: the bytes its serdes made (what a log stores), and the time it was sent. */
export interface CollectedRecord {
  readonly topic: string;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: Headers;
  readonly sentAt: number;
}

export interface CollectingContext extends GeneratorContext {
  /** Every record sent so far, in order. */
  readonly records: CollectedRecord[];
  /** When the signal was aborted (epoch ms), if it was. */
  readonly abortedAt: () => number | undefined;
}

/**
 * The generator contract's in-memory implementation, for the examples' tests: `send` serializes with the given
 * serdes (as the embedded log and Kafka do) and appends to an array; `sleep` is a real timer cut short by the
 * signal. The signal aborts once `stopAfter` records were sent, or after `timeoutMs`, whichever comes first.
 */
export function collectingContext(options: { readonly stopAfter: number; readonly timeoutMs: number }): CollectingContext {
  const records: CollectedRecord[] = [];
  const controller = new AbortController();
  let abortedAt: number | undefined;
  const abort = () => {
    if (abortedAt !== undefined) return;
    abortedAt = Date.now();
    controller.abort();
  };
  const deadline = setTimeout(abort, options.timeoutMs);
  controller.signal.addEventListener('abort', () => clearTimeout(deadline), { once: true });
  return {
    records,
    signal: controller.signal,
    abortedAt: () => abortedAt,
    async send(topic, serdes, batch) {
      const sentAt = Date.now();
      for (const r of batch) {
        const headers = r.headers ?? [];
        records.push({
          topic,
          key: serdes.key.serialize(topic, r.key, headers),
          value: serdes.value.serialize(topic, r.value, headers),
          timestamp: r.timestamp ?? sentAt,
          headers,
          sentAt,
        });
      }
      if (records.length >= options.stopAfter) abort();
    },
    sleep(ms) {
      return new Promise<void>((resolve) => {
        if (controller.signal.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          controller.signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        controller.signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}

/** The records sent to one topic, decoded with its serdes: what a consumer of that topic reads. */
export function recordsOf<K, V>(records: readonly CollectedRecord[], topic: string, serdes: { readonly key: Serde<K>; readonly value: Serde<V> }) {
  return records
    .filter((r) => r.topic === topic)
    .map((r) => ({ key: serdes.key.deserialize(topic, r.key, r.headers), value: serdes.value.deserialize(topic, r.value, r.headers), timestamp: r.timestamp, sentAt: r.sentAt }));
}
