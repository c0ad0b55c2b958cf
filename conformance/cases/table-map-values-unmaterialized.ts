import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.table('table', Consumed.with(Serdes.String(), Serdes.String()))
      .mapValues((v, k) => k + ':' + v)
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
