package dev.tsstreams.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

import java.util.List;

import static dev.tsstreams.conformance.Codec.JSON;
import static dev.tsstreams.conformance.Codec.LONG;
import static dev.tsstreams.conformance.Codec.STRING;
import static dev.tsstreams.conformance.StatelessCases.SS_IN;
import static dev.tsstreams.conformance.StatelessCases.SS_OUT;

/** groupByKey / groupBy / repartition with count, reduce, aggregate on KStreams. */
final class AggregationCases {
    private AggregationCases() {}

    static final Grouped<String, String> SS_GROUPED = Grouped.with(Serdes.String(), Serdes.String());
    static final Produced<String, Long> SL_OUT = Produced.with(Serdes.String(), Serdes.Long());

    static void register(List<Case> all) {
        all.add(Case.of("agg-count-group-by-key",
                        "groupByKey.count: null-key and null-value records dropped; out-of-order timestamps -> output timestamp rule; store contents")
                .input("input", STRING, STRING).output("output", STRING, LONG)
                .store("counts-store", STRING, LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .count(M.kv("counts-store", Serdes.String(), Serdes.Long()))
                        .toStream().to("output", SL_OUT))
                .pipe("input", "k1", "a", 1000)
                .pipe("input", "k2", "b", 2000)
                .pipe("input", "k1", "c", 500)
                .pipe("input", null, "d", 3000)
                .pipe("input", "k2", null, 3001)
                .pipe("input", "k1", "e", 1500)
                .pipe("input", "k3", "f", 0)
                .pipe("input", "k1", "g", 5000));

        all.add(Case.of("agg-count-group-by-repartition",
                        "groupBy(value) repartitions through an internal topic; null new key and null value dropped; count per value")
                .input("input", STRING, STRING).output("output", STRING, LONG)
                .store("by-value-store", STRING, LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupBy((k, v) -> v == null || v.equals("skip") ? null : v, Grouped.with("by-value", Serdes.String(), Serdes.String()))
                        .count(M.kv("by-value-store", Serdes.String(), Serdes.Long()))
                        .toStream().to("output", SL_OUT))
                .pipe("input", "k1", "red", 1000, "h", "1")
                .pipe("input", "k2", "blue", 1001)
                .pipe("input", "k3", "red", 900)
                .pipe("input", "k4", "skip", 1002)
                .pipe("input", "k5", null, 1003)
                .pipe("input", null, "blue", 1004)
                .pipe("input", "k1", "red", 1005));

        all.add(Case.of("agg-reduce",
                        "groupByKey.reduce concatenates values; first value per key passes unchanged; null values dropped")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .store("reduce-store", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .reduce((a, v) -> a + "|" + v, M.kv("reduce-store", Serdes.String(), Serdes.String()))
                        .toStream().to("output", SS_OUT))
                .pipe("input", "k1", "a", 1000)
                .pipe("input", "k1", "b", 900)
                .pipe("input", "k2", "x", 1100)
                .pipe("input", "k1", null, 1200)
                .pipe("input", "k2", "y", 1300)
                .pipe("input", null, "z", 1400)
                .pipe("input", "k1", "c", 1500));

        all.add(Case.of("agg-aggregate-sum-lengths",
                        "groupByKey.aggregate sums value lengths into a Long starting from 0")
                .input("input", STRING, STRING).output("output", STRING, LONG)
                .store("agg-store", STRING, LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .aggregate(() -> 0L, (k, v, agg) -> agg + v.length(), M.kv("agg-store", Serdes.String(), Serdes.Long()))
                        .toStream().to("output", SL_OUT))
                .pipe("input", "k1", "abc", 10)
                .pipe("input", "k2", "", 20)
                .pipe("input", "k1", "de", 5)
                .pipe("input", "k2", null, 30)
                .pipe("input", "k2", "fghij", 40));

        all.add(Case.of("agg-aggregate-unmaterialized",
                        "groupByKey.aggregate with Materialized.with (internal store name) emitting a String aggregate")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .aggregate(() -> "init", (k, v, agg) -> agg + "+" + v, M.kv(Serdes.String(), Serdes.String()))
                        .toStream().to("output", SS_OUT))
                .pipe("input", "a", "1", 100)
                .pipe("input", "b", "2", 50)
                .pipe("input", "a", "3", 75));

        all.add(Case.of("agg-select-key-then-group-by-key",
                        "selectKey followed by groupByKey forces an automatic repartition topic before count")
                .input("input", STRING, STRING).output("output", STRING, LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .selectKey((k, v) -> v == null ? null : v.substring(0, 1))
                        .groupByKey(Grouped.with("first-letter", Serdes.String(), Serdes.String()))
                        .count(M.kv(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", SL_OUT))
                .pipe("input", "k1", "apple", 1000)
                .pipe("input", "k2", "avocado", 1001)
                .pipe("input", "k3", "banana", 999)
                .pipe("input", "k4", null, 1002)
                .pipe("input", "k5", "blueberry", 1003));

        all.add(Case.of("agg-explicit-repartition",
                        "explicit repartition() (named, explicit serdes) then mapValues; the repartition topic is internal and re-enqueued by TTD")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .repartition(Repartitioned.<String, String>as("rp").withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                        .mapValues(v -> v == null ? "null" : v.toUpperCase())
                        .to("output", SS_OUT))
                .pipe("input", "k1", "a", 10, "h", "1")
                .pipe("input", null, "b", 5)
                .pipe("input", "k2", null, 20));

        all.add(Case.of("agg-repartition-internal-topic-declared",
                        "groupBy through repartition topic 'conformance-agg-repartition-internal-topic-declared-regroup-repartition' declared as an output to pin its bytes")
                .input("input", STRING, STRING)
                .output("conformance-agg-repartition-internal-topic-declared-regroup-repartition", STRING, STRING)
                .output("output", STRING, LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupBy((k, v) -> v, Grouped.with("regroup", Serdes.String(), Serdes.String()))
                        .count(M.kv(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", SL_OUT))
                .pipe("input", "k1", "x", 100, "h", "1")
                .pipe("input", "k2", "y", 200)
                .pipe("input", "k3", "x", 150));

        all.add(Case.of("serde-json-aggregate",
                        "aggregate into a JSON object {count,last} with a compact-JSON serde (Jackson bytes == JSON.stringify bytes)")
                .input("input", STRING, STRING).output("output", STRING, JSON)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .<JsonNode>aggregate(() -> Codec.MAPPER.createObjectNode().put("count", 0).putNull("last"),
                                (k, v, agg) -> {
                                    ObjectNode n = Codec.MAPPER.createObjectNode();
                                    n.put("count", agg.get("count").asLong() + 1);
                                    n.put("last", v);
                                    return n;
                                },
                                M.kv(Serdes.String(), Codec.JsonSerde.INSTANCE))
                        .toStream().to("output", Produced.with(Serdes.String(), Codec.JsonSerde.INSTANCE)))
                .pipe("input", "k1", "a\"quote", 1)
                .pipe("input", "k1", "ünï", 2)
                .pipe("input", "k2", "b", 3));
    }
}
