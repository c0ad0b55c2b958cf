package dev.tsstreams.conformance;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KTable;

import java.util.List;

import static dev.tsstreams.conformance.AggregationCases.SL_OUT;
import static dev.tsstreams.conformance.Codec.LONG;
import static dev.tsstreams.conformance.Codec.STRING;
import static dev.tsstreams.conformance.StatelessCases.SS_IN;
import static dev.tsstreams.conformance.StatelessCases.SS_OUT;

/** KTable sources, filter/mapValues (materialized or not), toStream, KTable groupBy with adder/subtractor. */
final class TableCases {
    private TableCases() {}

    /** Updates, identical re-put, tombstones for existing and unknown keys, null key. */
    static Case tableScript(Case c) {
        return c.pipe("table", "k1", "apple", 1000)
                .pipe("table", "k2", "banana", 1001)
                .pipe("table", "k1", "avocado", 1002)
                .pipe("table", "k1", "avocado", 1003)       // identical value again
                .pipe("table", "k2", "blueberry", 900)      // out-of-order timestamp update
                .pipe("table", "k2", null, 1004)           // delete
                .pipe("table", "k3", null, 1005)           // delete of unknown key
                .pipe("table", null, "nokey", 1006)        // null key: dropped
                .pipe("table", "k1", "b", 1007)            // update that fails the filter
                .pipe("table", "k3", "apricot", 1008);
    }

