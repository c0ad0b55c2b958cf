package dev.tsstreams.migration;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * examples/kafka-streams-migration/final-counts-topology.ts on Kafka Streams: records counted per key in tumbling
 * windows of 10 s without grace, each window's count emitted once when it closes (EmitStrategy.onWindowClose), written
 * as "key@windowStart=count". The store is named 'counts' on both sides: the name under which Kafka Streams keeps the
 * aggregation's last emit time in the offsets' metadata, and its changelog's.
 */
final class FinalCounts {
    private FinalCounts() {
    }

    static Topology build(final String input, final String output) {
        final StreamsBuilder b = new StreamsBuilder();
        b.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
            .groupByKey()
            .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofSeconds(10)))
            .emitStrategy(EmitStrategy.onWindowClose())
            .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("counts").withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
            .toStream()
            .map((w, n) -> KeyValue.pair(w.key(), w.key() + "@" + w.window().start() + "=" + n))
            .to(output, Produced.with(Serdes.String(), Serdes.String()));
        return b.build();
    }
}
