import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, TimeWindows } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
      .windowedBy(TimeWindows.ofSizeAndGrace(3000, 5000).advanceBy(1000))
      .aggregate(() => '', (_k, v, agg) => agg + v, Materialized.with(Serdes.String(), Serdes.String()))
      .toStream()
      .to('output', Produced.with(Serdes.timeWindowed(Serdes.String(), 3000), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
