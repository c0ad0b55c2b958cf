import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, TimeWindows } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.Long(), Serdes.String()))
      .groupByKey(Grouped.with(Serdes.Long(), Serdes.String()))
      .windowedBy(TimeWindows.ofSizeWithNoGrace(1000))
      .count(Materialized.with(Serdes.Long(), Serdes.Long()))
      .toStream()
      .to('output', Produced.with(Serdes.timeWindowed(Serdes.Long(), 1000), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
