import { StreamsBuilder, Serdes, Consumed, Produced, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
const OUT = () => Produced.with(Serdes.String(), Serdes.String());

export default {
  build() {
    const b = new StreamsBuilder();
    const g = b.globalTable('global', C(), Materialized.as('global-store', { keySerde: Serdes.String(), valueSerde: Serdes.String() }));
    b.stream('input', C())
      .join(g, (_k: string, v: string | null) => (v === null || !v.includes(':') ? null : v.split(':')[0]!), (v: string, gv: string | null, k: string) => `${k}|${v}|${gv}`)
      .to('output', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
