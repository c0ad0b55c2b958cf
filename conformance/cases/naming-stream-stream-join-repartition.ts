import { StreamsBuilder, Serdes, Consumed, Produced, JoinWindows, kv } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
const OUT = () => Produced.with(Serdes.String(), Serdes.String());
const SJ = { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String() };
const JOINER = (l: string | null, r: string | null) => `${l}+${r}`;

export default {
  build() {
    const b = new StreamsBuilder();
    const l = b.stream('left', C()).selectKey((_k, v) => v.substring(0, 1));
    const r = b.stream('right', C()).map((_k, v) => kv(v.substring(0, 1), v));
    const w = JoinWindows.ofTimeDifferenceWithNoGrace(1000);
    l.join(r, JOINER, w, { ...SJ, name: 'rj' }).to('output-named', OUT());
    l.join(r, JOINER, w, SJ).to('output-unnamed', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
