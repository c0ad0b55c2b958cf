import { StreamsBuilder, Serdes, Consumed, Produced } from '@ts-streams/dsl';
import type { ConformanceCase } from '../ts/conformance-case.ts';

export default {
  build() {
    const b = new StreamsBuilder();
    // Values include Long.MIN_VALUE and Long.MAX_VALUE - 1, which a JS number cannot hold: bigint serde (same bytes as Long).
    b.stream('input', Consumed.with(Serdes.LongBigInt(), Serdes.LongBigInt()))
      .filter((_k, v) => v !== null && v % 2n === 0n)
      .mapValues((v) => -v)
      .to('output', Produced.with(Serdes.LongBigInt(), Serdes.LongBigInt()));
    return b.build();
  },
} satisfies ConformanceCase;
