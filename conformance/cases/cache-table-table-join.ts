import { StreamsBuilder, Serdes, Consumed, Produced, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const C = Consumed.with(Serdes.String(), Serdes.String());
    b.table('input-left', C, Materialized.as('cl', { keySerde: Serdes.String(), valueSerde: Serdes.String() }))
      .leftJoin(b.table('input-right', C, Materialized.as('cr', { keySerde: Serdes.String(), valueSerde: Serdes.String() })), (l, r) => l + '+' + r)
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
