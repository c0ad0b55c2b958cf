import type { KTable } from './ktable.ts';
import type { KStream } from '../kstream/kstream.ts';
import type { Named } from '../options/named.ts';
import type { Materialized } from '../options/materialized.ts';
import type { KStreamImpl } from '../kstream/kstream-impl.ts';
import { KTableImpl } from './ktable-impl.ts';
import { storeSpecFrom } from '../graph/store-specs.ts';
import { createRepartition } from '../kstream/repartition.ts';

/**
 * KStream#toTable (Kafka Streams' KStreamImpl#toTable): a KTableSource-like step (KSTREAM-TOTABLE-) that
 * upserts each record into a store (null value = delete). Repartitions first after a key change
 * (topic `<name>-repartition`). As a table source, it keeps its store only when materialized (decided at build()).
 */
export function streamToTable<K, V>(stream: KStream<K, V>, materialized?: Materialized<K, V>, named?: Named): KTable<K, V> {
  const s = stream as KStreamImpl<K, V>;
  const ctx = s.ctx;
  ctx.checkOpen('toTable');
  const name = ctx.nameOr(named?.name, 'KSTREAM-TOTABLE-');
  const storeName = ctx.storeNameOr(materialized?.storeName, 'KSTREAM-TOTABLE-');
  const keySerde = materialized?.keySerde ?? s.keySerde;
  const valueSerde = materialized?.valueSerde ?? s.valueSerde;
  const parent = s.repartitionRequired ? createRepartition(ctx, s.node, name, keySerde, valueSerde).source : s.node;
  const spec = storeSpecFrom(storeName, 'timestamped-key-value', materialized, keySerde, valueSerde, materialized?.storeName === undefined);
  ctx.graph.addStore(spec);
  ctx.graph.add({
    kind: 'processor', name, parents: [parent], op: 'streamToTable', stores: [storeName],
    store: storeName, queryable: materialized?.storeName !== undefined,
  });
  return new KTableImpl<K, V>(ctx, name, spec.keySerde, spec.valueSerde, materialized?.storeName, storeName);
}
