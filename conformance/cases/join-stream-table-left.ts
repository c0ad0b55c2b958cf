import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
const OUT = () => Produced.with(Serdes.String(), Serdes.String());
const JOINER = (l: string | null, r: string | null) => `${l}+${r}`;

export default {
  build() {
    const b = new StreamsBuilder();
    const t = b.table('table', C());
    b.stream('input', C())
      .leftJoin(t, JOINER, { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String() })
      .to('output', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
