import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Named, TimeWindows, Suppressed, BufferConfig } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const s = b.stream('input', Consumed.with(Serdes.String(), Serdes.String()));
    s.groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
      .windowedBy(TimeWindows.ofSizeAndGrace(1000, 0))
      .count()
      .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded(), 'final'))
      .toStream()
      .to('output', Produced.with(Serdes.timeWindowed(Serdes.String(), 1000), Serdes.Long()));
    s.groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
      .count(undefined, Named.as('limited-count'))
      .suppress(Suppressed.untilTimeLimit(500, BufferConfig.unbounded()))
      .toStream()
      .to('output-limit', Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
