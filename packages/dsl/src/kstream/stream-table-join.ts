import type { KStream } from './kstream.ts';
import type { KTableImpl } from '../ktable/ktable-impl.ts';
import type { Joined } from '../options/joined.ts';
import { TopologyError } from '../errors/topology-error.ts';
import { KStreamImpl, requireFn } from './kstream-impl.ts';

/**
 * KStream-KTable join (Kafka Streams' KStreamImpl#join(KTable) / doStreamTableJoin): the stream side drives,
 * looking each record up in the table's store; table updates trigger nothing. Node KSTREAM-JOIN- or
 * KSTREAM-LEFTJOIN-, connected to the table's store.
 */
export function streamTableJoin(
  self: KStreamImpl<any, any>,
  kind: 'inner' | 'left',
  table: KTableImpl<any, any>,
  joiner: (v: any, t: any, k: any) => any,
  joined: Joined<any, any, any> = {},
): KStream<any, any> {
  const step = kind === 'inner' ? 'join' : 'leftJoin';
  requireFn(joiner, step, 'joiner');
  const ctx = self.ctx;
  if (table.ctx !== ctx) throw new TopologyError(`${step}() of a stream and a table from two different StreamsBuilders; build both from one builder.`);
  ctx.checkOpen(step);
  const j = joined ?? {};
  if (j.gracePeriodMs !== undefined) {
    throw new TopologyError(`${step}() with a grace period needs a versioned table, which ts-streams does not support yet; remove gracePeriodMs from Joined.`);
  }
  if (table.storeName === undefined) {
    throw new TopologyError(
      `${step}() needs the table's values in a store, and this table is not materialized. Pass Materialized.as('name') to the step that created the table.`,
      { step: table.node },
    );
  }
  const keySerde = j.keySerde ?? self.keySerde;
  let node = self.node;
  if (self.repartitionRequired) {
    node = self.repartitionForJoin(j.name ?? self.node, keySerde, j.valueSerde ?? self.valueSerde);
  }
  const name = ctx.nameOr(j.name, kind === 'left' ? 'KSTREAM-LEFTJOIN-' : 'KSTREAM-JOIN-');
  ctx.graph.add({
    kind: 'processor', name, parents: [node], op: 'streamTableJoin', stores: [table.storeName],
    joiner, store: table.storeName, leftJoin: kind === 'left',
  });
  if (kind === 'left') ctx.graph.nullKeyJoins.add(name);
  ctx.graph.copartition.push({ nodes: [node, table.node], step: name });
  return new KStreamImpl<any, any>(ctx, name, keySerde, undefined, false);
}
