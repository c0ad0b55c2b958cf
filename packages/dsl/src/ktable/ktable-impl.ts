import type { KTable } from './ktable.ts';
import type { KStream } from '../kstream/kstream.ts';
import type { BuilderContext } from '../graph/builder-context.ts';
import type { Serde } from '../serde/serde.ts';
import type { KeyValue } from '../key-value.ts';
import type { Named } from '../options/named.ts';
import type { Grouped } from '../options/grouped.ts';
import type { Materialized } from '../options/materialized.ts';
import type { TableJoined } from '../options/joined.ts';
import type { Suppressed } from '../window/suppressed.ts';
import type { KGroupedTable } from '../grouped/kgrouped-table.ts';
import { KStreamImpl, requireFn } from '../kstream/kstream-impl.ts';
import { tableFilter, tableMapValues } from './table-stateless.ts';
import { tableGroupBy } from '../grouped/table-group-by.ts';
import { tableTableJoin } from './table-table-join.ts';
import { tableSuppress } from './table-suppress.ts';

/**
 * The recording implementation of KTable. Table processors forward changes ({ newValue, oldValue })
 * rather than plain values; toStream() turns them back into records.
 */
export class KTableImpl<K, V> implements KTable<K, V> {
  constructor(
    readonly ctx: BuilderContext,
    readonly node: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    /** The user-given store name, if the user materialized this table. */
    readonly queryableStoreName: string | undefined,
    /** The store holding this table's current values, if any (user-named or generated). */
    readonly storeName: string | undefined,
  ) {}

  filter(predicate: (key: K, value: V) => boolean, named?: Named, materialized?: Materialized<K, V>): KTable<K, V> {
    requireFn(predicate, 'filter', 'predicate');
    return tableFilter(this, predicate, false, named, materialized);
  }
  filterNot(predicate: (key: K, value: V) => boolean, named?: Named, materialized?: Materialized<K, V>): KTable<K, V> {
    requireFn(predicate, 'filterNot', 'predicate');
    return tableFilter(this, predicate, true, named, materialized);
  }
  mapValues<VR>(mapper: (value: V, key: K) => VR, named?: Named, materialized?: Materialized<K, VR>): KTable<K, VR> {
    requireFn(mapper, 'mapValues', 'mapper');
    return tableMapValues(this, mapper, named, materialized);
  }
  toStream(named?: Named): KStream<K, V> {
    this.ctx.checkOpen('toStream');
    const name = this.ctx.nameOr(named?.name, 'KTABLE-TOSTREAM-');
    this.ctx.graph.add({ kind: 'processor', name, parents: [this.node], op: 'tableToStream', stores: [] });
    return new KStreamImpl<K, V>(this.ctx, name, this.keySerde, this.valueSerde, false);
  }
  toStreamWithKey<KR>(mapper: (key: K, value: V) => KR, named?: Named): KStream<KR, V> {
    requireFn(mapper, 'toStream', 'mapper');
    return this.toStream(named).selectKey(mapper);
  }
  groupBy<KR, VR>(selector: (key: K, value: V) => KeyValue<KR, VR>, grouped: Grouped<KR, VR> = {}): KGroupedTable<KR, VR> {
    requireFn(selector, 'groupBy', 'selector');
    return tableGroupBy(this, selector, grouped);
  }
  join<VO, VR>(other: KTable<K, VO>, joiner: (value: V, otherValue: VO) => VR, materialized?: Materialized<K, VR>, named?: TableJoined): KTable<K, VR> {
    return tableTableJoin(this, 'inner', other, joiner, materialized, named);
  }
  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: (value: V, otherValue: VO | null) => VR, materialized?: Materialized<K, VR>, named?: TableJoined): KTable<K, VR> {
    return tableTableJoin(this, 'left', other, joiner as (v: V, o: VO) => VR, materialized, named);
  }
  outerJoin<VO, VR>(other: KTable<K, VO>, joiner: (value: V | null, otherValue: VO | null) => VR, materialized?: Materialized<K, VR>, named?: TableJoined): KTable<K, VR> {
    return tableTableJoin(this, 'outer', other, joiner as (v: V, o: VO) => VR, materialized, named);
  }
  suppress(suppressed: Suppressed): KTable<K, V> {
    return tableSuppress(this, suppressed);
  }
}
