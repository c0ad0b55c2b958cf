import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.table('table', Consumed.with(Serdes.String(), Serdes.String()))
      .groupBy((_k, v) => ({ key: v.split(':')[0]!, value: Number(v.split(':')[1]) }), Grouped.with(Serdes.String(), Serdes.Long(), 'by-category'))
      .reduce((a, c) => a + c, (agg, old) => agg - old, Materialized.as('sums-store', { keySerde: Serdes.String(), valueSerde: Serdes.Long() }))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
