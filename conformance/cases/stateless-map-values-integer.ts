import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .mapValues((v) => (v === null ? -1 : v.length))
      .to('output', Produced.with(Serdes.String(), Serdes.Integer()));
    return b.build();
  },
} satisfies ConformanceCase;
