import type { Serde } from '../serde/serde.ts';

/** Serdes of a stream-table join (key, stream value, table value) and its name. */
export interface Joined<K, V, VO> {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly otherValueSerde?: Serde<VO>;
  readonly name?: string;
  /** KIP-923: buffer stream records this long to wait for table updates (versioned tables only). */
  readonly gracePeriodMs?: number;
}

/** The serdes given (an undefined one left out, so the step's default applies), then the other settings. */
function withSerdes<K, V, VO, R extends object>(
  keySerde: Serde<K> | undefined,
  valueSerde: Serde<V> | undefined,
  otherValueSerde: Serde<VO> | undefined,
  rest: R,
): { keySerde?: Serde<K>; valueSerde?: Serde<V>; otherValueSerde?: Serde<VO> } & R {
  return { ...(keySerde ? { keySerde } : {}), ...(valueSerde ? { valueSerde } : {}), ...(otherValueSerde ? { otherValueSerde } : {}), ...rest };
}

export const Joined = {
  /** Kafka Streams' Joined.with(keySerde, valueSerde, otherValueSerde): the stream's key and value, the table's value. */
  with<K, V, VO>(
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V> | undefined,
    otherValueSerde?: Serde<VO>,
    rest: Omit<Joined<K, V, VO>, 'keySerde' | 'valueSerde' | 'otherValueSerde'> = {},
  ): Joined<K, V, VO> {
    return withSerdes(keySerde, valueSerde, otherValueSerde, rest);
  },
};

/** Serdes and store settings of a stream-stream join. */
export interface StreamJoined<K, V, VO> {
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  readonly otherValueSerde?: Serde<VO>;
  readonly name?: string;
  readonly storeName?: string;
  readonly backend?: 'rocksdb' | 'in-memory';
  readonly logging?: boolean;
}

export const StreamJoined = {
  /**
   * Kafka Streams' StreamJoined.with(keySerde, valueSerde, otherValueSerde): the serdes of both sides' window
   * stores (and of their repartition topics when a key changed upstream).
   */
  with<K, V, VO>(
    keySerde: Serde<K> | undefined,
    valueSerde: Serde<V> | undefined,
    otherValueSerde: Serde<VO> | undefined,
    rest: Omit<StreamJoined<K, V, VO>, 'keySerde' | 'valueSerde' | 'otherValueSerde'> = {},
  ): StreamJoined<K, V, VO> {
    return withSerdes(keySerde, valueSerde, otherValueSerde, rest);
  },
};

/** Names a table-table join and its result store. */
export interface TableJoined {
  readonly name?: string;
}
