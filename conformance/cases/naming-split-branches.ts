import { StreamsBuilder, Serdes, Consumed, Produced, Named, Branched } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

const OUT = () => Produced.with(Serdes.String(), Serdes.String());

export default {
  build() {
    const b = new StreamsBuilder();
    const s = b.stream('input', Consumed.with(Serdes.String(), Serdes.String()));
    const m = s.split()
      .branch((_k, v) => v.startsWith('1'))
      .branch((_k, v) => v.startsWith('2'), Branched.withFunction((x) => x.mapValues((v) => v + '!')))
      .defaultBranch();
    m.get('KSTREAM-BRANCH-00000000011')!.to('output-1', OUT());
    m.get('KSTREAM-BRANCH-00000000012')!.to('output-2', OUT());
    m.get('KSTREAM-BRANCH-00000000010')!.to('output-3', OUT());
    const m2 = s.split(Named.as('sp-'))
      .branch((k, _v) => k === 'a', Branched.withConsumer((x) => x.to('output-a', OUT()), 'a'))
      .defaultBranch(Branched.as('d'));
    m2.get('sp-d')!.to('output-d', OUT());
    return b.build();
  },
} satisfies ConformanceCase;
