package dev.tsstreams.conformance;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.tsstreams.conformance.Codec.DOUBLE;
import static dev.tsstreams.conformance.Codec.INTEGER;
import static dev.tsstreams.conformance.Codec.LONG;
import static dev.tsstreams.conformance.Codec.STRING;

/** filter / filterNot / map / mapValues / flatMap / flatMapValues / selectKey / peek / split / merge / toTable. */
final class StatelessCases {
    private StatelessCases() {}

    static final Consumed<String, String> SS_IN = Consumed.with(Serdes.String(), Serdes.String());
    static final Produced<String, String> SS_OUT = Produced.with(Serdes.String(), Serdes.String());

    /** The standard edge-laden input: normal, null key, null value, both null, headers, empty string. */
    static Case edgeInputs(Case c) {
        return c.pipe("input", "k1", "apple", 1000, "h1", "v1")
                .pipe("input", null, "banana", 1001)
                .pipe("input", "k2", null, 1002, "h2", "x")
                .pipe("input", null, null, 1003)
                .pipe("input", "k3", "", 1004)
                .pipe("input", "k1", "avocado", 500, "h1", "a", "h1", "b", "hnull", null)
                .pipe("input", "", "cherry", 2000);
    }

    static void register(List<Case> all) {
        all.add(edgeInputs(Case.of("stateless-filter",
                        "filter keeps records whose value starts with 'a'; predicate sees null keys/values; headers and timestamps propagate")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .filter((k, v) -> v != null && v.startsWith("a"))
                        .to("output", SS_OUT))));

