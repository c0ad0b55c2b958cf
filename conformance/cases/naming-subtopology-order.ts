import { StreamsBuilder, Serdes, Consumed, Produced, Grouped } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input-z', Consumed.with(Serdes.String(), Serdes.String(), { name: 'z-src' }))
      .groupBy((_k, v) => v, Grouped.with(Serdes.String(), Serdes.String()))
      .count()
      .toStream()
      .to('output-count', Produced.with(Serdes.String(), Serdes.Long()));
    const a = b.stream('input-a', Consumed.with(Serdes.String(), Serdes.String(), { name: 'a-src' }));
    a.to('output-a', Produced.with(Serdes.String(), Serdes.String(), { name: 'a-sink' }));
    a.repartition({ keySerde: Serdes.String(), valueSerde: Serdes.String() }).to('output-rekeyed', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
