import { StreamsBuilder, Serdes, Consumed, Produced, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const t = b.table('table', Consumed.with(Serdes.String(), Serdes.String(), { name: 'tbl' }));
    const o = b.table('other', Consumed.with(Serdes.String(), Serdes.String()), Materialized.as('other-store', { keySerde: Serdes.String(), valueSerde: Serdes.String() }));
    t.filter((_k, v) => !v.startsWith('x'))
      .join(o, (l, r) => `${l}+${r}`)
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