    static void register(List<Case> all) {
        all.add(tableScript(Case.of("table-source-materialized",
                        "builder.table materialized: every update/tombstone forwarded (incl. delete of unknown key, identical value); null key dropped; store contents")
                .input("table", STRING, STRING).output("output", STRING, STRING)
                .store("table-store", STRING, STRING)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()), M.kv("table-store", Serdes.String(), Serdes.String()))
                        .toStream().to("output", SS_OUT))));

        all.add(tableScript(Case.of("table-source-unmaterialized",
                        "builder.table without Materialized then toStream: forwarding of updates and tombstones when the source is not queryable")
                .input("table", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()))
                        .toStream().to("output", SS_OUT))));

        all.add(tableScript(Case.of("table-filter-materialized",
                        "KTable.filter(value starts with 'a') materialized: update that stops matching emits a tombstone, non-matching first value too")
                .input("table", STRING, STRING).output("output", STRING, STRING)
                .store("filtered-store", STRING, STRING)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()))
                        .filter((k, v) -> v.startsWith("a"), M.kv("filtered-store", Serdes.String(), Serdes.String()))
                        .toStream().to("output", SS_OUT))));

        all.add(tableScript(Case.of("table-filter-unmaterialized",
                        "KTable.filter(value starts with 'a') not materialized over a non-materialized source")
                .input("table", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()))
                        .filter((k, v) -> v.startsWith("a"))
                        .toStream().to("output", SS_OUT))));

        all.add(tableScript(Case.of("table-filter-not-over-materialized-source",
                        "KTable.filterNot(length > 5) not materialized over a materialized source (old values available)")
                .input("table", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()), M.kv("src-store", Serdes.String(), Serdes.String()))
                        .filterNot((k, v) -> v.length() > 5)
                        .toStream().to("output", SS_OUT))));

        all.add(tableScript(Case.of("table-map-values-materialized",
                        "KTable.mapValues(length) materialized with Long serde: tombstones pass as null, store holds mapped values")
                .input("table", STRING, STRING).output("output", STRING, LONG)
                .store("lengths-store", STRING, LONG)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()))
                        .mapValues(v -> (long) v.length(), M.kv("lengths-store", Serdes.String(), Serdes.Long()))
                        .toStream().to("output", SL_OUT))));

        all.add(tableScript(Case.of("table-map-values-unmaterialized",
                        "KTable.mapValues with key (k + ':' + v) not materialized")
                .input("table", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()))
                        .mapValues((k, v) -> k + ":" + v)
                        .toStream().to("output", SS_OUT))));

        all.add(tableScript(Case.of("table-to-stream-map",
                        "KTable.toStream((k,v) -> new key) re-keys the changelog stream; tombstones keep null value")
                .input("table", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()))
                        .toStream((k, v) -> k + "#")
                        .to("output", SS_OUT))));

        all.add(Case.of("table-group-by-count-key-moves",
                        "KTable.groupBy(value).count(): a key moving between groups subtracts from the old group then adds to the new one; deletes subtract")
                .input("table", STRING, STRING).output("output", STRING, LONG)
                .store("group-counts", STRING, LONG)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()))
                        .groupBy((k, v) -> KeyValue.pair(v, k), Grouped.with("by-color", Serdes.String(), Serdes.String()))
                        .count(M.kv("group-counts", Serdes.String(), Serdes.Long()))
                        .toStream().to("output", SL_OUT))
                .pipe("table", "alice", "red", 1000)
                .pipe("table", "bob", "red", 1001)
                .pipe("table", "carol", "blue", 1002)
                .pipe("table", "alice", "blue", 1003)     // moves red -> blue
                .pipe("table", "alice", "blue", 1004)     // same group again
                .pipe("table", "bob", null, 1005)         // delete: red -1 (red becomes 0)
                .pipe("table", "dave", null, 1006)        // delete unknown
                .pipe("table", "carol", "green", 500));   // moves with an older timestamp

        all.add(Case.of("table-group-by-reduce-adder-subtractor",
                        "KTable.groupBy(category, amount).reduce(adder, subtractor) with Long sums; moving key and changing amount in one update")
                .input("table", STRING, STRING).output("output", STRING, LONG)
                .store("sums-store", STRING, LONG)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()))
                        .groupBy((k, v) -> KeyValue.pair(v.split(":")[0], Long.parseLong(v.split(":")[1])),
                                Grouped.with("by-category", Serdes.String(), Serdes.Long()))
                        .reduce(Long::sum, (agg, old) -> agg - old, M.kv("sums-store", Serdes.String(), Serdes.Long()))
                        .toStream().to("output", SL_OUT))
                .pipe("table", "item1", "fruit:10", 100)
                .pipe("table", "item2", "fruit:5", 200)
                .pipe("table", "item3", "veg:7", 300)
                .pipe("table", "item1", "fruit:12", 400)   // same group, new amount
                .pipe("table", "item2", "veg:5", 500)      // moves group
                .pipe("table", "item3", null, 600)
                .pipe("table", "item2", null, 700));       // veg goes back to 0

        all.add(Case.of("table-group-by-aggregate",
                        "KTable.groupBy(first letter).aggregate(initializer, adder, subtractor) building a String; subtractor runs before adder")
                .input("table", STRING, STRING).output("output", STRING, STRING)
                .store("agg-table-store", STRING, STRING)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()))
                        .groupBy((k, v) -> KeyValue.pair(v.substring(0, 1), k), Grouped.with("by-letter", Serdes.String(), Serdes.String()))
                        .aggregate(() -> "",
                                (k, v, agg) -> agg + "+" + v,
                                (k, v, agg) -> agg + "-" + v,
                                M.kv("agg-table-store", Serdes.String(), Serdes.String()))
                        .toStream().to("output", SS_OUT))
                .pipe("table", "k1", "apple", 10)
                .pipe("table", "k2", "avocado", 20)
                .pipe("table", "k1", "banana", 30)
                .pipe("table", "k2", "apricot", 40)
                .pipe("table", "k1", null, 50));

        all.add(Case.of("table-filter-then-group-by",
                        "filter on a table feeding groupBy count: records filtered out act as deletes for the downstream aggregate")
                .input("table", STRING, STRING).output("output", STRING, LONG)
                .topology(b -> {
                    KTable<String, String> t = b.table("table", Consumed.with(Serdes.String(), Serdes.String()));
                    t.filter((k, v) -> !v.equals("hidden"))
                            .groupBy((k, v) -> KeyValue.pair(v, k), Grouped.with("fg", Serdes.String(), Serdes.String()))
                            .count(M.kv(Serdes.String(), Serdes.Long()))
                            .toStream().to("output", SL_OUT);
                })
                .pipe("table", "a", "x", 1)
                .pipe("table", "b", "x", 2)
                .pipe("table", "a", "hidden", 3)
                .pipe("table", "a", "x", 4)
                .pipe("table", "c", "hidden", 5));

        all.add(Case.of("stream-aggregate-then-table-ops",
                        "groupByKey.count KTable then filter (count >= 2) and mapValues: tombstones from filter on an aggregation result")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(AggregationCases.SS_GROUPED)
                        .count(M.kv(Serdes.String(), Serdes.Long()))
                        .filter((k, v) -> v >= 2)
                        .mapValues(v -> "n=" + v)
                        .toStream().to("output", SS_OUT))
                .pipe("input", "a", "1", 1)
                .pipe("input", "a", "2", 2)
                .pipe("input", "b", "3", 3)
                .pipe("input", "a", "4", 4));
    }
}
