import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
// Keys may be null after PREFIX_KEY: the serdes carry null (no bytes), as in Kafka.
const OUT = () => Produced.with<string | null, string>(Serdes.String(), Serdes.String());
const JOINER = (l: string | null, r: string | null) => `${l}+${r}`;
/** The value's prefix before ':'; null when it has none. */
const PREFIX_KEY = (_k: string | null, v: string | null) => (v === null || !v.includes(':') ? null : v.split(':')[0]!);

export default {
  build() {
    const b = new StreamsBuilder();
    const t = b.table('table', Consumed.with<string | null, string>(Serdes.String(), Serdes.String()));
    b.stream('input', C())
      .selectKey(PREFIX_KEY)
      .join(t, JOINER, { keySerde: Serdes.String(), valueSerde: Serdes.String(), otherValueSerde: Serdes.String(), name: 'enrich' })
      .to('output', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
