import { StreamsBuilder, Serdes, Consumed, Produced, JoinWindows } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const OUT = () => Produced.with(Serdes.String(), Serdes.String());
const SJ = { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String() };
const JOINER = (l: string | null, r: string | null) => `${l}+${r}`;

/** The topic's stream, each record first copied to 'trace': the global order then shows after which input each result came. */
function traced(b: StreamsBuilder, topic: string) {
  const s = b.stream(topic, Consumed.with(Serdes.String(), Serdes.String()));
  s.to('trace', OUT());
  return s;
}

export default {
  build() {
    const b = new StreamsBuilder();
    traced(b, 'input-left')
      .outerJoin(traced(b, 'input-right'), JOINER, JoinWindows.ofTimeDifferenceAndGrace(1000, 500), SJ)
      .to('output', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
