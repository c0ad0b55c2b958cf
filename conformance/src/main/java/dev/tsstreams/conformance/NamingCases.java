package dev.tsstreams.conformance;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KGroupedTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TableJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.List;
import java.util.Map;

import static dev.tsstreams.conformance.AggregationCases.SL_OUT;
import static dev.tsstreams.conformance.Codec.LONG;
import static dev.tsstreams.conformance.Codec.STRING;
import static dev.tsstreams.conformance.JoinCases.C;
import static dev.tsstreams.conformance.JoinCases.JOINER;
import static dev.tsstreams.conformance.StatelessCases.SS_IN;
import static dev.tsstreams.conformance.StatelessCases.SS_OUT;
import static dev.tsstreams.conformance.WindowCases.ms;
import static dev.tsstreams.conformance.WindowCases.sessionWindowedLong;
import static dev.tsstreams.conformance.WindowCases.timeWindowedLong;

/**
 * Generated names: which DSL calls take an index from Kafka Streams' name counter and in what order, where
 * Named / Grouped / Materialized / StreamJoined / Joined / Branched / Consumed / Produced names go, which nodes
 * list which stores, and how sub-topologies are numbered. These cases are mostly about describe() and the names
 * of internal topics (several declare a repartition or changelog topic as an output to pin its name); their
 * inputs are a few records.
 */
final class NamingCases {
    private NamingCases() {}

    private static final Grouped<String, String> SS = Grouped.with(Serdes.String(), Serdes.String());

    /** conformance-<case>-<suffix>: the full name of an internal topic of a case. */
    private static String internal(String caseName, String suffix) {
        return "conformance-" + caseName + "-" + suffix;
    }

    static void register(List<Case> all) {
        String n;

        n = "naming-group-by-windowed-count";
        all.add(Case.of(n, "groupBy (unnamed Grouped) -> windowedBy(tumbling) -> count(): count() takes no extra index, so the store (and repartition topic) is KSTREAM-AGGREGATE-STATE-STORE-0000000002")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(1000), LONG)
                .output(internal(n, "KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition"), STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .groupBy((k, v) -> v, SS)
                        .windowedBy(TimeWindows.ofSizeAndGrace(ms(1000), ms(0)))
                        .count()
                        .toStream().to("output", timeWindowedLong(1000)))
                .pipe("input", "k1", "a", 100)
                .pipe("input", "k2", "b", 200)
                .pipe("input", "k3", "a", 1500));

        n = "naming-group-by-windowed-count-materialized";
        all.add(Case.of(n, "groupBy -> windowedBy(tumbling) -> count(Materialized.with(serdes)): a Materialized without a store name burns one index before the store name (KSTREAM-AGGREGATE-STATE-STORE-0000000003)")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(1000), LONG)
                .output(internal(n, "KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition"), STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .groupBy((k, v) -> v, SS)
                        .windowedBy(TimeWindows.ofSizeAndGrace(ms(1000), ms(0)))
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", timeWindowedLong(1000)))
                .pipe("input", "k1", "a", 100)
                .pipe("input", "k2", "a", 1500));

