import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, SlidingWindows } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    // each record is first copied to 'trace', so the global order shows after which input each result came
    const input = b.stream('input', Consumed.with(Serdes.String(), Serdes.String()));
    input.to('trace', Produced.with(Serdes.String(), Serdes.String()));
    input
      .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
      .windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(1000))
      .emitStrategy('on-window-close')
      .count(Materialized.with(Serdes.String(), Serdes.Long(), { retention: 10000 }))
      .toStream()
      .to('output', Produced.with(Serdes.timeWindowed(Serdes.String(), 1000), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
