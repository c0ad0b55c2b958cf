import { StreamsBuilder, Serdes, Consumed, Produced, Grouped } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .groupBy((_k, v) => v, Grouped.with(Serdes.String(), Serdes.String(), 'by-val'))
      .count()
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
