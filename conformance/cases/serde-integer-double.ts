import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.Integer(), Serdes.Double()))
      .mapValues((v) => (v === null ? null : v * 2))
      .to('output', Produced.with<number, number | null>(Serdes.Integer(), Serdes.Double()));
    return b.build();
  },
} satisfies ConformanceCase;
