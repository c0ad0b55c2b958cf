package dev.tsstreams.conformance;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.TimeWindows;

import java.util.List;

import static dev.tsstreams.conformance.AggregationCases.SL_OUT;
import static dev.tsstreams.conformance.AggregationCases.SS_GROUPED;
import static dev.tsstreams.conformance.Codec.LONG;
import static dev.tsstreams.conformance.Codec.STRING;
import static dev.tsstreams.conformance.StatelessCases.SS_IN;
import static dev.tsstreams.conformance.StatelessCases.SS_OUT;
import static dev.tsstreams.conformance.WindowCases.ms;

/**
 * Caching ON (statestore.cache.max.bytes=10485760). TopologyTestDriver commits (and so flushes every cache)
 * after every processed record, so these pin what caching still changes under TTD.
 */
final class CachingCases {
    private CachingCases() {}

    static void register(List<Case> all) {
        all.add(Case.of("cache-count",
                        "caching ON groupByKey.count: TTD flushes the cache after each record, so every update is still emitted")
                .caching()
                .input("input", STRING, STRING).output("output", STRING, LONG)
                .store("cached-counts", STRING, LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .count(M.kv("cached-counts", Serdes.String(), Serdes.Long()))
                        .toStream().to("output", SL_OUT))
                .pipe("input", "a", "1", 1)
                .pipe("input", "a", "2", 2)
                .pipe("input", "b", "3", 3)
                .pipe("input", "a", "4", 1));

        all.add(TableCases.tableScript(Case.of("cache-table-source",
                        "caching ON materialized table source: identical re-puts and deletes of unknown keys under caching + per-record flush")
                .caching()
                .input("table", STRING, STRING).output("output", STRING, STRING)
                .store("cached-table", STRING, STRING)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()), M.kv("cached-table", Serdes.String(), Serdes.String()))
                        .toStream().to("output", SS_OUT))));

        all.add(Case.of("cache-table-group-by-key-moves",
                        "caching ON KTable.groupBy count: within one processed record the subtract and add for the same group are collapsed by the cache")
                .caching()
                .input("table", STRING, STRING).output("output", STRING, LONG)
                .topology(b -> b.table("table", Consumed.with(Serdes.String(), Serdes.String()), M.kv("cached-src", Serdes.String(), Serdes.String()))
                        .groupBy((k, v) -> KeyValue.pair(v, k), Grouped.with("cg", Serdes.String(), Serdes.String()))
                        .count(M.kv("cached-group-counts", Serdes.String(), Serdes.Long()))
                        .toStream().to("output", SL_OUT))
                .pipe("table", "alice", "red", 1000)
                .pipe("table", "bob", "red", 1001)
                .pipe("table", "alice", "blue", 1002)
                .pipe("table", "alice", "blue", 1003)
                .pipe("table", "bob", null, 1004));

        all.add(Case.of("cache-windowed-count",
                        "caching ON tumbling window count: per-record flush order of windowed results")
                .caching()
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(1000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(TimeWindows.ofSizeAndGrace(ms(1000), ms(500)))
                        .count(M.win("cached-window-counts", Serdes.String(), Serdes.Long()))
                        .toStream().to("output", WindowCases.timeWindowedLong(1000)))
                .pipe("input", "a", "1", 100)
                .pipe("input", "a", "2", 900)
                .pipe("input", "a", "3", 1100)
                .pipe("input", "a", "4", 800)
                .pipe("input", "a", "5", 2000));

        all.add(Case.of("cache-table-table-join",
                        "caching ON table-table left join over materialized sources")
                .caching()
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.table("input-left", Consumed.with(Serdes.String(), Serdes.String()), M.kv("cl", Serdes.String(), Serdes.String()))
                        .leftJoin(b.table("input-right", Consumed.with(Serdes.String(), Serdes.String()), M.kv("cr", Serdes.String(), Serdes.String())),
                                JoinCases.JOINER)
                        .toStream().to("output", SS_OUT))
                .pipe("input-left", "a", "L1", 1)
                .pipe("input-right", "a", "R1", 2)
                .pipe("input-left", "a", "L1", 3)
                .pipe("input-right", "a", null, 4)
                .pipe("input-left", "a", null, 5));
    }
}
