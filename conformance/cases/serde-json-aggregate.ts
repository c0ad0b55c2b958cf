import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    type Agg = { count: number; last: string | null };
    const json = Serdes.JSON<Agg>();
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
      .aggregate<Agg>(() => ({ count: 0, last: null }), (_k, v, agg) => ({ count: agg.count + 1, last: v }), Materialized.with(Serdes.String(), json))
      .toStream()
      .to('output', Produced.with(Serdes.String(), json));
    return b.build();
  },
} satisfies ConformanceCase;
