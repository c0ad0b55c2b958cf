/** A key and a value, as returned by map()/flatMap() mappers (Kafka Streams' KeyValue). */
export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}

export function kv<K, V>(key: K, value: V): KeyValue<K, V> {
  return { key, value };
}
