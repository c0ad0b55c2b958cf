import type { ProcessorNodeBase } from './node-base.ts';
import type { KeyValuePredicate, KeyValueMapper, ValueMapper, AggregateInitializer, AggregateFolder, ValueReducer } from './node-functions.ts';
import type { KeyValue } from '../../key-value.ts';
import type { Serde } from '../../serde/serde.ts';
import type { BufferConfig } from '../../window/suppressed.ts';

/** The table of a KTable or GlobalKTable source: upserts each record into `store`, or only forwards it without one. */
export interface TableSourceNode extends ProcessorNodeBase {
  readonly op: 'tableSource';
  /**
   * The table's store; undefined once build() found the table needs none (materializeTables: not named, nothing
   * reads it or needs its old values). Its generated name stays taken, as Kafka Streams numbers it, but names no store.
   */
  readonly store: string | undefined;
  /** The user named the store (Materialized.as): the table is materialized whatever reads it. */
  readonly queryable: boolean;
}

/** KStream#toTable: as a table source, fed by a stream. */
export interface StreamToTableNode extends ProcessorNodeBase {
  readonly op: 'streamToTable';
  /** As TableSourceNode#store: undefined once build() found the table needs no store. */
  readonly store: string | undefined;
  readonly queryable: boolean;
}

/** KTable#toStream: each change becomes a record carrying the new value. */
export interface TableToStreamNode extends ProcessorNodeBase {
  readonly op: 'tableToStream';
}

/** KTable#filter / #filterNot: a rejected value becomes a delete. */
export interface TableFilterNode extends ProcessorNodeBase {
  readonly op: 'tableFilter';
  readonly predicate: KeyValuePredicate;
  /** True for filterNot. */
  readonly not: boolean;
  /** The store of the results when materialized with a store name. */
  readonly store: string | undefined;
}

/** KTable#mapValues. */
export interface TableMapValuesNode extends ProcessorNodeBase {
  readonly op: 'tableMapValues';
  readonly mapper: ValueMapper<unknown>;
  /** The store of the results when materialized with a store name. */
  readonly store: string | undefined;
}

/** KTable#groupBy: maps each change to the new key ahead of the repartition topic. */
export interface TableGroupByNode extends ProcessorNodeBase {
  readonly op: 'tableGroupBy';
  readonly selector: KeyValueMapper<KeyValue<unknown, unknown>>;
}

/** KGroupedTable#aggregate and #count: subtracts each change's old value and adds its new one. */
export interface TableAggregateNode extends ProcessorNodeBase {
  readonly op: 'tableAggregate';
  readonly initializer: AggregateInitializer;
  readonly adder: AggregateFolder;
  readonly subtractor: AggregateFolder;
  readonly store: string;
}

/** KGroupedTable#reduce. */
export interface TableReduceNode extends ProcessorNodeBase {
  readonly op: 'tableReduce';
  readonly adder: ValueReducer;
  readonly subtractor: ValueReducer;
  readonly store: string;
}

/** KTable#suppress: holds back the latest change per key. */
export interface TableSuppressNode extends ProcessorNodeBase {
  readonly op: 'tableSuppress';
  /** Buffer time of a key: its window end (untilWindowCloses) or its first buffered update's time (untilTimeLimit). */
  readonly timeDefinition: 'window-end' | 'record-time';
  /** A key is emitted once stream time passes its buffer time plus this. */
  readonly suppressDurationMs: number;
  /** Final results only: tombstones need not go out. */
  readonly safeToDropTombstones: boolean;
  /** Infinity when unbounded. */
  readonly maxRecords: number;
  /** Infinity when unbounded. */
  readonly maxBytes: number;
  readonly onFull: BufferConfig['onFull'];
  /** The buffer's store name (reserved for its changelog topic). */
  readonly bufferName: string;
  readonly keySerde: Serde<any> | undefined;
  readonly valueSerde: Serde<any> | undefined;
}
