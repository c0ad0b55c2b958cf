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

/** Names a table-table join and its result store. */
export interface TableJoined {
  readonly name?: string;
}
