import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, Named } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.table('table', Consumed.with(Serdes.String(), Serdes.String()))
      .filter((_k, v) => v.length > 1, Named.as('long-only'), Materialized.as('filtered-store', { keySerde: Serdes.String(), valueSerde: Serdes.String() }))
      .mapValues((v) => v.toUpperCase(), Named.as('upper'), Materialized.with(Serdes.String(), Serdes.String()))
      .filterNot((_k, v) => v.startsWith('Z'))
      .toStream(Named.as('changes'))
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
