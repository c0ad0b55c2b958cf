import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, Named } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
const JOINER = (l: string | null, r: string | null) => `${l}+${r}`;

export default {
  build() {
    const b = new StreamsBuilder();
    const s = b.stream('input', C());
    const ga = b.globalTable('global-a', Consumed.with(Serdes.String(), Serdes.String(), { name: 'ga' }), Materialized.as('ga-store', { keySerde: Serdes.String(), valueSerde: Serdes.String() }));
    const gb = b.globalTable('global-b', C());
    s.join(ga, (_k: string, v: string) => v, JOINER, Named.as('gj'))
      .leftJoin(gb, (k: string, _v: string) => k, JOINER)
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
