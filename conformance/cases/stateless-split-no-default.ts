import { StreamsBuilder, Serdes, Consumed, Produced, Named, Branched } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const SS_OUT = Produced.with(Serdes.String(), Serdes.String());
    const branches = b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .split(Named.as('s-'))
      .branch((k, _v) => k === 'a', Branched.withFunction((s) => s.mapValues((v) => v + '-a'), 'a'))
      .branch((k, _v) => k === 'b', Branched.as('b'))
      .noDefaultBranch();
    branches.get('s-a')!.to('output-a', SS_OUT);
    branches.get('s-b')!.to('output-b', SS_OUT);
    return b.build();
  },
} satisfies ConformanceCase;
