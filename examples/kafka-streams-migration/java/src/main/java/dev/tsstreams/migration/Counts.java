package dev.tsstreams.migration;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The benchmark suite's W5 (benchmarks/kafka-streams/…/Workloads.java): records counted per key, each new count
 * written to the output. No names given, so the store and its changelog get Kafka Streams' generated names
 * (KSTREAM-AGGREGATE-STATE-STORE-0000000001): ts-streams numbers the nodes the same way, counts-topology.ts.
 */
final class Counts {
    private Counts() {
    }

    static Topology build(final String input, final String output) {
        final StreamsBuilder b = new StreamsBuilder();
        b.stream(input, Consumed.with(Serdes.String(), Serdes.ByteArray()))
            .groupByKey(Grouped.with(Serdes.String(), Serdes.ByteArray()))
            .count()
            .toStream()
            .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        return b.build();
    }
}