        n = "naming-group-by-grouped-name";
        all.add(Case.of(n, "groupBy with Grouped.as(\"by-val\"): the key-selecting step is named by-val and the repartition topic by-val-repartition; the count() store name is generated (the Grouped name still takes an index)")
                .input("input", STRING, STRING).output("output", STRING, LONG)
                .output(internal(n, "by-val-repartition"), STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .groupBy((k, v) -> v, Grouped.<String, String>as("by-val").withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                        .count()
                        .toStream().to("output", SL_OUT))
                .pipe("input", "k1", "x", 1)
                .pipe("input", "k2", "y", 2)
                .pipe("input", "k3", "x", 3));

        n = "naming-grouped-shared-repartition";
        all.add(Case.of(n, "selectKey -> groupByKey(Grouped name) feeding count and reduce: one shared repartition topic; each aggregation still burns the three repartition names; Named aggregations")
                .input("input", STRING, STRING).output("output-count", STRING, LONG).output("output-reduce", STRING, STRING)
                .output(internal(n, "shared-repartition"), STRING, STRING)
                .topology(b -> {
                    KGroupedStream<String, String> g = b.stream("input", SS_IN)
                            .selectKey((k, v) -> v.substring(0, 1))
                            .groupByKey(Grouped.<String, String>as("shared").withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
                    g.count(Named.as("counted"), M.kv(Serdes.String(), Serdes.Long())).toStream().to("output-count", SL_OUT);
                    g.reduce((a, c) -> a + c, Named.as("reduced"), M.kv("reduced-store", Serdes.String(), Serdes.String()))
                            .toStream(Named.as("reduced-out")).to("output-reduce", SS_OUT);
                })
                .pipe("input", "k1", "ab", 1)
                .pipe("input", "k2", "ac", 2)
                .pipe("input", "k3", "bd", 3));

        n = "naming-shared-repartition-build-order";
        all.add(Case.of(n, "a named grouping's second aggregation attaches the shared repartition step again, so a stream added between the two aggregations is written (and numbered) before the repartition's sub-topology")
                .input("input", STRING, STRING).input("other", STRING, STRING)
                .output("out-count", STRING, LONG).output("out-other", STRING, STRING).output("out-reduce", STRING, STRING)
                .output(internal(n, "g-repartition"), STRING, STRING)
                .topology(b -> {
                    KGroupedStream<String, String> g = b.stream("input", SS_IN).selectKey((k, v) -> v)
                            .groupByKey(Grouped.<String, String>as("g").withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
                    g.count().toStream().to("out-count", SL_OUT);
                    b.stream("other", SS_IN).to("out-other", SS_OUT);
                    g.reduce((x, y) -> x + y).toStream().to("out-reduce", SS_OUT);
                })
                .pipe("input", "k1", "a", 1)
                .pipe("other", "k2", "b", 2)
                .pipe("input", "k3", "a", 3));

        n = "naming-stream-aggregations";
        all.add(Case.of(n, "groupByKey aggregate(Named, Materialized.as), reduce() with an internal store, count(Named) without Materialized: store and processor names")
                .input("input", STRING, STRING).output("output-agg", STRING, LONG).output("output-reduce", STRING, STRING).output("output-count", STRING, LONG)
                .store("sum-store", STRING, LONG)
                .topology(b -> {
                    KGroupedStream<String, String> g = b.stream("input", SS_IN).groupByKey(SS);
                    g.aggregate(() -> 0L, (k, v, a) -> a + v.length(), Named.as("summed"), M.kv("sum-store", Serdes.String(), Serdes.Long()))
                            .toStream().to("output-agg", SL_OUT);
                    g.reduce((a, c) -> a + "|" + c).toStream().to("output-reduce", SS_OUT);
                    g.count(Named.as("counted")).toStream().to("output-count", SL_OUT);
                })
                .pipe("input", "a", "x", 1)
                .pipe("input", "a", "yy", 2)
                .pipe("input", "b", "z", 3));

        n = "naming-suppress-named";
        all.add(Case.of(n, "windowed count + suppress(untilWindowCloses).withName(\"final\"): processor final, buffer store final-store listed by describe(); a second unnamed suppress lists KTABLE-SUPPRESS-STATE-STORE-n")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(1000), LONG).output("output-limit", STRING, LONG)
                .topology(b -> {
                    KStream<String, String> s = b.stream("input", SS_IN);
                    s.groupByKey(SS)
                            .windowedBy(TimeWindows.ofSizeAndGrace(ms(1000), ms(0)))
                            .count()
                            .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("final"))
                            .toStream().to("output", timeWindowedLong(1000));
                    s.groupByKey(SS).count(Named.as("limited-count"))
                            .suppress(Suppressed.untilTimeLimit(ms(500), Suppressed.BufferConfig.unbounded()))
                            .toStream().to("output-limit", SL_OUT);
                })
                .pipe("input", "a", "1", 100)
                .pipe("input", "a", "2", 800)
                .pipe("input", "b", "3", 2500));

        n = "naming-table-source-named";
        all.add(Case.of(n, "builder.table with Consumed.as(\"tbl\"): source tbl-source, processor tbl; the unmaterialized table is materialized by a join's value getter through a filter, the other table only by Materialized.as")
                .input("table", STRING, STRING).input("other", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> {
                    KTable<String, String> t = b.table("table", Consumed.with(Serdes.String(), Serdes.String()).withName("tbl"));
                    KTable<String, String> o = b.table("other", C, M.kv("other-store", Serdes.String(), Serdes.String()));
                    t.filter((k, v) -> !v.startsWith("x")).join(o, JOINER).toStream().to("output", SS_OUT);
                })
                .pipe("table", "a", "t1", 1)
                .pipe("other", "a", "o1", 2)
                .pipe("table", "a", "x2", 3));

        n = "naming-table-ops-named";
        all.add(Case.of(n, "KTable filter(Named, Materialized.as), mapValues(Named, Materialized.with) burning an index, filterNot unnamed, toStream(Named): names and stores listed")
                .input("table", STRING, STRING).output("output", STRING, STRING)
                .topology(b -> b.table("table", C)
                        .filter((k, v) -> v.length() > 1, Named.as("long-only"), M.kv("filtered-store", Serdes.String(), Serdes.String()))
                        .mapValues(v -> v.toUpperCase(), Named.as("upper"), M.kv(Serdes.String(), Serdes.String()))
                        .filterNot((k, v) -> v.startsWith("Z"))
                        .toStream(Named.as("changes"))
                        .to("output", SS_OUT))
                .pipe("table", "a", "ab", 1)
                .pipe("table", "b", "c", 2)
                .pipe("table", "a", "zz", 3));

        n = "naming-table-table-joins";
        all.add(Case.of(n, "KTable join with Named + Materialized.as, leftJoin with Materialized.with (internal KTABLE-MERGE store), outerJoin unnamed: processor names, stores listed, predecessor order of the merge nodes")
                .input("left", STRING, STRING).input("right", STRING, STRING)
                .output("output-join", STRING, STRING).output("output-left", STRING, STRING).output("output-outer", STRING, STRING)
                .topology(b -> {
                    KTable<String, String> l = b.table("left", C);
                    KTable<String, String> r = b.table("right", C);
                    l.join(r, JOINER, Named.as("tj"), M.kv("tj-store", Serdes.String(), Serdes.String())).toStream().to("output-join", SS_OUT);
                    l.leftJoin(r, JOINER, M.kv(Serdes.String(), Serdes.String())).toStream().to("output-left", SS_OUT);
                    l.outerJoin(r, JOINER).toStream().to("output-outer", SS_OUT);
                })
                .pipe("left", "a", "L1", 1)
                .pipe("right", "a", "R1", 2)
                .pipe("right", "b", "R2", 3));

        n = "naming-stream-stream-joins-named";
        all.add(Case.of(n, "stream-stream join with StreamJoined name + store name, leftJoin with a name only, outerJoin unnamed: windowed/join/merge names, window and shared store names")
                .input("left", STRING, STRING).input("right", STRING, STRING)
                .output("output-join", STRING, STRING).output("output-left", STRING, STRING).output("output-outer", STRING, STRING)
                .topology(b -> {
                    KStream<String, String> l = b.stream("left", C);
                    KStream<String, String> r = b.stream("right", C);
                    JoinWindows w = JoinWindows.ofTimeDifferenceWithNoGrace(ms(1000));
                    l.join(r, JOINER, w, JoinCases.SJ.withName("ssj").withStoreName("ssj-base")).to("output-join", SS_OUT);
                    l.leftJoin(r, JOINER, w, JoinCases.SJ.withName("lsj")).to("output-left", SS_OUT);
                    l.outerJoin(r, JOINER, w, JoinCases.SJ).to("output-outer", SS_OUT);
                })
                .pipe("left", "a", "L1", 1000)
                .pipe("right", "a", "R1", 1500)
                .pipe("left", "b", "L2", 5000));

        n = "naming-stream-stream-join-repartition";
        all.add(Case.of(n, "both sides re-keyed before a stream-stream join: a named join repartitions through rj-left/rj-right, an unnamed one through topics named after the key-changing steps")
                .input("left", STRING, STRING).input("right", STRING, STRING)
                .output("output-named", STRING, STRING).output("output-unnamed", STRING, STRING)
                .output(internal(n, "rj-left-repartition"), STRING, STRING)
                .output(internal(n, "rj-right-repartition"), STRING, STRING)
                .topology(b -> {
                    KStream<String, String> l = b.stream("left", C).selectKey((k, v) -> v.substring(0, 1));
                    KStream<String, String> r = b.stream("right", C).map((k, v) -> KeyValue.pair(v.substring(0, 1), v));
                    JoinWindows w = JoinWindows.ofTimeDifferenceWithNoGrace(ms(1000));
                    l.join(r, JOINER, w, JoinCases.SJ.withName("rj")).to("output-named", SS_OUT);
                    l.join(r, JOINER, w, JoinCases.SJ).to("output-unnamed", SS_OUT);
                })
                .pipe("left", "k1", "a1", 1000)
                .pipe("right", "k2", "a2", 1100));

        n = "naming-stream-table-joins";
        all.add(Case.of(n, "re-keyed stream joined with a table: Joined name names the repartition topic (stj-repartition) and the join; an unnamed leftJoin repartitions through <key-changing step>-repartition; the table source is materialized by the value getter")
                .input("input", STRING, STRING).input("table", STRING, STRING)
                .output("output-join", STRING, STRING).output("output-left", STRING, STRING)
                .output(internal(n, "stj-repartition"), STRING, STRING)
                .topology(b -> {
                    KTable<String, String> t = b.table("table", C);
                    KStream<String, String> s = b.stream("input", SS_IN).selectKey((k, v) -> v.substring(0, 1));
                    s.join(t, JOINER, Joined.with(Serdes.String(), Serdes.String(), Serdes.String()).withName("stj")).to("output-join", SS_OUT);
                    s.leftJoin(t, JOINER, Joined.with(Serdes.String(), Serdes.String(), Serdes.String())).to("output-left", SS_OUT);
                })
                .pipe("table", "a", "T", 1)
                .pipe("input", "k1", "a1", 2)
                .pipe("input", "k2", "b2", 3));

        n = "naming-global-tables";
        all.add(Case.of(n, "two global tables (Consumed.as + Materialized.as, and unnamed) joined by a stream (Named and unnamed): global store sub-topologies numbered among the stream ones")
                .input("input", STRING, STRING).input("global-a", STRING, STRING).input("global-b", STRING, STRING)
                .output("output", STRING, STRING)
                .topology(b -> {
                    KStream<String, String> s = b.stream("input", SS_IN);
                    GlobalKTable<String, String> ga = b.globalTable("global-a", Consumed.with(Serdes.String(), Serdes.String()).withName("ga"), M.kv("ga-store", Serdes.String(), Serdes.String()));
                    GlobalKTable<String, String> gb = b.globalTable("global-b", C);
                    s.join(ga, (k, v) -> v, JOINER, Named.as("gj"))
                            .leftJoin(gb, (k, v) -> k, JOINER)
                            .to("output", SS_OUT);
                })
                .pipe("global-a", "x", "A", 1)
                .pipe("global-b", "k", "B", 2)
                .pipe("input", "k", "x", 3));

        n = "naming-repartition";
        all.add(Case.of(n, "repartition() unnamed (KSTREAM-REPARTITION-n-repartition, generated filter/sink/source names) then repartition(Repartitioned.as(\"rp2\")) (rp2-repartition-filter/-sink/-source)")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .output(internal(n, "KSTREAM-REPARTITION-0000000002-repartition"), STRING, STRING)
                .output(internal(n, "rp2-repartition"), STRING, STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .mapValues(v -> v + "!")
                        .repartition(Repartitioned.with(Serdes.String(), Serdes.String()))
                        .repartition(Repartitioned.<String, String>as("rp2").withKeySerde(Serdes.String()).withValueSerde(Serdes.String()))
                        .to("output", SS_OUT))
                .pipe("input", "k1", "a", 1)
                .pipe("input", "k2", "b", 2));

        n = "naming-split-branches";
        all.add(Case.of(n, "split() unnamed with unnamed branches and a chained branch, split(Named) with Branched names and default: every branch takes an index, chains run when the branch is added; successor order")
                .input("input", STRING, STRING)
                .output("output-1", STRING, STRING).output("output-2", STRING, STRING).output("output-3", STRING, STRING)
                .output("output-a", STRING, STRING).output("output-d", STRING, STRING)
                .topology(b -> {
                    KStream<String, String> s = b.stream("input", SS_IN);
                    Map<String, KStream<String, String>> m = s.split()
                            .branch((k, v) -> v.startsWith("1"))
                            .branch((k, v) -> v.startsWith("2"), Branched.withFunction(x -> x.mapValues(v -> v + "!")))
                            .defaultBranch();
                    m.get("KSTREAM-BRANCH-00000000011").to("output-1", SS_OUT);
                    m.get("KSTREAM-BRANCH-00000000012").to("output-2", SS_OUT);
                    m.get("KSTREAM-BRANCH-00000000010").to("output-3", SS_OUT);
                    Map<String, KStream<String, String>> m2 = s.split(Named.as("sp-"))
                            .branch((k, v) -> k.equals("a"), Branched.withConsumer(x -> x.to("output-a", SS_OUT), "a"))
                            .defaultBranch(Branched.as("d"));
                    m2.get("sp-d").to("output-d", SS_OUT);
                })
                .pipe("input", "a", "1x", 1)
                .pipe("input", "b", "2y", 2)
                .pipe("input", "c", "3z", 3));

        n = "naming-process";
        all.add(Case.of(n, "process() unnamed (KSTREAM-PROCESSOR-n), process(Named) with a store (no index taken), processValues() unnamed: names, stores listed, the changelog of the process store")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .output(internal(n, "seen-store-changelog"), STRING, LONG)
                .store("seen-store", STRING, LONG)
                .topology(b -> {
                    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("seen-store"), Serdes.String(), Serdes.Long()));
                    b.stream("input", SS_IN)
                            .process(() -> new Processor<String, String, String, String>() {
                                private ProcessorContext<String, String> ctx;
                                @Override public void init(ProcessorContext<String, String> c) { ctx = c; }
                                @Override public void process(Record<String, String> r) { ctx.forward(r.withValue(r.value() + "-p")); }
                            })
                            .process(() -> new Processor<String, String, String, String>() {
                                private ProcessorContext<String, String> ctx;
                                private KeyValueStore<String, Long> store;
                                @Override public void init(ProcessorContext<String, String> c) { ctx = c; store = c.getStateStore("seen-store"); }
                                @Override public void process(Record<String, String> r) {
                                    Long old = store.get(r.key());
                                    long count = old == null ? 1 : old + 1;
                                    store.put(r.key(), count);
                                    ctx.forward(r.withValue(r.value() + "#" + count));
                                }
                            }, Named.as("counter"), "seen-store")
                            .processValues(() -> new FixedKeyProcessor<String, String, String>() {
                                private FixedKeyProcessorContext<String, String> ctx;
                                @Override public void init(FixedKeyProcessorContext<String, String> c) { ctx = c; }
                                @Override public void process(FixedKeyRecord<String, String> r) { ctx.forward(r.withValue(r.value().toUpperCase())); }
                            })
                            .to("output", SS_OUT);
                })
                .pipe("input", "a", "x", 1)
                .pipe("input", "a", "y", 2));

        n = "naming-to-table";
        all.add(Case.of(n, "toTable() unnamed (no store listed), toTable(Named, Materialized.as), toTable after selectKey (repartition topic named after the KSTREAM-TOTABLE step)")
                .input("input", STRING, STRING)
                .output("output-1", STRING, STRING).output("output-2", STRING, STRING).output("output-3", STRING, STRING)
                .output(internal(n, "KSTREAM-TOTABLE-0000000009-repartition"), STRING, STRING)
                .topology(b -> {
                    KStream<String, String> s = b.stream("input", SS_IN);
                    s.toTable().toStream().to("output-1", SS_OUT);
                    s.toTable(Named.as("tt"), M.kv("tt-store", Serdes.String(), Serdes.String())).toStream().to("output-2", SS_OUT);
                    s.selectKey((k, v) -> v).toTable(M.kv(Serdes.String(), Serdes.String())).toStream().to("output-3", SS_OUT);
                })
                .pipe("input", "a", "x", 1)
                .pipe("input", "b", "y", 2));

        n = "naming-merge";
        all.add(Case.of(n, "merge of three streams, one merge named and one not; fan-out of one source to steps of different sub-tree sizes (successor order)")
                .input("input-a", STRING, STRING).input("input-b", STRING, STRING).input("input-c", STRING, STRING)
                .output("output", STRING, STRING).output("output-peek", STRING, STRING)
                .topology(b -> {
                    KStream<String, String> a = b.stream("input-a", SS_IN);
                    KStream<String, String> bb = b.stream("input-b", SS_IN);
                    KStream<String, String> c = b.stream("input-c", SS_IN);
                    a.merge(bb, Named.as("ab")).merge(c).mapValues(v -> v + "!").to("output", SS_OUT);
                    a.peek((k, v) -> {}).filter((k, v) -> true).to("output-peek", SS_OUT);
                    a.filterNot((k, v) -> true).to("output-peek", SS_OUT);
                })
                .pipe("input-a", "a", "1", 1)
                .pipe("input-b", "b", "2", 2)
                .pipe("input-c", "c", "3", 3));

        n = "naming-subtopology-order";
        all.add(Case.of(n, "sub-topologies are numbered in the order their first node was added (not by source name): a named source added later, a repartition in between, a second repartition")
                .input("input-z", STRING, STRING).input("input-a", STRING, STRING)
                .output("output-count", STRING, LONG).output("output-a", STRING, STRING).output("output-rekeyed", STRING, STRING)
                .topology(b -> {
                    b.stream("input-z", Consumed.with(Serdes.String(), Serdes.String()).withName("z-src"))
                            .groupBy((k, v) -> v, SS)
                            .count()
                            .toStream().to("output-count", SL_OUT);
                    KStream<String, String> a = b.stream("input-a", Consumed.with(Serdes.String(), Serdes.String()).withName("a-src"));
                    a.to("output-a", Produced.with(Serdes.String(), Serdes.String()).withName("a-sink"));
                    a.repartition(Repartitioned.with(Serdes.String(), Serdes.String())).to("output-rekeyed", SS_OUT);
                })
                .pipe("input-z", "k1", "v", 1)
                .pipe("input-a", "k2", "w", 2));

        n = "naming-stateless-named";
        all.add(Case.of(n, "every stateless step named (Consumed, filter, map, mapValues, flatMapValues, peek, selectKey, Produced) and unnamed ones after them: named steps still take an index")
                .input("input", STRING, STRING).output("output", STRING, STRING).output("output-2", STRING, STRING)
                .topology(b -> {
                    KStream<String, String> s = b.stream("input", Consumed.with(Serdes.String(), Serdes.String()).withName("src"))
                            .filter((k, v) -> v != null, Named.as("non-null"))
                            .map((k, v) -> KeyValue.pair(k + "'", v), Named.as("prime"))
                            .mapValues(v -> v + v, Named.as("twice"))
                            .flatMapValues(v -> List.of(v, v.toUpperCase()), Named.as("both-cases"))
                            .peek((k, v) -> {}, Named.as("look"))
                            .selectKey((k, v) -> v, Named.as("by-value"));
                    s.to("output", Produced.with(Serdes.String(), Serdes.String()).withName("out"));
                    s.mapValues(v -> v.length() + "").filter((k, v) -> true).to("output-2", SS_OUT);
                })
                .pipe("input", "a", "x", 1));

        n = "naming-windowed-kinds";
        all.add(Case.of(n, "sliding count(Materialized.with) (no index burnt), session count(Materialized.with) (burns one), session reduce named, hopping aggregate with Materialized.as: names of each windowed aggregation")
                .input("input", STRING, STRING)
                .output("output-sliding", Codec.timeWindowedString(1000), LONG)
                .output("output-session", Codec.sessionWindowedString(), LONG)
                .output("output-session-reduce", Codec.sessionWindowedString(), STRING)
                .output("output-hopping", Codec.timeWindowedString(2000), LONG)
                .topology(b -> {
                    KGroupedStream<String, String> g = b.stream("input", SS_IN).groupByKey(SS);
                    g.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(ms(1000), ms(0)))
                            .count(M.win(Serdes.String(), Serdes.Long()))
                            .toStream().to("output-sliding", timeWindowedLong(1000));
                    g.windowedBy(SessionWindows.ofInactivityGapAndGrace(ms(500), ms(0)))
                            .count(M.session(Serdes.String(), Serdes.Long()))
                            .toStream().to("output-session", sessionWindowedLong());
                    g.windowedBy(SessionWindows.ofInactivityGapAndGrace(ms(500), ms(0)))
                            .reduce((x, y) -> x + y, Named.as("session-concat"))
                            .toStream().to("output-session-reduce", Produced.with(org.apache.kafka.streams.kstream.WindowedSerdes.sessionWindowedSerdeFrom(String.class), Serdes.String()));
                    g.windowedBy(TimeWindows.ofSizeAndGrace(ms(2000), ms(0)).advanceBy(ms(1000)))
                            .aggregate(() -> 0L, (k, v, a) -> a + 1, M.win("hop-store", Serdes.String(), Serdes.Long()))
                            .toStream().to("output-hopping", timeWindowedLong(2000));
                })
                .pipe("input", "a", "1", 100)
                .pipe("input", "a", "2", 300));

        n = "naming-table-group-by-unnamed";
        all.add(Case.of(n, "KTable.groupBy without a Grouped name: repartition topic named after the aggregation's generated store (KTABLE-AGGREGATE-STATE-STORE-n-repartition); reduce and aggregate on the same grouping each get their own")
                .input("table", STRING, STRING).output("output-count", STRING, LONG).output("output-reduce", STRING, STRING)
                .output(internal(n, "KTABLE-AGGREGATE-STATE-STORE-0000000004-repartition"), STRING, STRING)
                .topology(b -> {
                    KGroupedTable<String, String> g = b.table("table", C).groupBy((k, v) -> KeyValue.pair(v, k), SS);
                    g.count().toStream().to("output-count", SL_OUT);
                    g.reduce((a, c) -> a + c, (a, c) -> a.replace(c, ""), Named.as("concat"), M.kv(Serdes.String(), Serdes.String())).toStream().to("output-reduce", SS_OUT);
                })
                .pipe("table", "a", "x", 1)
                .pipe("table", "b", "x", 2)
                .pipe("table", "a", "y", 3));
    }
}