        all.add(edgeInputs(Case.of("stateless-filter-not",
                        "filterNot drops records with a null key; null values pass through unchanged")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .filterNot((k, v) -> k == null)
                        .to("output", SS_OUT))));

        all.add(edgeInputs(Case.of("stateless-map",
                        "map rewrites key and value (null-safe), may produce null key/value; headers kept")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .map((k, v) -> KeyValue.pair(v == null ? null : v.toUpperCase(), k == null ? null : k + "!"))
                        .to("output", SS_OUT))));

        all.add(edgeInputs(Case.of("stateless-map-values-integer",
                        "mapValues to Integer length (null value -> -1), written with the Integer serde")
                .input("input", STRING, STRING).output("output", STRING, INTEGER)
                .topology(b -> b.stream("input", SS_IN)
                        .mapValues(v -> v == null ? -1 : v.length())
                        .to("output", Produced.with(Serdes.String(), Serdes.Integer())))));

        all.add(edgeInputs(Case.of("stateless-map-values-with-key",
                        "mapValues with read-only key: value becomes key + '=' + value (nulls stringified)")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .mapValues((k, v) -> k + "=" + v)
                        .to("output", SS_OUT))));

        all.add(edgeInputs(Case.of("stateless-flat-map",
                        "flatMap emits one record per character of the value (first 3 only), key=char, value=original key; empty/null value -> no output")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .flatMap((k, v) -> {
                            List<KeyValue<String, String>> out = new ArrayList<>();
                            if (v != null) for (int i = 0; i < Math.min(3, v.length()); i++) out.add(KeyValue.pair(v.substring(i, i + 1), k));
                            return out;
                        })
                        .to("output", SS_OUT))));

        all.add(Case.of("stateless-flat-map-values",
                        "flatMapValues splits on ',' keeping key, timestamp and headers for every piece; empty list drops the record")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .flatMapValues(v -> v == null ? List.<String>of() : Arrays.asList(v.split(",", -1)))
                        .to("output", SS_OUT))
                .pipe("input", "k1", "a,b,c", 1000, "h", "1")
                .pipe("input", "k2", "", 1100)
                .pipe("input", null, "x,,y", 1200)
                .pipe("input", "k3", null, 1300)
                .pipe("input", "k4", "single", 900));

        all.add(edgeInputs(Case.of("stateless-select-key",
                        "selectKey to the first character of the value (null value -> null key); no repartition since nothing downstream groups")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .selectKey((k, v) -> v == null || v.isEmpty() ? null : v.substring(0, 1))
                        .to("output", SS_OUT))));

        all.add(edgeInputs(Case.of("stateless-peek-headers",
                        "peek is transparent; duplicate header keys, null header values and header order survive peek+mapValues")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .peek((k, v) -> { })
                        .mapValues(v -> v)
                        .to("output", SS_OUT))));

        all.add(Case.of("stateless-split-branch-default",
                        "split: first matching branch wins, defaultBranch gets the rest; three output topics in one global order")
                .input("input", STRING, STRING)
                .output("output-a", STRING, STRING).output("output-b", STRING, STRING).output("output-default", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .split(Named.as("split-"))
                        .branch((k, v) -> v != null && v.startsWith("a"), Branched.withConsumer(s -> s.to("output-a", SS_OUT)))
                        .branch((k, v) -> v != null && v.length() > 3, Branched.withConsumer(s -> s.to("output-b", SS_OUT)))
                        .defaultBranch(Branched.withConsumer(s -> s.to("output-default", SS_OUT))))
                .pipe("input", "k1", "apple", 1000)
                .pipe("input", "k2", "banana", 1001)
                .pipe("input", "k3", "ax", 1002)
                .pipe("input", "k4", "kiw", 1003)
                .pipe("input", null, null, 1004)
                .pipe("input", "k5", "avocado", 1005, "h", "v"));

        all.add(Case.of("stateless-split-no-default",
                        "split without defaultBranch drops non-matching records; Branched.withFunction transforms a branch")
                .input("input", STRING, STRING)
                .output("output-a", STRING, STRING).output("output-b", STRING, STRING)
                .topology(b -> {
                    var branches = b.stream("input", SS_IN)
                            .split(Named.as("s-"))
                            .branch((k, v) -> "a".equals(k), Branched.withFunction(s -> s.mapValues(v -> v + "-a"), "a"))
                            .branch((k, v) -> "b".equals(k), Branched.as("b"))
                            .noDefaultBranch();
                    branches.get("s-a").to("output-a", SS_OUT);
                    branches.get("s-b").to("output-b", SS_OUT);
                })
                .pipe("input", "a", "1", 10)
                .pipe("input", "b", "2", 20)
                .pipe("input", "c", "3", 30)
                .pipe("input", "a", null, 40)
                .pipe("input", null, "5", 50));

        all.add(Case.of("stateless-merge",
                        "merge of two input topics: records come out in processing (pipe) order with their own timestamps")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING)
                .output("output", STRING, STRING)
                .topology(b -> {
                    KStream<String, String> l = b.stream("input-left", SS_IN).mapValues(v -> "L:" + v);
                    KStream<String, String> r = b.stream("input-right", SS_IN).mapValues(v -> "R:" + v);
                    l.merge(r).to("output", SS_OUT);
                })
                .pipe("input-left", "k1", "a", 1000)
                .pipe("input-right", "k1", "b", 500)
                .pipe("input-right", "k2", "c", 2000)
                .pipe("input-left", null, "d", 100)
                .pipe("input-left", "k3", null, 3000));

        all.add(Case.of("stateless-fan-out-order",
                        "one stream written to two topics (to output-a, then mapValues to output-b): per-record fan-out order in the global order")
                .input("input", STRING, STRING)
                .output("output-a", STRING, STRING).output("output-b", STRING, STRING)
                .topology(b -> {
                    KStream<String, String> s = b.stream("input", SS_IN);
                    s.to("output-a", SS_OUT);
                    s.mapValues(v -> v + v).to("output-b", SS_OUT);
                })
                .pipe("input", "k1", "x", 1)
                .pipe("input", "k2", "y", 2)
                .pipe("input", "k3", "z", 3));

        all.add(Case.of("stateless-through-user-topic",
                        "to(\"output-mid\") and stream(\"output-mid\") in the same topology: TTD re-enqueues the written record and processes it in the same pipe call")
                .input("input", STRING, STRING)
                .output("output-mid", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> {
                    b.stream("input", SS_IN).mapValues(v -> v + "-1").to("output-mid", SS_OUT);
                    b.stream("output-mid", SS_IN).mapValues(v -> v + "-2").to("output", SS_OUT);
                })
                .pipe("input", "k1", "a", 10, "h", "x")
                .pipe("input", null, null, 5)
                .pipe("input", "k2", "b", 20));

        all.add(Case.of("serde-integer-double",
                        "Integer keys and Double values (incl. -0.0, NaN, +/-Infinity, MIN/MAX) doubled by mapValues; exact IEEE-754 bytes")
                .input("input", INTEGER, DOUBLE).output("output", INTEGER, DOUBLE)
                .topology(b -> b.stream("input", Consumed.with(Serdes.Integer(), Serdes.Double()))
                        .mapValues(v -> v == null ? null : v * 2)
                        .to("output", Produced.with(Serdes.Integer(), Serdes.Double())))
                .pipe("input", 1, 1.5, 1)
                .pipe("input", -1, -0.0, 2)
                .pipe("input", Integer.MAX_VALUE, Double.NaN, 3)
                .pipe("input", Integer.MIN_VALUE, Double.POSITIVE_INFINITY, 4)
                .pipe("input", 0, Double.MAX_VALUE, 5)
                .pipe("input", 7, Double.MIN_VALUE, 6)
                .pipe("input", 8, 0.1, 7)
                .pipe("input", null, null, 8));

        all.add(Case.of("serde-long",
                        "Long keys/values: filter even values and negate them; big-endian 8-byte encoding incl. negatives and extremes")
                .input("input", LONG, LONG).output("output", LONG, LONG)
                .topology(b -> b.stream("input", Consumed.with(Serdes.Long(), Serdes.Long()))
                        .filter((k, v) -> v != null && v % 2 == 0)
                        .mapValues(v -> -v)
                        .to("output", Produced.with(Serdes.Long(), Serdes.Long())))
                .pipe("input", 1L, 2L, 1)
                .pipe("input", 2L, 3L, 2)
                .pipe("input", -5L, Long.MAX_VALUE - 1, 3)
                .pipe("input", Long.MIN_VALUE, 0L, 4)
                .pipe("input", 0L, -4L, 5)
                .pipe("input", 9L, null, 6));

        all.add(Case.of("stream-to-table-to-stream",
                        "KStream.toTable (materialized) then toStream: upserts, tombstones, null-key records dropped; store contents")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .store("to-table-store", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .toTable(Materialized.<String, String, org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as("to-table-store")
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                        .toStream()
                        .to("output", SS_OUT))
                .pipe("input", "k1", "v1", 1000)
                .pipe("input", "k2", "v2", 1001)
                .pipe("input", "k1", "v1b", 999)
                .pipe("input", null, "nokey", 1002)
                .pipe("input", "k2", null, 1003)
                .pipe("input", "k3", null, 1004)
                .pipe("input", "k1", "v1b", 1005));

        all.add(Case.of("stream-to-table-unmaterialized",
                        "KStream.toTable without Materialized then toStream: tombstone for an unknown key, repeated identical value")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .toTable()
                        .toStream()
                        .to("output", SS_OUT))
                .pipe("input", "k1", "v1", 1000)
                .pipe("input", "k9", null, 1001)
                .pipe("input", "k1", "v1", 1002)
                .pipe("input", "k1", null, 1003)
                .pipe("input", null, "x", 1004));
    }
}
