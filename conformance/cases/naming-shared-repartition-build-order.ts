import { StreamsBuilder, Serdes, Consumed, Produced, Grouped } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
const OUT = () => Produced.with(Serdes.String(), Serdes.String());

export default {
  build() {
    const b = new StreamsBuilder();
    const g = b.stream('input', C()).selectKey((_k, v) => v).groupByKey(Grouped.with(Serdes.String(), Serdes.String(), 'g'));
    g.count().toStream().to('out-count', Produced.with(Serdes.String(), Serdes.Long()));
    b.stream('other', C()).to('out-other', OUT());
    g.reduce((x, y) => x + y).toStream().to('out-reduce', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
