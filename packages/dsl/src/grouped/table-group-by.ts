import type { KTableImpl } from '../ktable/ktable-impl.ts';
import type { KeyValue } from '../key-value.ts';
import type { Grouped } from '../options/grouped.ts';
import type { KGroupedTable } from './kgrouped-table.ts';
import type { KeyValueMapper } from '../graph/nodes/node-functions.ts';
import { KGroupedTableImpl } from './kgrouped-table-impl.ts';

/**
 * KTable#groupBy (Kafka Streams' KTableRepartitionMap, KTABLE-SELECT- or the Grouped name): maps each
 * change to the new key; the aggregation behind the repartition topic subtracts the old value and adds
 * the new one, so this step needs old values from the table.
 */
export function tableGroupBy<K, V, KR, VR>(
  table: KTableImpl<K, V>,
  selector: (key: K, value: V) => KeyValue<KR, VR>,
  grouped: Grouped<KR, VR>,
): KGroupedTable<KR, VR> {
  const ctx = table.ctx;
  ctx.checkOpen('groupBy');
  const name = ctx.nameOr(grouped.name, 'KTABLE-SELECT-');
  ctx.graph.add({ kind: 'processor', name, parents: [table.node], op: 'tableGroupBy', stores: [], selector: selector as KeyValueMapper<KeyValue<unknown, unknown>> });
  return new KGroupedTableImpl<KR, VR>(ctx, name, grouped.keySerde, grouped.valueSerde, grouped.name);
}
