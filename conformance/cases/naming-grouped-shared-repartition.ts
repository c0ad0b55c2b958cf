import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, Named } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const g = b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .selectKey((_k, v) => v.substring(0, 1))
      .groupByKey(Grouped.with(Serdes.String(), Serdes.String(), 'shared'));
    g.count(Materialized.with(Serdes.String(), Serdes.Long()), Named.as('counted')).toStream().to('output-count', Produced.with(Serdes.String(), Serdes.Long()));
    g.reduce((a, c) => a + c, Materialized.as('reduced-store', { keySerde: Serdes.String(), valueSerde: Serdes.String() }), Named.as('reduced'))
      .toStream(Named.as('reduced-out'))
      .to('output-reduce', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
