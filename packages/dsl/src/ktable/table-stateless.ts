import type { KTable } from './ktable.ts';
import type { Named } from '../options/named.ts';
import type { Materialized } from '../options/materialized.ts';
import type { Serde } from '../serde/serde.ts';
import type { TableFilterNode, TableMapValuesNode } from '../graph/nodes/table-nodes.ts';
import type { StepOf } from '../graph/nodes/processor-node.ts';
import type { KeyValuePredicate, ValueMapper } from '../graph/nodes/node-functions.ts';
import { KTableImpl } from './ktable-impl.ts';
import { storeSpecFrom } from '../graph/store-specs.ts';

/**
 * Adds a stateless table step (Kafka Streams' KTableImpl#doFilter / #doMapValues). As in Kafka Streams,
 * a Materialized without a store name burns a store-name index but does not materialize; with a store name
 * the step keeps its results in a store (and reads old values from it).
 */
function addStatelessTableStep<K, V, VR>(
  table: KTableImpl<K, V>,
  prefix: string,
  named: Named | undefined,
  materialized: Materialized<K, VR> | undefined,
  valueSerde: Serde<VR> | undefined,
  step: StepOf<TableFilterNode | TableMapValuesNode, 'stores' | 'store'>,
): KTable<K, VR> {
  const ctx = table.ctx;
  ctx.checkOpen(step.op === 'tableFilter' ? 'filter' : 'mapValues');
  if (materialized !== undefined && materialized.storeName === undefined) ctx.names.next(prefix + 'STATE-STORE-');
  const name = ctx.nameOr(named?.name, prefix);
  const keySerde = materialized?.keySerde ?? table.keySerde;
  const storeName = materialized?.storeName;
  if (storeName !== undefined) {
    ctx.graph.addStore(storeSpecFrom(storeName, 'timestamped-key-value', materialized, keySerde, valueSerde, false));
  }
  ctx.graph.add({ kind: 'processor', name, parents: [table.node], stores: storeName !== undefined ? [storeName] : [], store: storeName, ...step });
  return new KTableImpl<K, VR>(ctx, name, keySerde, valueSerde, storeName, storeName);
}

/** KTable#filter / #filterNot (KTABLE-FILTER-). */
export function tableFilter<K, V>(
  table: KTableImpl<K, V>,
  predicate: (key: K, value: V) => boolean,
  not: boolean,
  named?: Named,
  materialized?: Materialized<K, V>,
): KTable<K, V> {
  const valueSerde = materialized?.valueSerde ?? table.valueSerde;
  return addStatelessTableStep(table, 'KTABLE-FILTER-', named, materialized, valueSerde, { op: 'tableFilter', predicate: predicate as KeyValuePredicate, not });
}

/** KTable#mapValues (KTABLE-MAPVALUES-): the value serde is only known when the user gives one. */
export function tableMapValues<K, V, VR>(
  table: KTableImpl<K, V>,
  mapper: (value: V, key: K) => VR,
  named?: Named,
  materialized?: Materialized<K, VR>,
): KTable<K, VR> {
  return addStatelessTableStep(table, 'KTABLE-MAPVALUES-', named, materialized, materialized?.valueSerde, { op: 'tableMapValues', mapper: mapper as ValueMapper<unknown> });
}
