import type { Serde } from '../serde/serde.ts';
import type { StreamPartitioner } from '../graph/graph-node.ts';

/** How records are written: serdes (default: the stream's known serdes), partitioner, sink name. */
export interface Produced<K, V> {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly partitioner?: StreamPartitioner<K, V>;
  readonly name?: string;
}

export const Produced = {
  with<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>, extra: Omit<Produced<K, V>, 'keySerde' | 'valueSerde'> = {}): Produced<K, V> {
    return { keySerde, valueSerde, ...extra };
  },
};
