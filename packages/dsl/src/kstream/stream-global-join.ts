import type { KStream } from './kstream.ts';
import type { GlobalKTableImpl } from '../ktable/global-ktable-impl.ts';
import type { Named } from '../options/named.ts';
import { KStreamImpl, requireFn } from './kstream-impl.ts';

/**
 * KStream-GlobalKTable join (Kafka Streams' KStreamImpl#globalTableJoin): each stream record's key selector
 * picks the global table key to look up. No repartitioning and no co-partitioning. Like Kafka Streams, the
 * generated name is KSTREAM-LEFTJOIN- for inner joins too, and describe() lists no store for the node
 * (global stores are readable from every processor).
 */
export function streamGlobalTableJoin(
  self: KStreamImpl<any, any>,
  kind: 'inner' | 'left',
  table: GlobalKTableImpl<any, any>,
  keySelector: (k: any, v: any) => any,
  joiner: (v: any, g: any, k: any) => any,
  named?: Named,
): KStream<any, any> {
  const step = kind === 'inner' ? 'join' : 'leftJoin';
  requireFn(keySelector, step, 'keySelector');
  requireFn(joiner, step, 'joiner');
  const ctx = self.ctx;
  ctx.checkOpen(step);
  const name = ctx.nameOr(named?.name, 'KSTREAM-LEFTJOIN-');
  ctx.graph.add({
    kind: 'processor', name, parents: [self.node], op: 'streamGlobalJoin', stores: [],
    joiner, keySelector, store: table.queryableStoreName, leftJoin: kind === 'left',
  });
  if (kind === 'left') ctx.graph.nullKeyJoins.add(name);
  return new KStreamImpl<any, any>(ctx, name, self.keySerde, undefined, self.repartitionRequired);
}
