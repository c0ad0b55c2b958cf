import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, Named } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const g = b.stream('input', Consumed.with(Serdes.String(), Serdes.String())).groupByKey(Grouped.with(Serdes.String(), Serdes.String()));
    g.aggregate(() => 0, (_k, v, a) => a + v.length, Materialized.as('sum-store', { keySerde: Serdes.String(), valueSerde: Serdes.Long() }), Named.as('summed'))
      .toStream().to('output-agg', Produced.with(Serdes.String(), Serdes.Long()));
    g.reduce((a, c) => a + '|' + c).toStream().to('output-reduce', Produced.with(Serdes.String(), Serdes.String()));
    g.count(undefined, Named.as('counted')).toStream().to('output-count', Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
