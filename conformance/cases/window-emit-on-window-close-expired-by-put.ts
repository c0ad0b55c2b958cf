import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, TimeWindows } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
      .windowedBy(TimeWindows.ofSizeAndGrace(5000, 1000))
      .emitStrategy('on-window-close')
      .count(Materialized.with(Serdes.String(), Serdes.Long()))
      .toStream()
      .to('output', Produced.with(Serdes.timeWindowed(Serdes.String(), 5000), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
