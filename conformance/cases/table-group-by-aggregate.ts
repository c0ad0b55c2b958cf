import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.table('table', Consumed.with(Serdes.String(), Serdes.String()))
      .groupBy((k, v) => ({ key: v.substring(0, 1), value: k }), Grouped.with(Serdes.String(), Serdes.String(), 'by-letter'))
      .aggregate(
        () => '',
        (_k, v, agg) => agg + '+' + v,
        (_k, v, agg) => agg + '-' + v,
        Materialized.as('agg-table-store', { keySerde: Serdes.String(), valueSerde: Serdes.String() }),
      )
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
