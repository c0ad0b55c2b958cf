import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
/** The value's prefix before ':'; null when it has none. */
const PREFIX_KEY = (_k: string | null, v: string | null) => (v === null || !v.includes(':') ? null : v.split(':')[0]!);

export default {
  build() {
    const b = new StreamsBuilder();
    const g = b.globalTable('global', C());
    const rekeyed = b.stream('input', C()).selectKey(PREFIX_KEY);
    rekeyed
      .repartition({ name: 'rekeyed', keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .mapValues((v) => (v === null ? null : v.toUpperCase()))
      .leftJoin(g, (k: string | null) => k, (v: string | null, gv: string | null, k: string | null) => `${k}|${v}|${gv}`)
      .to('output', Produced.with<string | null, string>(Serdes.String(), Serdes.String()));
    rekeyed
      .groupByKey(Grouped.with(Serdes.String(), Serdes.String(), 'counts'))
      .count(Materialized.with(Serdes.String(), Serdes.Long()))
      .toStream()
      .to('output-counts', Produced.with<string | null, number>(Serdes.String(), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
