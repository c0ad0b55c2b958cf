import type { Serde } from '../serde/serde.ts';
import type { TimestampExtractor } from '../graph/graph-node.ts';

/** How a topic is read: serdes, timestamp extractor, offset reset and the source's name. */
export interface Consumed<K, V> {
  readonly keySerde: Serde<K>;
  readonly valueSerde: Serde<V>;
  readonly timestampExtractor?: TimestampExtractor;
  readonly offsetReset?: 'earliest' | 'latest' | 'none';
  readonly name?: string;
}

export const Consumed = {
  with<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>, extra: Omit<Consumed<K, V>, 'keySerde' | 'valueSerde'> = {}): Consumed<K, V> {
    return { keySerde, valueSerde, ...extra };
  },
};
