import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const SS_OUT = Produced.with(Serdes.String(), Serdes.String());
    const l = b.stream('input-left', Consumed.with(Serdes.String(), Serdes.String())).mapValues((v) => 'L:' + v);
    const r = b.stream('input-right', Consumed.with(Serdes.String(), Serdes.String())).mapValues((v) => 'R:' + v);
    l.merge(r).to('output', SS_OUT);
    return b.build();
  },
} satisfies ConformanceCase;
