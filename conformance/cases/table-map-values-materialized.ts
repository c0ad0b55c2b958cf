import { StreamsBuilder, Serdes, Consumed, Produced, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.table('table', Consumed.with(Serdes.String(), Serdes.String()))
      .mapValues((v) => v.length, undefined, Materialized.as('lengths-store', { keySerde: Serdes.String(), valueSerde: Serdes.Long() }))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
