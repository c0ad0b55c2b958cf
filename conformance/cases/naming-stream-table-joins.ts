import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
const OUT = () => Produced.with(Serdes.String(), Serdes.String());
const J = { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String() };
const JOINER = (l: string | null, r: string | null) => `${l}+${r}`;

export default {
  build() {
    const b = new StreamsBuilder();
    const t = b.table('table', C());
    const s = b.stream('input', C()).selectKey((_k, v) => v.substring(0, 1));
    s.join(t, JOINER, { ...J, name: 'stj' }).to('output-join', OUT());
    s.leftJoin(t, JOINER, J).to('output-left', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
