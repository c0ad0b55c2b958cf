import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const C = Consumed.with(Serdes.String(), Serdes.String());
    b.table('input-left', C)
      .leftJoin(b.table('input-right', C), (l, r) => l + '+' + r)
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
