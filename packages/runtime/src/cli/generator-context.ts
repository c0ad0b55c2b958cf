import type { Serde } from '@ts-streams/dsl';
import type { KafkaAdmin } from '../client/kafka-admin.ts';
import type { KafkaProducer, ProducerRecord } from '../client/kafka-producer.ts';
import { defaultPartition } from '../io/murmur2.ts';
import { NO_HEADERS } from '@ts-streams/dsl';
import type { Target } from './client-for.ts';
import { ensureTopic } from './ensure-topic.ts';
import type { GeneratedRecord, GeneratorContext } from './generator.ts';

/**
 * What `streams run <folder>` hands the folder's generator (the Generator contract, generator.ts): `send` serializes
 * with the serdes, partitions as Kafka's default partitioner (murmur2 of the key; round robin without one) and
 * appends through the producer, creating a missing topic where the target does (ensureTopic); `sleep` ends early when
 * `signal` aborts.
 */
export function createGeneratorContext(options: {
  readonly admin: KafkaAdmin;
  readonly producer: KafkaProducer;
  readonly target: Target;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
}): GeneratorContext {
  const { admin, producer, target, signal, log } = options;
  const partitions = new Map<string, Promise<number>>();
  const roundRobin = new Map<string, number>();
  return {
    signal,
    async send<K, V>(topic: string, serdes: { readonly key: Serde<K>; readonly value: Serde<V> }, records: readonly GeneratedRecord<K, V>[]): Promise<void> {
      if (records.length === 0) return;
      let count = partitions.get(topic);
      if (count === undefined) {
        count = ensureTopic(admin, target, topic, log);
        partitions.set(topic, count);
        count.catch(() => partitions.delete(topic));
      }
      const n = await count;
      const now = Date.now();
      const batch = records.map((r): ProducerRecord => {
        const key = serdes.key.serialize(topic, r.key, r.headers);
        const value = serdes.value.serialize(topic, r.value, r.headers);
        let partition: number;
        if (key !== null) partition = defaultPartition(key, n);
        else {
          partition = ((roundRobin.get(topic) ?? -1) + 1) % n;
          roundRobin.set(topic, partition);
        }
        return { topic, partition, key, value, timestamp: r.timestamp ?? now, headers: r.headers ?? NO_HEADERS };
      });
      await producer.send(batch);
    },
    sleep(ms: number): Promise<void> {
      if (signal.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}
