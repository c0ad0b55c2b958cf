package dev.tsstreams.migration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * examples/page-views/topology.ts on Kafka Streams: clicks keyed by user, re-keyed by page through the repartition
 * topic named 'clicks-by-page', counted per 5-minute tumbling window (30 s grace) in the store 'page-view-counts',
 * written as {"pageUrl","views","windowStart","windowEnd"} keyed by page. The names are what makes the internal topics
 * the same as ts-streams' (<application.id>-clicks-by-page-repartition, <application.id>-page-view-counts-changelog);
 * the JSON serde writes what ts-streams' Serdes.JSON writes (JSON.stringify: compact, the fields in their order).
 */
final class PageViews {
    private PageViews() {
    }

    static Topology build(final String clicks, final String stats) {
        final Serde<JsonNode> json = new JsonSerde();
        final StreamsBuilder b = new StreamsBuilder();
        b.stream(clicks, Consumed.with(Serdes.String(), json))
            .groupBy((user, click) -> click.get("pageUrl").asText(), Grouped.with("clicks-by-page", Serdes.String(), json))
            .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(5), Duration.ofSeconds(30)))
            .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("page-view-counts"))
            .toStream()
            .map((w, views) -> {
                final ObjectNode s = JsonSerde.MAPPER.createObjectNode();
                s.put("pageUrl", w.key());
                s.put("views", views);
                s.put("windowStart", w.window().start());
                s.put("windowEnd", w.window().end());
                return KeyValue.pair(w.key(), (JsonNode) s);
            })
            .to(stats, Produced.with(Serdes.String(), json));
        return b.build();
    }
}
