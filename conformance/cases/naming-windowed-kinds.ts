import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized, Named, SlidingWindows, SessionWindows, TimeWindows } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const g = b.stream('input', Consumed.with(Serdes.String(), Serdes.String())).groupByKey(Grouped.with(Serdes.String(), Serdes.String()));
    g.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(1000, 0))
      .count(Materialized.with(Serdes.String(), Serdes.Long()))
      .toStream().to('output-sliding', Produced.with(Serdes.timeWindowed(Serdes.String(), 1000), Serdes.Long()));
    g.windowedBy(SessionWindows.ofInactivityGapAndGrace(500, 0))
      .count(Materialized.with(Serdes.String(), Serdes.Long()))
      .toStream().to('output-session', Produced.with(Serdes.sessionWindowed(Serdes.String()), Serdes.Long()));
    g.windowedBy(SessionWindows.ofInactivityGapAndGrace(500, 0))
      .reduce((x, y) => x + y, undefined, Named.as('session-concat'))
      .toStream().to('output-session-reduce', Produced.with(Serdes.sessionWindowed(Serdes.String()), Serdes.String()));
    g.windowedBy(TimeWindows.ofSizeAndGrace(2000, 0).advanceBy(1000))
      .aggregate(() => 0, (_k, _v, a) => a + 1, Materialized.as('hop-store', { keySerde: Serdes.String(), valueSerde: Serdes.Long() }))
      .toStream().to('output-hopping', Produced.with(Serdes.timeWindowed(Serdes.String(), 2000), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
