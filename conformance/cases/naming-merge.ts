import { StreamsBuilder, Serdes, Consumed, Produced, Named } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const C = () => Consumed.with(Serdes.String(), Serdes.String());
const OUT = () => Produced.with(Serdes.String(), Serdes.String());

export default {
  build() {
    const b = new StreamsBuilder();
    const a = b.stream('input-a', C());
    const bb = b.stream('input-b', C());
    const c = b.stream('input-c', C());
    a.merge(bb, Named.as('ab')).merge(c).mapValues((v) => v + '!').to('output', OUT());
    a.peek(() => {}).filter(() => true).to('output-peek', OUT());
    a.filterNot(() => true).to('output-peek', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
