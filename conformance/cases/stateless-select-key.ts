import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .selectKey((_k, v) => (v === null || v.length === 0 ? null : v.substring(0, 1)))
      .to('output', Produced.with<string | null, string>(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
