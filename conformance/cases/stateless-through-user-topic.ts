import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String())).mapValues((v) => v + '-1').to('output-mid', Produced.with(Serdes.String(), Serdes.String()));
    b.stream('output-mid', Consumed.with(Serdes.String(), Serdes.String())).mapValues((v) => v + '-2').to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
