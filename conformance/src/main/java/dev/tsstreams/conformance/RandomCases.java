package dev.tsstreams.conformance;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.TimeWindows;

import java.util.List;
import java.util.Random;

import static dev.tsstreams.conformance.AggregationCases.SL_OUT;
import static dev.tsstreams.conformance.AggregationCases.SS_GROUPED;
import static dev.tsstreams.conformance.Codec.LONG;
import static dev.tsstreams.conformance.Codec.STRING;
import static dev.tsstreams.conformance.StatelessCases.SS_IN;
import static dev.tsstreams.conformance.StatelessCases.SS_OUT;
import static dev.tsstreams.conformance.WindowCases.ms;

/** Seeded random cases (java.util.Random, fixed seeds): >= 2000 records each over 20 keys. */
final class RandomCases {
    private RandomCases() {}

    static final int RECORDS = 2500;

    static String key(Random r) {
        return String.format("k%02d", r.nextInt(20));
    }

    /** Stream time advancing 0..99 ms per record; 30% of records are out of order by up to 2500 ms. */
    static long nextTs(Random r, long[] clock) {
        clock[0] += r.nextInt(100);
        long ts = clock[0];
        if (r.nextInt(10) < 3) ts = Math.max(0, ts - r.nextInt(2500));
        return ts;
    }

    static void register(List<Case> all) {
        {
            Random r = new Random(20240101L);
            long[] clock = {0};
            Case c = Case.of("random-windowed-count-grace",
                            "seeded random (seed 20240101): 2500 records over 20 keys, tumbling 1000ms grace 1500 count with out-of-order input")
                    .input("input", STRING, STRING).output("output", Codec.timeWindowedString(1000), LONG)
                    .topology(b -> b.stream("input", SS_IN)
                            .groupByKey(SS_GROUPED)
                            .windowedBy(TimeWindows.ofSizeAndGrace(ms(1000), ms(1500)))
                            .count(M.win(Serdes.String(), Serdes.Long()))
                            .toStream().to("output", WindowCases.timeWindowedLong(1000)));
            for (int i = 0; i < RECORDS; i++) c.pipe("input", key(r), "v" + i, nextTs(r, clock));
            all.add(c);
        }
        {
            Random r = new Random(20240202L);
            long[] clock = {0};
            Case c = Case.of("random-stream-stream-left-join",
                            "seeded random (seed 20240202): 2500 records split over both sides, 20 keys, leftJoin window 300 grace 200 with out-of-order input")
                    .input("input-left", STRING, STRING).input("input-right", STRING, STRING).output("output", STRING, STRING)
                    .topology(b -> b.stream("input-left", JoinCases.C)
                            .leftJoin(b.stream("input-right", JoinCases.C), JoinCases.JOINER,
                                    JoinWindows.ofTimeDifferenceAndGrace(ms(300), ms(200)), JoinCases.SJ)
                            .to("output", SS_OUT));
            for (int i = 0; i < RECORDS; i++) {
                boolean left = r.nextBoolean();
                String k = key(r);
                long ts = clock[0] += r.nextInt(60);
                if (r.nextInt(10) < 2) ts = Math.max(0, ts - r.nextInt(800));
                c.pipe(left ? "input-left" : "input-right", k, (left ? "L" : "R") + i, ts);
            }
            all.add(c);
        }
        {
            Random r = new Random(20240303L);
            Case c = Case.of("random-table-regroup-aggregate",
                            "seeded random (seed 20240303): 2500 table updates/deletes over 20 keys re-grouped into 5 groups; aggregate sum with adder/subtractor plus count")
                    .input("table", STRING, STRING).output("output", STRING, LONG).output("output-count", STRING, LONG)
                    .store("regroup-sum", STRING, LONG).store("regroup-count", STRING, LONG)
                    .topology(b -> {
                        var grouped = b.table("table", Consumed.with(Serdes.String(), Serdes.String()))
                                .groupBy((k, v) -> KeyValue.pair(v.split(":")[0], Long.parseLong(v.split(":")[1])),
                                        Grouped.with("regroup", Serdes.String(), Serdes.Long()));
                        grouped.aggregate(() -> 0L, (k, v, agg) -> agg + v, (k, v, agg) -> agg - v,
                                        M.kv("regroup-sum", Serdes.String(), Serdes.Long()))
                                .toStream().to("output", SL_OUT);
                        grouped.count(M.kv("regroup-count", Serdes.String(), Serdes.Long()))
                                .toStream().to("output-count", SL_OUT);
                    });
            long ts = 0;
            for (int i = 0; i < RECORDS; i++) {
                ts += r.nextInt(50);
                String v = r.nextInt(10) == 0 ? null : "g" + r.nextInt(5) + ":" + (r.nextInt(201) - 100);
                c.pipe("table", key(r), v, r.nextInt(10) == 0 ? Math.max(0, ts - r.nextInt(1000)) : ts);
            }
            all.add(c);
        }
    }
}
