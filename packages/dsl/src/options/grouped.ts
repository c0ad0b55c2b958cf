import type { Serde } from '../serde/serde.ts';

/** Serdes and name of a grouping; the name also names the repartition topic (`<name>-repartition`). */
export interface Grouped<K, V> {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly name?: string;
}

export const Grouped = {
  with<K, V>(keySerde: Serde<K>, valueSerde: Serde<V>, name?: string): Grouped<K, V> {
    return name === undefined ? { keySerde, valueSerde } : { keySerde, valueSerde, name };
  },
  as<K = never, V = never>(name: string): Grouped<K, V> {
    return { name };
  },
};
