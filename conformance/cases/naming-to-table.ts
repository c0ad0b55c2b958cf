import { StreamsBuilder, Serdes, Consumed, Produced, Materialized, Named } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const OUT = () => Produced.with(Serdes.String(), Serdes.String());

export default {
  build() {
    const b = new StreamsBuilder();
    const s = b.stream('input', Consumed.with(Serdes.String(), Serdes.String()));
    s.toTable().toStream().to('output-1', OUT());
    s.toTable(Materialized.as('tt-store', { keySerde: Serdes.String(), valueSerde: Serdes.String() }), Named.as('tt')).toStream().to('output-2', OUT());
    s.selectKey((_k, v) => v).toTable(Materialized.with(Serdes.String(), Serdes.String())).toStream().to('output-3', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
