import { StreamsBuilder, Serdes, Consumed, Produced, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const C = Consumed.with(Serdes.String(), Serdes.String());
    b.table('input-left', C, Materialized.as('left-store', { keySerde: Serdes.String(), valueSerde: Serdes.String() }))
      .join(b.table('input-right', C, Materialized.as('right-store', { keySerde: Serdes.String(), valueSerde: Serdes.String() })), (l, r) => l + '+' + r, Materialized.as('joined-store', { keySerde: Serdes.String(), valueSerde: Serdes.String() }))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
