import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, Named, kv } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const g = b.table('table', Consumed.with(Serdes.String(), Serdes.String()))
      .groupBy((k, v) => kv(v, k), Grouped.with(Serdes.String(), Serdes.String()));
    g.count().toStream().to('output-count', Produced.with(Serdes.String(), Serdes.Long()));
    g.reduce((a, c) => a + c, (a, c) => a.replaceAll(c, ''), Materialized.with(Serdes.String(), Serdes.String()), Named.as('concat'))
      .toStream().to('output-reduce', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
