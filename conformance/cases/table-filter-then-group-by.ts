import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const t = b.table('table', Consumed.with(Serdes.String(), Serdes.String()));
    t.filter((_k, v) => v !== 'hidden')
      .groupBy((k, v) => ({ key: v, value: k }), Grouped.with(Serdes.String(), Serdes.String(), 'fg'))
      .count(Materialized.with(Serdes.String(), Serdes.Long()))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
