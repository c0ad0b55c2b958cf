import { StreamsBuilder, Serdes, Consumed, Produced, JoinWindows } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
// Keys may be null after PREFIX_KEY: the serdes carry null (no bytes), as in Kafka.
const OUT = () => Produced.with<string | null, string>(Serdes.String(), Serdes.String());
const SJ = { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String(), name: 'nk' };
const JOINER = (l: string | null, r: string | null) => `${l}+${r}`;
/** The value's prefix before ':'; null when it has none. */
const PREFIX_KEY = (_k: string | null, v: string | null) => (v === null || !v.includes(':') ? null : v.split(':')[0]!);

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input-left', C()).selectKey(PREFIX_KEY)
      .outerJoin(b.stream('input-right', C()).selectKey(PREFIX_KEY), JOINER, JoinWindows.ofTimeDifferenceWithNoGrace(1000), SJ)
      .to('output', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
