import { StreamsBuilder, Serdes, Consumed, Produced, JoinWindows } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
const OUT = () => Produced.with(Serdes.String(), Serdes.String());
const SJ = { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String() };
const JOINER = (l: string | null, r: string | null) => `${l}+${r}`;

export default {
  build() {
    const b = new StreamsBuilder();
    const l = b.stream('left', C());
    const r = b.stream('right', C());
    const w = JoinWindows.ofTimeDifferenceWithNoGrace(1000);
    l.join(r, JOINER, w, { ...SJ, name: 'ssj', storeName: 'ssj-base' }).to('output-join', OUT());
    l.leftJoin(r, JOINER, w, { ...SJ, name: 'lsj' }).to('output-left', OUT());
    l.outerJoin(r, JOINER, w, SJ).to('output-outer', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
