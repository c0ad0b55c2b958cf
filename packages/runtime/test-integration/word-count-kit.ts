// What the robustness tests of KafkaStreams share: a word count through a repartition topic, input made with kafkajs,
// the output's latest count per word read back, and the counts computed without the engine to compare with.
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { StreamsBuilder, Serdes, Consumed, Grouped, Materialized, Produced, type Topology } from '@ts-streams/dsl';

/**
 * words → groupBy(word) → count → out: the counts per word go through `<app>-by-word-repartition`, the store is
 * `word-counts` (changelog `<app>-word-counts-changelog`, with `changelogConfigs` on top of Kafka Streams' own).
 */
export function wordCounts(input: string, output: string, changelogConfigs: Readonly<Record<string, string>> = {}): Topology {
  const b = new StreamsBuilder();
  const s = Serdes.String();
  b.stream(input, Consumed.with(s, s))
    .groupBy((_line, word) => word, Grouped.with(s, s, 'by-word'))
    .count(Materialized.as('word-counts', { logConfig: changelogConfigs }))
    .toStream()
    .to(output, Produced.with(s, Serdes.Long()));
  return b.build();
}

/** `n` words of 37 (w0 … w36), spread by `seed`. */
export function wordsFor(n: number, seed: number, vocabulary = 37): string[] {
  return Array.from({ length: n }, (_, i) => `w${(i * 7919 + seed) % vocabulary}`);
}

export function countsOf(words: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const w of words) m.set(w, (m.get(w) ?? 0) + 1);
  return m;
}

/** A map in key order, to compare maps built in different orders. */
export function sorted<V>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Sends `words` (keyed by line number, so they spread over the partitions) in sends of 500, each once: an idempotent
 * producer (a plain kafkajs one retries a request that timed out under load and may write it twice).
 */
export async function produceWords(kafka: Kafka, topic: string, words: readonly string[], firstLine = 0): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < words.length; i += 500) {
      await producer.send({
        topic,
        messages: words.slice(i, i + 500).map((w, j) => ({ key: `line-${firstLine + i + j}`, value: w, timestamp: String(1_700_000_000_000 + firstLine + i + j) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Reads `topic` (values: 8-byte counts) from the start until the latest count of every word equals `expected`, or
 * `timeoutMs` passed; returns the latest counts read (compare them with `expected`).
 */
export async function latestCounts(kafka: Kafka, topic: string, expected: ReadonlyMap<string, number>, timeoutMs = 60_000): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let reached!: () => void;
    const done = new Promise<void>((resolve) => (reached = resolve));
    const matches = () => expected.size === latest.size && [...expected].every(([k, v]) => latest.get(k) === v);
    await consumer.run({
      eachMessage: async ({ message }) => {
        latest.set(message.key!.toString(), Number(message.value!.readBigInt64BE()));
        if (matches()) reached();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  } finally {
    await consumer.disconnect();
  }
  return latest;
}

/** Polls `condition` every 100 ms until it holds (resolves true) or `timeoutMs` passed (resolves false). */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
