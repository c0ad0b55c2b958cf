import { StreamsBuilder, Serdes, Consumed, Produced, Named, Branched } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    const SS_OUT = Produced.with(Serdes.String(), Serdes.String());
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .split(Named.as('split-'))
      .branch((_k, v) => v !== null && v.startsWith('a'), Branched.withConsumer((s) => s.to('output-a', SS_OUT)))
      .branch((_k, v) => v !== null && v.length > 3, Branched.withConsumer((s) => s.to('output-b', SS_OUT)))
      .defaultBranch(Branched.withConsumer((s) => s.to('output-default', SS_OUT)));
    return b.build();
  },
} satisfies ConformanceCase;
