import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
/** The value's prefix before ':'; null when it has none. */
const PREFIX_KEY = (_k: string | null, v: string | null) => (v === null || !v.includes(':') ? null : v.split(':')[0]!);

export default {
  build() {
    const b = new StreamsBuilder();
    const t = b.table('table', C());
    b.stream('input', C())
      .groupBy(PREFIX_KEY, Grouped.with(Serdes.String(), Serdes.String(), 'regroup'))
      .count(Materialized.with(Serdes.String(), Serdes.Long()))
      .toStream()
      .leftJoin(t, (n: number, tv: string | null) => `${n}/${tv}`, { keySerde: Serdes.String(), valueSerde: Serdes.Long(), otherValueSerde: Serdes.String() })
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
