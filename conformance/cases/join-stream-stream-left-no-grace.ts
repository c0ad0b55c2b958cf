import { StreamsBuilder, Serdes, Consumed, Produced, JoinWindows } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
const OUT = () => Produced.with(Serdes.String(), Serdes.String());
const SJ = { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String() };
const JOINER = (l: string | null, r: string | null) => `${l}+${r}`;

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input-left', C())
      .leftJoin(b.stream('input-right', C()), JOINER, JoinWindows.ofTimeDifferenceWithNoGrace(5000), SJ)
      .to('output', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
