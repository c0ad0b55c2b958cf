import type { ProcessorNodeBase } from './node-base.ts';
import type { KeyValuePredicate, KeyValueMapper, ValueMapper, KeyValueAction } from './node-functions.ts';
import type { KeyValue } from '../../key-value.ts';
import type { ProcessorSupplier } from '../../processor/processor.ts';

/** KStream#filter / #filterNot: forwards records whose predicate result differs from `not`. */
export interface FilterNode extends ProcessorNodeBase {
  readonly op: 'filter';
  readonly predicate: KeyValuePredicate;
  /** True for filterNot. */
  readonly not: boolean;
}

/** KStream#map: a new key and value per record. */
export interface MapNode extends ProcessorNodeBase {
  readonly op: 'map';
  readonly mapper: KeyValueMapper<KeyValue<unknown, unknown>>;
}

/** KStream#mapValues: a new value, same key. */
export interface MapValuesNode extends ProcessorNodeBase {
  readonly op: 'mapValues';
  readonly mapper: ValueMapper<unknown>;
}

/** KStream#flatMap: zero or more records per record. */
export interface FlatMapNode extends ProcessorNodeBase {
  readonly op: 'flatMap';
  readonly mapper: KeyValueMapper<Iterable<KeyValue<unknown, unknown>>>;
}

/** KStream#flatMapValues: zero or more values per record, same key. */
export interface FlatMapValuesNode extends ProcessorNodeBase {
  readonly op: 'flatMapValues';
  readonly mapper: ValueMapper<Iterable<unknown>>;
}

/** KStream#selectKey and the key selection of KStream#groupBy: a new key, same value. */
export interface SelectKeyNode extends ProcessorNodeBase {
  readonly op: 'selectKey';
  readonly mapper: KeyValueMapper<unknown>;
}

/** KStream#peek (forwards) and KStream#foreach (terminal). */
export interface PeekNode extends ProcessorNodeBase {
  readonly op: 'peek';
  readonly action: KeyValueAction;
  /** False for foreach. */
  readonly forward: boolean;
}

/** Forwards every record unchanged: merge, split branches, the merge of a stream-stream join. */
export interface PassThroughNode extends ProcessorNodeBase {
  readonly op: 'passThrough';
}

/** The filter in front of a repartition topic. */
export interface RepartitionFilterNode extends ProcessorNodeBase {
  readonly op: 'repartitionFilter';
}

/** KStream#split: each record goes to the first branch whose predicate matches, else to the default branch. */
export interface BranchNode extends ProcessorNodeBase {
  readonly op: 'branch';
  /** In order; the first match wins. */
  readonly predicates: readonly KeyValuePredicate[];
  /** The branch children, one per predicate, then the default branch's if `hasDefault`. */
  readonly childNames: readonly string[];
  readonly hasDefault: boolean;
}

/** KStream#process: the user's processor (it may change the key). */
export interface ProcessNode extends ProcessorNodeBase {
  readonly op: 'process';
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
}

/** KStream#processValues: the user's processor, keeping the key. */
export interface ProcessValuesNode extends ProcessorNodeBase {
  readonly op: 'processValues';
  readonly supplier: ProcessorSupplier<unknown, unknown, unknown, unknown>;
}
