import { StreamsBuilder, Serdes, Consumed, Produced, Named, kv } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const s = b.stream('input', Consumed.with(Serdes.String(), Serdes.String(), { name: 'src' }))
      .filter((_k, v) => v !== null, Named.as('non-null'))
      .map((k, v) => kv(k + "'", v), Named.as('prime'))
      .mapValues((v) => v + v, Named.as('twice'))
      .flatMapValues((v) => [v, v.toUpperCase()], Named.as('both-cases'))
      .peek(() => {}, Named.as('look'))
      .selectKey((_k, v) => v, Named.as('by-value'));
    s.to('output', Produced.with(Serdes.String(), Serdes.String(), { name: 'out' }));
    s.mapValues((v) => String(v.length)).filter(() => true).to('output-2', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
