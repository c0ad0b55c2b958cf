import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    b.stream('input', Consumed.with(Serdes.String(), Serdes.String()))
      .flatMap((k, v) => {
        const out: { key: string; value: string }[] = [];
        if (v !== null) for (let i = 0; i < Math.min(3, v.length); i++) out.push({ key: v.substring(i, i + 1), value: k });
        return out;
      })
      .to('output', Produced.with(Serdes.String(), Serdes.String()));
    return b.build();
  },
} satisfies ConformanceCase;
