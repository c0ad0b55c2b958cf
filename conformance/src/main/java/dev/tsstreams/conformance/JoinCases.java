package dev.tsstreams.conformance;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.KeyValueMapper;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.ValueJoiner;

import java.util.List;

import static dev.tsstreams.conformance.Codec.STRING;
import static dev.tsstreams.conformance.StatelessCases.SS_IN;
import static dev.tsstreams.conformance.StatelessCases.SS_OUT;
import static dev.tsstreams.conformance.WindowCases.ms;

/** Stream-stream, stream-table, table-table and GlobalKTable joins. */
final class JoinCases {
    private JoinCases() {}

    static final ValueJoiner<String, String, String> JOINER = (l, r) -> l + "+" + r;
    static final StreamJoined<String, String, String> SJ = StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String());
    static final Consumed<String, String> C = Consumed.with(Serdes.String(), Serdes.String());

    /** Window 5000 before/after, grace 1000. */
    static Case streamStreamScript(Case c) {
        return c.pipe("input-left", "a", "L1", 1000)
                .pipe("input-right", "a", "R1", 2000)        // match L1
                .pipe("input-left", "b", "L2", 3000)         // no partner yet
                .pipe("input-right", "a", "R2", 6000)        // matches L1 (|6000-1000| = 5000: inclusive bound)
                .pipe("input-left", "a", "L3", 12000)        // too far from R1/R2; advances stream time
                .pipe("input-right", "b", "R3", 7500)        // |7500-3000| = 4500 match L2 (within grace: 12000 - 7500 < ...)
                .pipe("input-right", "c", "R4", 12500)       // no partner
                .pipe("input-left", null, "L4", 12600)       // null key: dropped (outer/left may pass it on)
                .pipe("input-left", "a", null, 12700)        // null value on the left
                .pipe("input-right", "d", "R5", 1000)        // late: out of grace
                .pipe("input-left", "e", "L5", 20000)        // advance stream time past all windows + grace
                .pipe("input-right", "e", "R6", 20000)       // same timestamp match
                .pipe("input-left", "z", "L6", 40000);       // flush pending non-joined records
    }

    static Case tableTableScript(Case c) {
        return c.pipe("input-left", "a", "L1", 1000)
                .pipe("input-right", "a", "R1", 2000)
                .pipe("input-right", "b", "R2", 1500)
                .pipe("input-left", "b", "L2", 500)
                .pipe("input-left", "a", "L1b", 3000)       // update left
                .pipe("input-right", "a", null, 2500)       // delete right
                .pipe("input-left", "c", "L3", 4000)
                .pipe("input-left", "c", null, 4100)        // delete left before right exists
                .pipe("input-right", "c", "R3", 4200)
                .pipe("input-left", "b", null, 4300)        // delete left with right present
                .pipe("input-right", "b", null, 4400)       // now both gone
                .pipe("input-right", "x", null, 4500)       // delete of unknown key
                .pipe("input-left", "a", "L1c", 100);       // update with old timestamp
    }

    static Case streamTableScript(Case c) {
        return c.pipe("input", "a", "s1", 1000)             // table empty: no match
                .pipe("table", "a", "t1", 2000)
                .pipe("input", "a", "s2", 1500)             // stream-table joins are not time-synchronized in TTD order
                .pipe("table", "a", "t2", 3000)
                .pipe("input", "a", "s3", 3500)
                .pipe("input", "b", "s4", 3600)
                .pipe("table", "a", null, 4000)             // delete
                .pipe("input", "a", "s5", 4500)
                .pipe("input", null, "s6", 4600)            // null key
                .pipe("input", "a", null, 4700)             // null value
                .pipe("table", "b", "t3", 4800)
                .pipe("input", "b", "s7", 4900);
    }

    static void register(List<Case> all) {
        all.add(streamStreamScript(Case.of("join-stream-stream-inner",
                        "KStream.join window 5000 grace 1000: inclusive window bounds, out-of-order matches, late right record dropped, join result timestamp = max of both")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input-left", C)
                        .join(b.stream("input-right", C), JOINER, JoinWindows.ofTimeDifferenceAndGrace(ms(5000), ms(1000)), SJ)
                        .to("output", SS_OUT))));

        all.add(streamStreamScript(Case.of("join-stream-stream-left",
                        "KStream.leftJoin window 5000 grace 1000: non-matches (L+null) are emitted only once stream time passes ts+after+grace")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input-left", C)
                        .leftJoin(b.stream("input-right", C), JOINER, JoinWindows.ofTimeDifferenceAndGrace(ms(5000), ms(1000)), SJ)
                        .to("output", SS_OUT))));

        all.add(streamStreamScript(Case.of("join-stream-stream-outer",
                        "KStream.outerJoin window 5000 grace 1000: non-matches from both sides emitted after window close, in time order of the shared outer store")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input-left", C)
                        .outerJoin(b.stream("input-right", C), JOINER, JoinWindows.ofTimeDifferenceAndGrace(ms(5000), ms(1000)), SJ)
                        .to("output", SS_OUT))));

        all.add(streamStreamScript(Case.of("join-stream-stream-left-no-grace",
                        "KStream.leftJoin with ofTimeDifferenceWithNoGrace(5000): non-matches emitted as soon as stream time passes ts+5000")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input-left", C)
                        .leftJoin(b.stream("input-right", C), JOINER, JoinWindows.ofTimeDifferenceWithNoGrace(ms(5000)), SJ)
                        .to("output", SS_OUT))));

        all.add(streamStreamScript(Case.of("join-stream-stream-asymmetric-window",
                        "KStream.outerJoin with JoinWindows.ofTimeDifferenceAndGrace(0,1000).before(1000).after(4000): asymmetric bounds")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input-left", C)
                        .outerJoin(b.stream("input-right", C), JOINER,
                                JoinWindows.ofTimeDifferenceAndGrace(ms(0), ms(1000)).before(ms(1000)).after(ms(4000)), SJ)
                        .to("output", SS_OUT))));

        all.add(Case.of("join-stream-stream-left-many",
                        "leftJoin with several records per key on both sides: cross-product order, and a left record matched late still never emits L+null")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input-left", C)
                        .leftJoin(b.stream("input-right", C), JOINER, JoinWindows.ofTimeDifferenceAndGrace(ms(100), ms(50)), SJ)
                        .to("output", SS_OUT))
                .pipe("input-left", "k", "L1", 1000)
                .pipe("input-left", "k", "L2", 1010)
                .pipe("input-right", "k", "R1", 1050)
                .pipe("input-right", "k", "R2", 1060)
                .pipe("input-left", "k", "L3", 1100)
                .pipe("input-left", "k", "L4", 1200)       // only matches nothing (R2 at 1060 is 140 away)
                .pipe("input-right", "k", "R3", 1250)      // matches L4 (inclusive 50 < 100)
                .pipe("input-left", "k", "L5", 1500)       // stream time 1500: L5 pending
                .pipe("input-right", "q", "R9", 2000));    // flushes L5 as non-match

        all.add(Case.of("join-stream-stream-outer-null-values",
                        "outerJoin window 1000 no grace with null values on either side: null-value records are dropped by stream-stream joins")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.stream("input-left", C)
                        .outerJoin(b.stream("input-right", C), JOINER, JoinWindows.ofTimeDifferenceWithNoGrace(ms(1000)), SJ)
                        .to("output", SS_OUT))
                .pipe("input-left", "a", null, 100)
                .pipe("input-right", "a", "R1", 200)
                .pipe("input-left", "a", "L1", 300)
                .pipe("input-right", "a", null, 400)
                .pipe("input-right", "b", null, 500)
                .pipe("input-left", "z", "L9", 5000));

        all.add(streamTableScript(Case.of("join-stream-table-inner",
                        "KStream.join(KTable): only stream records trigger, table updates/deletes change later results, null key/value stream records dropped")
                .input("input", STRING, STRING).input("table", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> {
                    KTable<String, String> t = b.table("table", C, M.kv("join-table-store", Serdes.String(), Serdes.String()));
                    b.stream("input", SS_IN).join(t, JOINER, Joined.with(Serdes.String(), Serdes.String(), Serdes.String()))
                            .to("output", SS_OUT);
                })));

        all.add(streamTableScript(Case.of("join-stream-table-left",
                        "KStream.leftJoin(KTable): stream records without table match emit s+null; null-key stream records are passed through (KIP-962)")
                .input("input", STRING, STRING).input("table", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> {
                    KTable<String, String> t = b.table("table", C);
                    b.stream("input", SS_IN).leftJoin(t, JOINER, Joined.with(Serdes.String(), Serdes.String(), Serdes.String()))
                            .to("output", SS_OUT);
                })));

        all.add(tableTableScript(Case.of("join-table-table-inner",
                        "KTable.join(KTable): updates on either side, deletes emit tombstones only when a result existed, timestamps = max of both sides")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.table("input-left", C).join(b.table("input-right", C), JOINER).toStream().to("output", SS_OUT))));

        all.add(tableTableScript(Case.of("join-table-table-left",
                        "KTable.leftJoin(KTable): left-only results (L+null), right deletes revert to L+null, left deletes tombstone")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.table("input-left", C).leftJoin(b.table("input-right", C), JOINER).toStream().to("output", SS_OUT))));

        all.add(tableTableScript(Case.of("join-table-table-outer",
                        "KTable.outerJoin(KTable): null+R and L+null results, tombstone only when both sides are gone")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.table("input-left", C).outerJoin(b.table("input-right", C), JOINER).toStream().to("output", SS_OUT))));

        all.add(tableTableScript(Case.of("join-table-table-inner-materialized",
                        "KTable.join(KTable, Materialized): materialized join result store contents and forwarding with old values")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                .store("joined-store", STRING, STRING)
                .topology(b -> b.table("input-left", C, M.kv("left-store", Serdes.String(), Serdes.String()))
                        .join(b.table("input-right", C, M.kv("right-store", Serdes.String(), Serdes.String())), JOINER,
                                M.kv("joined-store", Serdes.String(), Serdes.String()))
                        .toStream().to("output", SS_OUT))));

        all.add(Case.of("join-global-table-inner",
                        "KStream.join(GlobalKTable, keyMapper = value prefix before ':'): global updates visible immediately, no match / null mapped key drop the record")
                .input("input", STRING, STRING).input("global", STRING, STRING).output("output", STRING, STRING)
                .store("global-store", STRING, STRING)
                .topology(b -> {
                    GlobalKTable<String, String> g = b.globalTable("global", C, M.kv("global-store", Serdes.String(), Serdes.String()));
                    b.stream("input", SS_IN)
                            .join(g, (k, v) -> v == null || !v.contains(":") ? null : v.split(":")[0], (k, v, gv) -> k + "|" + v + "|" + gv)
                            .to("output", SS_OUT);
                })
                .pipe("global", "p1", "Product One", 100)
                .pipe("input", "o1", "p1:2", 1000)
                .pipe("input", "o2", "p2:1", 1001)
                .pipe("global", "p2", "Product Two", 5000)
                .pipe("input", "o3", "p2:3", 1002)
                .pipe("input", "o4", "nocolon", 1003)
                .pipe("input", null, "p1:9", 1004)
                .pipe("global", "p1", null, 1005)
                .pipe("input", "o5", "p1:1", 1006));

        all.add(Case.of("join-global-table-left",
                        "KStream.leftJoin(GlobalKTable): missing global match and null mapped key emit with null global value; null stream value")
                .input("input", STRING, STRING).input("global", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> {
                    GlobalKTable<String, String> g = b.globalTable("global", C);
                    b.stream("input", SS_IN)
                            .leftJoin(g, (k, v) -> v == null || !v.contains(":") ? null : v.split(":")[0], (k, v, gv) -> k + "|" + v + "|" + gv)
                            .to("output", SS_OUT);
                })
                .pipe("global", "p1", "One", 100)
                .pipe("input", "o1", "p1:2", 1000)
                .pipe("input", "o2", "p2:1", 1001)
                .pipe("input", "o4", "nocolon", 1003)
                .pipe("input", "o5", null, 1004)
                .pipe("input", null, "p1:3", 1005)
                .pipe("global", "p1", "Uno", 1006)
                .pipe("input", "o6", "p1:1", 1007));

        all.add(Case.of("join-stream-stream-self-windowed-counts",
                        "left stream joined with a re-keyed copy of itself (repartitioned) then counted: interplay of joins, repartition topics and aggregation")
                .input("input", STRING, STRING).output("output", STRING, Codec.LONG)
                .topology(b -> {
                    KStream<String, String> s = b.stream("input", SS_IN);
                    KStream<String, String> rekeyed = s.selectKey((k, v) -> v);
                    rekeyed.join(rekeyed.mapValues(v -> v + "'"), JOINER, JoinWindows.ofTimeDifferenceWithNoGrace(ms(1000)),
                                    StreamJoined.<String, String, String>with(Serdes.String(), Serdes.String(), Serdes.String()).withName("selfjoin"))
                            .groupByKey(AggregationCases.SS_GROUPED)
                            .count(M.kv(Serdes.String(), Serdes.Long()))
                            .toStream().to("output", AggregationCases.SL_OUT);
                })
                .pipe("input", "k1", "x", 100)
                .pipe("input", "k2", "x", 200)
                .pipe("input", "k3", "y", 300)
                .pipe("input", "k4", "x", 2000));

        registerNullKeysThroughRepartition(all);
        registerEmitIntervals(all);
    }

    /** New key = the value's prefix before ':'; null when the value has no ':' (or is null). */
    static final KeyValueMapper<String, String, String> PREFIX_KEY = (k, v) -> v == null || !v.contains(":") ? null : v.split(":")[0];

    /** Stream records re-keyed by PREFIX_KEY, some to a null key, against a table keyed by prefix. */
    static Case rekeyedStreamTableScript(Case c) {
        return c.pipe("table", "a", "t1", 100)
                .pipe("input", "k1", "a:s1", 1000)          // joins t1
                .pipe("input", "k2", "s2", 1001)            // new key null
                .pipe("input", "k3", "b:s3", 1002)          // no table match
                .pipe("input", "k4", null, 1003)            // null key and null value
                .pipe("input", null, "a:s5", 1004)          // null input key, non-null new key
                .pipe("input", "k6", ":s6", 1005)           // empty (not null) new key
                .pipe("table", "b", "t2", 1006)
                .pipe("input", "k7", "b:s7", 1007);
    }

    /** Both sides re-keyed by PREFIX_KEY; window 1000, no grace. */
    static Case rekeyedStreamStreamScript(Case c) {
        return c.pipe("input-left", "k1", "a:L1", 1000)
                .pipe("input-right", "k2", "a:R1", 1100)    // matches L1
                .pipe("input-left", "k3", "L2", 1200)       // new key null on the left
                .pipe("input-right", "k4", "R2", 1300)      // new key null on the right
                .pipe("input-left", "k5", "b:L3", 1400)     // no partner yet
                .pipe("input-right", "k6", null, 1500)      // null key and null value on the right
                .pipe("input-left", "k7", null, 1600)       // null key and null value on the left
                .pipe("input-right", "k8", "c:R3", 1700)    // no partner
                .pipe("input-left", "k9", "d:L4", 5000);    // closes the windows of L3 and R3
    }

    /**
     * KIP-962 (Kafka 3.7+): a repartition topic's filter drops null keys unless a join that accepts them (left
     * stream-table, left stream-globalTable, left/outer stream-stream) lies anywhere downstream of it
     * (InternalStreamsBuilder#rewriteRepartitionNodes). The repartition topics are declared as outputs to show
     * what passes the filter.
     */
    private static void registerNullKeysThroughRepartition(List<Case> all) {
        all.add(rekeyedStreamTableScript(Case.of("join-stream-table-left-null-key-repartition",
                        "selectKey to a null key then leftJoin(KTable): the repartition topic keeps null-key records (a left join lies downstream) and the join emits them with a null table value")
                .input("input", STRING, STRING).input("table", STRING, STRING)
                .output("conformance-join-stream-table-left-null-key-repartition-KSTREAM-KEY-SELECT-0000000004-repartition", STRING, STRING)
                .output("output", STRING, STRING)
                .topology(b -> {
                    KTable<String, String> t = b.table("table", C);
                    b.stream("input", SS_IN).selectKey(PREFIX_KEY)
                            .leftJoin(t, JOINER, Joined.with(Serdes.String(), Serdes.String(), Serdes.String()))
                            .to("output", SS_OUT);
                })));

        all.add(rekeyedStreamTableScript(Case.of("join-stream-table-inner-null-key-repartition",
                        "selectKey to a null key then join(KTable) named 'enrich': the repartition filter drops null-key records (no null-key join downstream)")
                .input("input", STRING, STRING).input("table", STRING, STRING)
                .output("conformance-join-stream-table-inner-null-key-repartition-enrich-repartition", STRING, STRING)
                .output("output", STRING, STRING)
                .topology(b -> {
                    KTable<String, String> t = b.table("table", C);
                    b.stream("input", SS_IN).selectKey(PREFIX_KEY)
                            .join(t, JOINER, Joined.<String, String, String>with(Serdes.String(), Serdes.String(), Serdes.String()).withName("enrich"))
                            .to("output", SS_OUT);
                })));

        all.add(rekeyedStreamStreamScript(Case.of("join-stream-stream-left-null-key-repartition",
                        "both sides re-keyed (some to null) then leftJoin named 'nk': both repartition topics keep null keys; a null-key left record emits L+null at once, a null-key right record is dropped by the join")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING)
                .output("conformance-join-stream-stream-left-null-key-repartition-nk-left-repartition", STRING, STRING)
                .output("conformance-join-stream-stream-left-null-key-repartition-nk-right-repartition", STRING, STRING)
                .output("output", STRING, STRING)
                .topology(b -> b.stream("input-left", C).selectKey(PREFIX_KEY)
                        .leftJoin(b.stream("input-right", C).selectKey(PREFIX_KEY), JOINER,
                                JoinWindows.ofTimeDifferenceWithNoGrace(ms(1000)), SJ.withName("nk"))
                        .to("output", SS_OUT))));

        all.add(rekeyedStreamStreamScript(Case.of("join-stream-stream-outer-null-key-repartition",
                        "both sides re-keyed (some to null) then outerJoin named 'nk': null-key records of either side pass the repartition topics and are emitted at once with a null partner")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING)
                .output("conformance-join-stream-stream-outer-null-key-repartition-nk-left-repartition", STRING, STRING)
                .output("conformance-join-stream-stream-outer-null-key-repartition-nk-right-repartition", STRING, STRING)
                .output("output", STRING, STRING)
                .topology(b -> b.stream("input-left", C).selectKey(PREFIX_KEY)
                        .outerJoin(b.stream("input-right", C).selectKey(PREFIX_KEY), JOINER,
                                JoinWindows.ofTimeDifferenceWithNoGrace(ms(1000)), SJ.withName("nk"))
                        .to("output", SS_OUT))));

        all.add(Case.of("join-global-table-left-null-key-repartition",
                        "selectKey then repartition('rekeyed') then mapValues then leftJoin(GlobalKTable) by key: null keys pass that repartition (a left join lies downstream, past mapValues); the same re-keyed stream's groupByKey('counts') repartition drops them")
                .input("input", STRING, STRING).input("global", STRING, STRING)
                .output("conformance-join-global-table-left-null-key-repartition-rekeyed-repartition", STRING, STRING)
                .output("conformance-join-global-table-left-null-key-repartition-counts-repartition", STRING, STRING)
                .output("output", STRING, STRING)
                .output("output-counts", STRING, Codec.LONG)
                .topology(b -> {
                    GlobalKTable<String, String> g = b.globalTable("global", C);
                    KStream<String, String> rekeyed = b.stream("input", SS_IN).selectKey(PREFIX_KEY);
                    rekeyed.repartition(Repartitioned.<String, String>as("rekeyed").withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                            .mapValues(v -> v == null ? null : v.toUpperCase())
                            .leftJoin(g, (k, v) -> k, (k, v, gv) -> k + "|" + v + "|" + gv)
                            .to("output", SS_OUT);
                    rekeyed.groupByKey(org.apache.kafka.streams.kstream.Grouped.with("counts", Serdes.String(), Serdes.String()))
                            .count(M.kv(Serdes.String(), Serdes.Long()))
                            .toStream().to("output-counts", AggregationCases.SL_OUT);
                })
                .pipe("global", "a", "G1", 100)
                .pipe("input", "k1", "a:s1", 1000)
                .pipe("input", "k2", "s2", 1001)
                .pipe("input", "k3", "b:s3", 1002)
                .pipe("input", "k4", null, 1003)
                .pipe("input", "k5", "a:s5", 1004));

        all.add(Case.of("join-null-key-repartition-upstream-of-aggregate",
                        "groupBy(prefix, 'regroup').count().toStream().leftJoin(KTable): the groupBy repartition topic keeps null keys because a left join lies downstream of it (past the aggregate), and the count drops them")
                .input("input", STRING, STRING).input("table", STRING, STRING)
                .output("conformance-join-null-key-repartition-upstream-of-aggregate-regroup-repartition", STRING, STRING)
                .output("output", STRING, STRING)
                .topology(b -> {
                    KTable<String, String> t = b.table("table", C);
                    b.stream("input", SS_IN)
                            .groupBy(PREFIX_KEY, org.apache.kafka.streams.kstream.Grouped.with("regroup", Serdes.String(), Serdes.String()))
                            .count(M.kv(Serdes.String(), Serdes.Long()))
                            .toStream()
                            .leftJoin(t, (n, tv) -> n + "/" + tv, Joined.with(Serdes.String(), Serdes.Long(), Serdes.String()))
                            .to("output", SS_OUT);
                })
                .pipe("table", "a", "t1", 100)
                .pipe("input", "k1", "a:s1", 1000)
                .pipe("input", "k2", "s2", 1001)
                .pipe("input", "k3", "a:s3", 1002)
                .pipe("input", "k4", null, 1003));
    }

    /** The topic's stream, each record first copied to 'trace': the global order then shows after which input each result came. */
    static KStream<String, String> traced(org.apache.kafka.streams.StreamsBuilder b, String topic) {
        KStream<String, String> s = b.stream(topic, C);
        s.to("trace", SS_OUT);
        return s;
    }

    static final String OUTER_JOIN_EMIT_INTERVAL = "__emit.interval.ms.kstreams.outer.join.spurious.results.fix__";

    /**
     * Left/outer join non-matches are emitted at most once per emit interval of wall-clock time (1000 ms in a running
     * application; TopologyTestDriver sets 0): KStreamKStreamJoin#emitNonJoinedOuterRecords checks
     * context.currentSystemTimeMs() (the wall clock when the record is processed) against the join's shared
     * nextTimeToEmit, which starts at 0, only for a record at stream time and only when some held record may have closed.
     */
    private static void registerEmitIntervals(List<Case> all) {
        all.add(Case.of("join-stream-stream-left-emit-interval",
                        "leftJoin window 1000 no grace with the application's 1000 ms emit interval: L+null results wait for a record processed 1000 ms of wall clock after the last emission")
                .config(OUTER_JOIN_EMIT_INTERVAL, "1000")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING)
                .output("trace", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> traced(b, "input-left")
                        .leftJoin(traced(b, "input-right"), JOINER, JoinWindows.ofTimeDifferenceWithNoGrace(ms(1000)), SJ)
                        .to("output", SS_OUT))
                .pipe("input-left", "a", "L1", 0)
                .pipe("input-left", "b", "L2", 500)
                .pipe("input-left", "c", "L3", 2000)        // L1, L2 closed, wall clock 0
                .advance(1000)
                .pipe("input-right", "a", "R1", 1800)       // behind stream time: no emission check
                .pipe("input-left", "d", "L4", 2100)        // wall clock 1000
                .pipe("input-left", "e", "L5", 5000)
                .advance(5000)
                .pipe("input-left", "f", "L6", 5001)        // wall clock 6000
                .pipe("input-left", "g", "L7", 7000)        // L5, L6 closed, next emission at 7000
                .advance(999)
                .pipe("input-left", "h", "L8", 7001)
                .advance(1)
                .pipe("input-left", "i", "L9", 7002)
                .pipe("input-left", "z", "L10", 20000)
                .advance(1000)
                .pipe("input-right", "z", "R2", 20001));

        all.add(Case.of("join-stream-stream-outer-emit-interval",
                        "outerJoin window 1000 grace 500 with the application's 1000 ms emit interval: both sides share one emit schedule; non-matches of either side wait for the wall clock")
                .config(OUTER_JOIN_EMIT_INTERVAL, "1000")
                .input("input-left", STRING, STRING).input("input-right", STRING, STRING)
                .output("trace", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> traced(b, "input-left")
                        .outerJoin(traced(b, "input-right"), JOINER, JoinWindows.ofTimeDifferenceAndGrace(ms(1000), ms(500)), SJ)
                        .to("output", SS_OUT))
                .pipe("input-left", "a", "L1", 0)
                .pipe("input-right", "b", "R1", 100)
                .pipe("input-right", "c", "R2", 3000)
                .advance(1000)
                .pipe("input-left", "d", "L2", 3100)        // wall clock 1000: L1, R1 out
                .pipe("input-right", "d", "R3", 3200)       // matches L2
                .pipe("input-left", "e", "L3", 6000)
                .advance(500)
                .pipe("input-right", "f", "R4", 6100)       // wall clock 1500: throttled
                .advance(500)
                .pipe("input-left", "g", "L4", 6050)        // behind stream time
                .pipe("input-right", "h", "R5", 6200)       // wall clock 2000
                .advance(3000)
                .pipe("input-left", "z", "L9", 20000));
    }
}
