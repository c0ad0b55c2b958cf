import type { Named } from '../options/named.ts';
import type { Materialized } from '../options/materialized.ts';
import type { KTable } from '../ktable/ktable.ts';
import type { Windowed } from '../serde/windowed.ts';
import type { TimeWindows } from '../window/time-windows.ts';
import type { SlidingWindows } from '../window/sliding-windows.ts';
import type { SessionWindows } from '../window/session-windows.ts';

export type Initializer<VA> = () => VA;
export type Aggregator<K, V, VA> = (key: K, value: V, aggregate: VA) => VA;
export type Reducer<V> = (aggregate: V, value: V) => V;
export type Merger<K, VA> = (key: K, left: VA, right: VA) => VA;

/** When a windowed aggregation emits: on every update (default) or once, when the window closes. */
export type EmitStrategy = 'on-window-update' | 'on-window-close';

/** A stream grouped by key, ready to aggregate. */
export interface KGroupedStream<K, V> {
  count(materialized?: Materialized<K, number>, named?: Named): KTable<K, number>;
  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<K, V>;
  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, materialized?: Materialized<K, VA>, named?: Named): KTable<K, VA>;
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
}

export interface TimeWindowedKStream<K, V> {
  emitStrategy(strategy: EmitStrategy): TimeWindowedKStream<K, V>;
  count(materialized?: Materialized<K, number>, named?: Named): KTable<Windowed<K>, number>;
  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<Windowed<K>, V>;
  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, materialized?: Materialized<K, VA>, named?: Named): KTable<Windowed<K>, VA>;
}

export interface SessionWindowedKStream<K, V> {
  emitStrategy(strategy: EmitStrategy): SessionWindowedKStream<K, V>;
  count(materialized?: Materialized<K, number>, named?: Named): KTable<Windowed<K>, number>;
  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<Windowed<K>, V>;
  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, sessionMerger: Merger<K, VA>, materialized?: Materialized<K, VA>, named?: Named): KTable<Windowed<K>, VA>;
}
