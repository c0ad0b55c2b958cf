import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, Suppressed, BufferConfig } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
      .count(Materialized.with(Serdes.String(), Serdes.Long()))
      .suppress(Suppressed.untilTimeLimit(2000, BufferConfig.unbounded()))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
