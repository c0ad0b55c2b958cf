import { StreamsBuilder, Serdes, Consumed, Produced, type Topology } from '@ts-streams/dsl';

/**
 * The benchmark suite's W5 (benchmarks/src/kafka-workloads.ts), as java/…/Counts.java builds it on Kafka Streams:
 * records counted per key, each new count written to `output` as an 8-byte long. Nothing is named, so the store is
 * KSTREAM-AGGREGATE-STATE-STORE-0000000001 on both sides (the same node numbering), and so is its changelog.
 */
export function countsTopology(input: string, output: string): Topology {
  const b = new StreamsBuilder();
  b.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray())).groupByKey().count().toStream().to(output, Produced.with(Serdes.String(), Serdes.Long()));
  return b.build();
}
