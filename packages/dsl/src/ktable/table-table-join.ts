import type { KTable } from './ktable.ts';
import type { Materialized } from '../options/materialized.ts';
import type { TableJoined } from '../options/joined.ts';
import type { LogicalGraph } from '../graph/logical-graph.ts';
import type { TableValueJoiner } from '../graph/nodes/node-functions.ts';
import { KTableImpl } from './ktable-impl.ts';
import { storeSpecFrom } from '../graph/store-specs.ts';
import { TopologyError } from '../errors/topology-error.ts';
import { tableStore } from '../graph/table-store.ts';

export type TableJoinKind = 'inner' | 'left' | 'outer';

/**
 * The stores a table's value getter reads (Kafka Streams' KTableValueGetterSupplier#storeNames): the
 * table's own store if it has one, else (non-materialized filter/mapValues/join) its parents' stores.
 * The runtime counterpart is runtime/src/state/value-getter.ts.
 */
function valueGetterStores(graph: LogicalGraph, node: string): string[] {
  const n = graph.node(node);
  const store = tableStore(n);
  if (store !== undefined) return [store];
  if (n.kind === 'processor') {
    if (n.op === 'tableFilter' || n.op === 'tableMapValues') return valueGetterStores(graph, n.parents[0]!);
    if (n.op === 'tableJoinMerge') return [...new Set([...valueGetterStores(graph, n.left), ...valueGetterStores(graph, n.right)])];
  }
  throw new TopologyError(`Table step '${node}' cannot be looked up by key for a join; materialize it (Materialized.as(...)) first.`, { step: node });
}

/**
 * KTable#join / #leftJoin / #outerJoin (Kafka Streams' KTableImpl#doJoin): KTABLE-JOINTHIS- reads the left
 * table's changes and looks up the right table, KTABLE-JOINOTHER- the reverse, KTABLE-MERGE- merges both
 * (and stores the result when Materialized is given).
 */
export function tableTableJoin<K, V, VO, VR>(
  left: KTableImpl<K, V>,
  kind: TableJoinKind,
  other: KTable<K, VO>,
  joiner: (value: V, otherValue: VO) => VR,
  materialized?: Materialized<K, VR>,
  named?: TableJoined,
): KTable<K, VR> {
  const ctx = left.ctx;
  const step = kind === 'inner' ? 'join' : kind === 'left' ? 'leftJoin' : 'outerJoin';
  ctx.checkOpen(step);
  if (!(other instanceof KTableImpl)) throw new TopologyError(`${step}() needs a KTable created by a StreamsBuilder.`);
  const right = other as KTableImpl<K, VO>;
  if (right.ctx !== ctx) throw new TopologyError(`${step}() of tables from two different StreamsBuilders; build both from one builder.`);
  if (typeof joiner !== 'function') throw new TopologyError(`${step}() needs a joiner function.`);
  const storeName = materialized !== undefined ? ctx.storeNameOr(materialized.storeName, 'KTABLE-MERGE-') : undefined;
  const mergeName = ctx.nameOr(named?.name, 'KTABLE-MERGE-');
  const thisName = ctx.suffixedNameOr(named?.name, '-join-this', 'KTABLE-JOINTHIS-');
  const otherName = ctx.suffixedNameOr(named?.name, '-join-other', 'KTABLE-JOINOTHER-');
  const thisStores = valueGetterStores(ctx.graph, left.node);
  const otherStores = valueGetterStores(ctx.graph, right.node);
  const reverse = (vo: VO, v: V) => joiner(v, vo);
  ctx.graph.add({
    kind: 'processor', name: thisName, parents: [left.node], op: 'tableJoin', stores: otherStores,
    // A left/outer join must see deletes of the left table with their old value (enableSendingOldValues).
    joiner: joiner as TableValueJoiner, joinKind: kind, other: right.node, requiresOldValues: kind !== 'inner',
  });
  ctx.graph.add({
    kind: 'processor', name: otherName, parents: [right.node], op: 'tableJoin', stores: thisStores,
    joiner: reverse as TableValueJoiner, joinKind: kind === 'left' ? 'right' : kind, other: left.node, requiresOldValues: kind === 'outer',
  });
  let keySerde = left.keySerde;
  let valueSerde = undefined as KTableImpl<K, VR>['valueSerde'];
  if (storeName !== undefined) {
    const spec = storeSpecFrom(storeName, 'timestamped-key-value', materialized, left.keySerde, undefined, materialized?.storeName === undefined);
    ctx.graph.addStore(spec);
    keySerde = spec.keySerde;
    valueSerde = spec.valueSerde;
  }
  ctx.graph.add({
    kind: 'processor', name: mergeName, parents: [thisName, otherName], op: 'tableJoinMerge',
    stores: storeName !== undefined ? [storeName] : [],
    joiner: joiner as TableValueJoiner, joinKind: kind, left: left.node, right: right.node, store: storeName,
  });
  ctx.graph.copartition.push({ nodes: [left.node, right.node], step: mergeName });
  return new KTableImpl<K, VR>(ctx, mergeName, keySerde, valueSerde, storeName, storeName);
}
