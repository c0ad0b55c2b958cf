import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const SS_OUT = Produced.with(Serdes.String(), Serdes.String());
    const s = b.stream('input', Consumed.with(Serdes.String(), Serdes.String()));
    s.to('output-a', SS_OUT);
    s.mapValues((v) => v + v).to('output-b', SS_OUT);
    return b.build();
  },
} satisfies ConformanceCase;
