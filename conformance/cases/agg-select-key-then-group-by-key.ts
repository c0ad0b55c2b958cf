import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .selectKey((_k, v) => (v === null ? null : v.substring(0, 1)))
      .groupByKey(Grouped.with(Serdes.String(), Serdes.String(), 'first-letter'))
      .count(Materialized.with(Serdes.String(), Serdes.Long()))
      .toStream()
      .to('output', Produced.with<string | null, number>(Serdes.String(), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
