import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .mapValues((v) => v + '!')
      .repartition({ keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .repartition({ name: 'rp2', keySerde: Serdes.String(), valueSerde: Serdes.String() })
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
