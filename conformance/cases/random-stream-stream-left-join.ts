import { StreamsBuilder, Serdes, Consumed, Produced, JoinWindows } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const C = Consumed.with(Serdes.String(), Serdes.String());
    b.stream('input-left', C)
      .leftJoin(
        b.stream('input-right', C),
        (l, r) => l + '+' + r,
        JoinWindows.ofTimeDifferenceAndGrace(300, 200),
        { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String() },
      )
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
