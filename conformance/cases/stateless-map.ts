import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .map((k, v) => ({ key: v === null ? null : v.toUpperCase(), value: k === null ? null : k + '!' }))
      .to('output', Produced.with<string | null, string | null>(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
