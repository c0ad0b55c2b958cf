import { StreamsBuilder, Serdes, Consumed, Produced, Grouped, Materialized } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const SL_OUT = Produced.with(Serdes.String(), Serdes.Long());
    const grouped = b.table('table', Consumed.with(Serdes.String(), Serdes.String()))
      .groupBy((_k, v) => ({ key: v.split(':')[0]!, value: Number(v.split(':')[1]) }), Grouped.with(Serdes.String(), Serdes.Long(), 'regroup'));
    grouped.aggregate(() => 0, (_k, v, agg) => agg + v, (_k, v, agg) => agg - v,
      Materialized.as('regroup-sum', { keySerde: Serdes.String(), valueSerde: Serdes.Long() }))
      .toStream()
      .to('output', SL_OUT);
    grouped.count(Materialized.as('regroup-count', { keySerde: Serdes.String(), valueSerde: Serdes.Long() }))
      .toStream()
      .to('output-count', SL_OUT);
    return b.build();
  },
} satisfies ConformanceCase;
