import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.table('table', Consumed.with(Serdes.String(), Serdes.String()))
      .groupBy((k, v) => ({ key: v, value: k }), Grouped.with(Serdes.String(), Serdes.String(), 'by-color'))
      .count(Materialized.as('group-counts', { keySerde: Serdes.String(), valueSerde: Serdes.Long() }))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
