import { StreamsBuilder, Serdes, Consumed, Produced, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
const OUT = () => Produced.with(Serdes.String(), Serdes.String());
const JOINER = (l: string | null, r: string | null) => `${l}+${r}`;

export default {
  build() {
    const b = new StreamsBuilder();
    const l = b.table('left', C());
    const r = b.table('right', C());
    l.join(r, JOINER, Materialized.as('tj-store', { keySerde: Serdes.String(), valueSerde: Serdes.String() }), { name: 'tj' }).toStream().to('output-join', OUT());
    l.leftJoin(r, JOINER, Materialized.with(Serdes.String(), Serdes.String())).toStream().to('output-left', OUT());
    l.outerJoin(r, JOINER).toStream().to('output-outer', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
