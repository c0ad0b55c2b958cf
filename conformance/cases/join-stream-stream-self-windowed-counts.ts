import { StreamsBuilder, Serdes, Consumed, Produced, JoinWindows, Materialized, Grouped } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
const SJ = { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String() };
const JOINER = (l: string | null, r: string | null) => `${l}+${r}`;

export default {
  build() {
    const b = new StreamsBuilder();
    const s = b.stream('input', C());
    const rekeyed = s.selectKey((_k, v) => v);
    rekeyed.join(rekeyed.mapValues((v) => v + "'"), JOINER, JoinWindows.ofTimeDifferenceWithNoGrace(1000), { ...SJ, name: 'selfjoin' })
      .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
      .count(Materialized.with(Serdes.String(), Serdes.Long()))
      .toStream()
      .to('output', Produced.with(Serdes.String(), Serdes.Long()));
    return b.build();
  },
} satisfies ConformanceCase;
