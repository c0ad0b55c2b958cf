import type { Serde } from '../serde/serde.ts';
import type { StreamPartitioner } from '../graph/graph-node.ts';

/** How records are written: serdes (default: the stream's known serdes), partitioner, sink name. */
export interface Produced<K, V> {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly partitioner?: StreamPartitioner<K, V>;
  readonly name?: string;
}

/**
 * What `Produced.with(keySerde, valueSerde)` gives when no partitioner is set: only serdes and a name. Every serde
 * carries Kafka's null (no bytes), and with no partitioner reading the key and value nothing else pins their
 * types, so it fits `to()` on a stream whose keys or values may be null as well: `Produced.with(Serdes.String(), …)`
 * serves a `KStream<string | null, V>`, as Java's `Produced.with(Serdes.String(), …)` does.
 */
export interface ProducedWithSerdes<K, V> {
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
  readonly name?: string;
}

/**
 * Serdes (and a sink name, a partitioner) for `to()`. The key and value types come from the serdes. With a
 * partitioner, the stream's types must match its parameters exactly: a stream whose keys may be null needs a
 * partitioner that takes null (`Produced.with<string | null, V>(…)`), as Kafka passes null keys to it.
 */
function produced<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>, extra?: { readonly name?: string; readonly partitioner?: undefined }): ProducedWithSerdes<K, V>;
function produced<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>, extra: Omit<Produced<K, V>, 'keySerde' | 'valueSerde'>): Produced<K, V>;
function produced<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>, extra: Omit<Produced<K, V>, 'keySerde' | 'valueSerde'> = {}): Produced<K, V> {
  return { keySerde, valueSerde, ...extra };
}

export const Produced = {
  with: produced,
};
