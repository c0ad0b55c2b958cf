import type { Serde } from '../serde/serde.ts';
import type { StreamPartitioner } from '../graph/graph-node.ts';

/** An explicit repartition (KStream#repartition): topic name, serdes, partition count and partitioner. */
export interface Repartitioned<K, V> {
  readonly name?: string;
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly numberOfPartitions?: number;
  readonly partitioner?: StreamPartitioner<K, V>;
}
