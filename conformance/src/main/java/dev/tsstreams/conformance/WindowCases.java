package dev.tsstreams.conformance;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.kstream.WindowedSerdes;

import java.time.Duration;
import java.util.List;

import static dev.tsstreams.conformance.AggregationCases.SS_GROUPED;
import static dev.tsstreams.conformance.Codec.LONG;
import static dev.tsstreams.conformance.Codec.STRING;
import static dev.tsstreams.conformance.StatelessCases.SS_IN;

/** Tumbling, hopping, sliding and session windows; suppress and emitStrategy(onWindowClose). */
final class WindowCases {
    private WindowCases() {}

    static Duration ms(long v) { return Duration.ofMillis(v); }

    static Produced<Windowed<String>, Long> timeWindowedLong(long size) {
        return Produced.with(WindowedSerdes.timeWindowedSerdeFrom(String.class, size), Serdes.Long());
    }

    static Produced<Windowed<String>, String> timeWindowedString(long size) {
        return Produced.with(WindowedSerdes.timeWindowedSerdeFrom(String.class, size), Serdes.String());
    }

    static Produced<Windowed<String>, Long> sessionWindowedLong() {
        return Produced.with(WindowedSerdes.sessionWindowedSerdeFrom(String.class), Serdes.Long());
    }

    /** Tumbling 5s windows, grace 1s: in-order, out-of-order within grace, exact window end, late past grace. */
    static Case tumblingScript(Case c) {
        return c.pipe("input", "a", "1", 1000)
                .pipe("input", "a", "2", 4999)
                .pipe("input", "a", "3", 5000)          // exactly at the end of [0,5000) -> next window
                .pipe("input", "b", "4", 3000)          // out of order, within grace (stream time 5000)
                .pipe("input", "a", "5", 5999)          // stream time 5999: window [0,5000) closes at 6000
                .pipe("input", "a", "6", 4000)          // still within grace (5999 < 5000+1000)
                .pipe("input", "a", "7", 6000)          // stream time 6000 -> [0,5000) closed
                .pipe("input", "a", "8", 4500)          // late: dropped
                .pipe("input", null, "9", 6001)         // null key dropped
                .pipe("input", "b", null, 6002)         // null value dropped
                .pipe("input", "b", "10", 12000)
                .pipe("input", "a", "11", 9999)         // window [5000,10000) end+grace = 11000 < 12000: dropped
                .pipe("input", "a", "12", 10000);
    }

    static void register(List<Case> all) {
        all.add(tumblingScript(Case.of("window-tumbling-count",
                        "tumbling 5000ms/grace 1000 count: window end exclusive, out-of-order within grace updates, past grace dropped, null key dropped but null VALUE counted; time-windowed key bytes")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(5000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(TimeWindows.ofSizeAndGrace(ms(5000), ms(1000)))
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", timeWindowedLong(5000)))));

        all.add(tumblingScript(Case.of("window-tumbling-no-grace-reduce",
                        "tumbling 5000ms with no grace, reduce concatenation: late records dropped; a null value as first value of a window gives a null aggregate, emitted as a null value")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(5000), STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(TimeWindows.ofSizeWithNoGrace(ms(5000)))
                        .reduce((x, y) -> x + "," + y, M.win(Serdes.String(), Serdes.String()))
                        .toStream().to("output", timeWindowedString(5000)))));

        all.add(tumblingScript(Case.of("window-hopping-count",
                        "hopping 10000ms advance 5000 grace 2000 count: each record updates two windows, in window-start order; windows closing at different times")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(10000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(TimeWindows.ofSizeAndGrace(ms(10000), ms(2000)).advanceBy(ms(5000)))
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", timeWindowedLong(10000)))));

        all.add(Case.of("window-hopping-aggregate-timestamps",
                        "hopping 3000/1000 aggregate (concat): output timestamp is the max record timestamp in that window; negative-start windows are not created")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(3000), STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(TimeWindows.ofSizeAndGrace(ms(3000), ms(5000)).advanceBy(ms(1000)))
                        .aggregate(() -> "", (k, v, agg) -> agg + v, M.win(Serdes.String(), Serdes.String()))
                        .toStream().to("output", timeWindowedString(3000)))
                .pipe("input", "k", "a", 500)
                .pipe("input", "k", "b", 2500)
                .pipe("input", "k", "c", 1500)
                .pipe("input", "k", "d", 3000));

        all.add(Case.of("window-sliding-count",
                        "sliding windows (timeDifference 5000, grace 2000) count: window creation on each record, out-of-order records filling existing windows, late drop")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(5000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(ms(5000), ms(2000)))
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", timeWindowedLong(5000)))
                .pipe("input", "a", "1", 10000)
                .pipe("input", "a", "2", 12000)
                .pipe("input", "a", "3", 16000)
                .pipe("input", "a", "4", 11000)     // out of order
                .pipe("input", "a", "5", 15000)     // exactly timeDifference after 10000
                .pipe("input", "a", "6", 16000)     // duplicate timestamp
                .pipe("input", "b", "7", 20000)
                .pipe("input", "a", "8", 12500)     // 20000 - 12500 > 5000+2000: late
                .pipe("input", "a", "9", 14000));

        all.add(Case.of("window-sliding-aggregate",
                        "sliding windows (timeDifference 3000, grace 10000) aggregate concatenation: which windows each record lands in, early records (< timeDifference)")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(3000), STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(ms(3000), ms(10000)))
                        .aggregate(() -> "", (k, v, agg) -> agg + v, M.win(Serdes.String(), Serdes.String()))
                        .toStream().to("output", timeWindowedString(3000)))
                .pipe("input", "k", "a", 1000)
                .pipe("input", "k", "b", 2000)
                .pipe("input", "k", "c", 6000)
                .pipe("input", "k", "d", 4000)
                .pipe("input", "k", "e", 3500)
                .pipe("input", "k", "f", 0));

        all.add(Case.of("window-session-count",
                        "session windows gap 3000 grace 1000 count: new sessions, extension, late record bridging two sessions (merge emits tombstones for old sessions), past-grace drop")
                .input("input", STRING, STRING).output("output", Codec.sessionWindowedString(), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(SessionWindows.ofInactivityGapAndGrace(ms(3000), ms(1000)))
                        .count(M.session(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", sessionWindowedLong()))
                .pipe("input", "a", "1", 1000)
                .pipe("input", "a", "2", 2000)       // extends [1000,2000]
                .pipe("input", "a", "3", 9000)       // new session
                .pipe("input", "a", "4", 5000)       // exactly gap from 2000 -> merges into [1000,5000]? (5000-2000=3000)
                .pipe("input", "a", "5", 7000)       // bridges [1000,5000] and [9000,9000]
                .pipe("input", "b", "6", 9500)
                .pipe("input", "a", "7", 13000)      // stream time 13000
                .pipe("input", "a", "8", 8000)       // session [1000,9000] end+gap... within grace?
                .pipe("input", "b", "9", 5000)       // late: 5000+1000 < 13000 - ... dropped
                .pipe("input", "a", "10", 20000)
                .pipe("input", null, "11", 20001));

        all.add(Case.of("window-session-reduce",
                        "session windows gap 1000 grace 10000, reduce concatenation: a late record bridging two sessions merges them (tombstones for both old sessions), merged value order")
                .input("input", STRING, STRING).output("output", Codec.sessionWindowedString(), STRING)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(SessionWindows.ofInactivityGapAndGrace(ms(1000), ms(10000)))
                        .reduce((x, y) -> x + "+" + y, M.session(Serdes.String(), Serdes.String()))
                        .toStream().to("output", Produced.with(WindowedSerdes.sessionWindowedSerdeFrom(String.class), Serdes.String())))
                .pipe("input", "k", "a", 0)
                .pipe("input", "k", "b", 3000)
                .pipe("input", "k", "c", 1500)      // within gap of neither (1000 from both) -> bridges? 1500-0 > 1000, 3000-1500 > 1000
                .pipe("input", "k", "d", 1000)      // merges [0] and [1500]
                .pipe("input", "k", "e", 2000)      // merges [0,1500] and [3000]
                .pipe("input", "k", "f", 500)
                .pipe("input", "k", "g", 2500)
                .pipe("input", "j", "h", 9000));

        all.add(tumblingScript(Case.of("window-suppress-until-window-closes",
                        "tumbling 5000/grace 1000 count + suppress(untilWindowCloses(unbounded)): one final result per window, emitted when stream time reaches end+grace")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(5000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(TimeWindows.ofSizeAndGrace(ms(5000), ms(1000)))
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
                        .toStream().to("output", timeWindowedLong(5000)))));

        all.add(tumblingScript(Case.of("window-emit-on-window-close",
                        "tumbling 5000/grace 1000 count with emitStrategy(onWindowClose): final results emitted when windows close (compare with suppress case)")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(5000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(TimeWindows.ofSizeAndGrace(ms(5000), ms(1000)))
                        .emitStrategy(EmitStrategy.onWindowClose())
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", timeWindowedLong(5000)))));

        all.add(tumblingScript(Case.of("window-hopping-emit-on-window-close",
                        "hopping 10000/5000 grace 2000 count with emitStrategy(onWindowClose): emission order of several windows closing at once")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(10000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(TimeWindows.ofSizeAndGrace(ms(10000), ms(2000)).advanceBy(ms(5000)))
                        .emitStrategy(EmitStrategy.onWindowClose())
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", timeWindowedLong(10000)))));

        all.add(Case.of("window-sliding-emit-on-window-close",
                        "sliding windows (5000, grace 1000) count with emitStrategy(onWindowClose)")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(5000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(ms(5000), ms(1000)))
                        .emitStrategy(EmitStrategy.onWindowClose())
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", timeWindowedLong(5000)))
                .pipe("input", "a", "1", 10000)
                .pipe("input", "a", "2", 12000)
                .pipe("input", "b", "3", 13000)
                .pipe("input", "a", "4", 11000)
                .pipe("input", "a", "5", 20000)
                .pipe("input", "b", "6", 30000));

        all.add(Case.of("window-session-expired-not-merged",
                        "session windows gap 1000 no grace count: a record within gap of a session that ended exactly streamTime-gap-grace is accepted but NOT merged (store fetch excludes it)")
                .input("input", STRING, STRING).output("output", Codec.sessionWindowedString(), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(ms(1000)))
                        .count(M.session(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", sessionWindowedLong()))
                .pipe("input", "k", "1", 0)
                .pipe("input", "k", "2", 3000)
                .pipe("input", "k", "3", 2000)       // close time 2000: accepted; [3000] found -> merge
                .pipe("input", "k", "4", 1000)       // within gap of [0,0]? expired -> dropped
                .pipe("input", "k", "5", 5000)
                .pipe("input", "k", "6", 4000)       // session [2000,3000] end 3000 < 5000-1000+1 -> not found
                .pipe("input", "k", "7", 4500));

        all.add(Case.of("window-session-emit-on-window-close",
                        "session windows gap 2000 grace 500 count with emitStrategy(onWindowClose): merged sessions emitted once when closed, no tombstones")
                .input("input", STRING, STRING).output("output", Codec.sessionWindowedString(), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(SessionWindows.ofInactivityGapAndGrace(ms(2000), ms(500)))
                        .emitStrategy(EmitStrategy.onWindowClose())
                        .count(M.session(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", sessionWindowedLong()))
                .pipe("input", "a", "1", 1000)
                .pipe("input", "a", "2", 6000)
                .pipe("input", "a", "3", 3500)      // bridges
                .pipe("input", "b", "4", 8000)
                .pipe("input", "a", "5", 12000)
                .pipe("input", "b", "6", 20000));

        all.add(Case.of("window-session-suppress",
                        "session windows gap 2000 grace 0 count + suppress(untilWindowCloses): final merged sessions only")
                .input("input", STRING, STRING).output("output", Codec.sessionWindowedString(), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(SessionWindows.ofInactivityGapAndGrace(ms(2000), ms(0)))
                        .count(M.session(Serdes.String(), Serdes.Long()))
                        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
                        .toStream().to("output", sessionWindowedLong()))
                .pipe("input", "a", "1", 1000)
                .pipe("input", "a", "2", 6000)
                .pipe("input", "a", "3", 3500)
                .pipe("input", "b", "4", 8000)
                .pipe("input", "a", "5", 12000)
                .pipe("input", "b", "6", 20000));

        all.add(Case.of("suppress-until-time-limit",
                        "KTable count + suppress(untilTimeLimit(2000ms, unbounded)): buffered per key, emitted by stream time, latest value wins")
                .input("input", STRING, STRING).output("output", STRING, LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .count(M.kv(Serdes.String(), Serdes.Long()))
                        .suppress(Suppressed.untilTimeLimit(ms(2000), Suppressed.BufferConfig.unbounded()))
                        .toStream().to("output", AggregationCases.SL_OUT))
                .pipe("input", "a", "1", 1000)
                .pipe("input", "a", "2", 1500)
                .pipe("input", "b", "3", 2000)
                .pipe("input", "a", "4", 2999)
                .pipe("input", "c", "5", 3000)     // a's first buffered at 1000 -> emit at >= 3000
                .pipe("input", "b", "6", 3500)
                .pipe("input", "c", "7", 10000)
                .advance(60000));                    // wall clock does not drive suppression

        all.add(Case.of("window-group-by-repartition-count",
                        "groupBy(value) through a repartition topic then tumbling 1000ms/grace 0 count: stream time of the repartitioned records drives window closing")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(1000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupBy((k, v) -> v, org.apache.kafka.streams.kstream.Grouped.with("wg", Serdes.String(), Serdes.String()))
                        .windowedBy(TimeWindows.ofSizeAndGrace(ms(1000), ms(0)))
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", timeWindowedLong(1000)))
                .pipe("input", "k1", "x", 100)
                .pipe("input", "k2", "y", 900)
                .pipe("input", "k3", "x", 1000)
                .pipe("input", "k4", "x", 999)
                .pipe("input", "k5", null, 1001)
                .pipe("input", "k6", "y", 2500));

        all.add(Case.of("window-tumbling-long-keys",
                        "tumbling 1000ms count with Long keys: time-windowed Long key bytes (8-byte key + 8-byte start)")
                .input("input", LONG, STRING).output("output", Codec.timeWindowedLong(1000), LONG)
                .topology(b -> b.stream("input", org.apache.kafka.streams.kstream.Consumed.with(Serdes.Long(), Serdes.String()))
                        .groupByKey(org.apache.kafka.streams.kstream.Grouped.with(Serdes.Long(), Serdes.String()))
                        .windowedBy(TimeWindows.ofSizeWithNoGrace(ms(1000)))
                        .count(M.win(Serdes.Long(), Serdes.Long()))
                        .toStream().to("output", Produced.with(WindowedSerdes.timeWindowedSerdeFrom(Long.class, 1000), Serdes.Long())))
                .pipe("input", 1L, "x", 0)
                .pipe("input", -1L, "y", 999)
                .pipe("input", 1L, "z", 1000));

        registerEmitOnWindowCloseOrder(all);
        registerEmitIntervals(all);
    }

    /**
     * emitStrategy(onWindowClose): the record is written into the window store first and the windows that closed are
     * read afterwards (KStreamWindowAggregate / KStreamSlidingWindowAggregate / KStreamSessionWindowAggregate
     * #process -> maybeForwardFinalResult), so a closed window that this very write expires from the store (retention
     * behind the store's stream time) is never emitted. Kafka's on-window-close stores are time-ordered ones whose
     * range reads keep windows starting at streamTime - retention (inclusive).
     */
    private static void registerEmitOnWindowCloseOrder(List<Case> all) {
        all.add(Case.of("window-emit-on-window-close-expired-by-put",
                        "tumbling 5000/grace 1000 count onWindowClose (retention 6000): a record jumping stream time writes its window first, which expires the closed window [0,5000) before it is emitted: Kafka emits nothing for it")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(5000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(TimeWindows.ofSizeAndGrace(ms(5000), ms(1000)))
                        .emitStrategy(EmitStrategy.onWindowClose())
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", timeWindowedLong(5000)))
                .pipe("input", "a", "1", 1000)
                .pipe("input", "b", "2", 2000)
                .pipe("input", "c", "3", 11000)     // close time 10000: [0,5000) closed, and expired by this put
                .pipe("input", "c", "4", 9000)      // late
                .pipe("input", "d", "5", 12000)
                .pipe("input", "c", "6", 17000)     // [10000,15000) closed, still retained
                .pipe("input", "e", "7", 23000));

        all.add(Case.of("window-emit-on-window-close-no-grace",
                        "tumbling 5000 no grace count onWindowClose (retention 5000): the window closing exactly as the next one opens is still emitted (the store keeps starts >= streamTime - retention); one skipped over by a jump is expired first")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(5000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(TimeWindows.ofSizeWithNoGrace(ms(5000)))
                        .emitStrategy(EmitStrategy.onWindowClose())
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", timeWindowedLong(5000)))
                .pipe("input", "a", "1", 0)
                .pipe("input", "a", "2", 4999)
                .pipe("input", "b", "3", 5000)      // [0,5000) closes as [5000,10000) is written
                .pipe("input", "b", "4", 7000)
                .pipe("input", "a", "5", 10000)
                .pipe("input", "a", "6", 20000)     // [10000,15000) closed and expired by this put
                .pipe("input", "c", "7", 25000));

        all.add(Case.of("window-hopping-emit-on-window-close-expired-by-put",
                        "hopping 10000/5000 grace 0 count onWindowClose (retention 10000): a jump expires some closed windows by the record's own writes, the others are emitted")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(10000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(TimeWindows.ofSizeWithNoGrace(ms(10000)).advanceBy(ms(5000)))
                        .emitStrategy(EmitStrategy.onWindowClose())
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", timeWindowedLong(10000)))
                .pipe("input", "a", "1", 1000)
                .pipe("input", "a", "2", 6000)
                .pipe("input", "b", "3", 12000)
                .pipe("input", "a", "4", 26000)     // windows up to start 16000 close; writes at 20000 and 25000
                .pipe("input", "c", "5", 40000));

        all.add(Case.of("window-sliding-emit-on-window-close-expired-by-put",
                        "sliding windows (5000, grace 1000) count onWindowClose (retention 11000): a record far ahead writes its left window first, expiring earlier closed windows before they are emitted")
                .input("input", STRING, STRING).output("output", Codec.timeWindowedString(5000), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(ms(5000), ms(1000)))
                        .emitStrategy(EmitStrategy.onWindowClose())
                        .count(M.win(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", timeWindowedLong(5000)))
                .pipe("input", "a", "1", 10000)
                .pipe("input", "a", "2", 12000)
                .pipe("input", "b", "3", 19000)     // closes a's windows ending before 13000: emitted
                .pipe("input", "b", "4", 21000)
                .pipe("input", "c", "5", 40000)     // b's windows closed, and expired by c's write
                .pipe("input", "c", "6", 41000)
                .pipe("input", "d", "7", 47000));

        all.add(Case.of("window-session-emit-on-window-close-expired-by-put",
                        "session windows gap 1000 no grace count onWindowClose (retention 1000): sessions are emitted after the record's write; a jump of minutes drops the store segments holding closed sessions first")
                .input("input", STRING, STRING).output("output", Codec.sessionWindowedString(), LONG)
                .topology(b -> b.stream("input", SS_IN)
                        .groupByKey(SS_GROUPED)
                        .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(ms(1000)))
                        .emitStrategy(EmitStrategy.onWindowClose())
                        .count(M.session(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", sessionWindowedLong()))
                .pipe("input", "a", "1", 1000)
                .pipe("input", "a", "2", 1500)
                .pipe("input", "b", "3", 3000)      // a's session [1000,1500] closed
                .pipe("input", "b", "4", 3900)
                .pipe("input", "c", "5", 5000)      // b's session ends 3900, closes at 4900: emitted
                .pipe("input", "c", "6", 59000)     // c's session closed; same 60 s segment
                .pipe("input", "d", "7", 59500)
                .pipe("input", "d", "8", 185000)    // d's session [59500] closed, its segment dropped by this write
                .pipe("input", "e", "9", 190000));
    }

    static final String WINDOWED_AGGREGATION_EMIT_INTERVAL = "__emit.interval.ms.kstreams.windowed.aggregation__";

    /**
     * onWindowClose results are looked for at most once per emit interval of wall-clock time (1000 ms in a running
     * application; TopologyTestDriver sets 0): shouldEmitFinal compares context.currentSystemTimeMs() (the wall clock
     * when the record is processed) with nextTimeToEmit (starting at 0) after the record is aggregated, and on passing
     * sets nextTimeToEmit = now + interval even when no window closed.
     */
    private static void registerEmitIntervals(List<Case> all) {
        all.add(Case.of("window-emit-on-window-close-emit-interval",
                        "tumbling 1000 no grace count onWindowClose (retention 10000) with the application's 1000 ms emit interval: closed windows wait for a record processed 1000 ms of wall clock after the last check")
                .config(WINDOWED_AGGREGATION_EMIT_INTERVAL, "1000")
                .input("input", STRING, STRING).output("trace", STRING, STRING).output("output", Codec.timeWindowedString(1000), LONG)
                .topology(b -> JoinCases.traced(b, "input")
                        .groupByKey(SS_GROUPED)
                        .windowedBy(TimeWindows.ofSizeWithNoGrace(ms(1000)))
                        .emitStrategy(EmitStrategy.onWindowClose())
                        .count(M.win(Serdes.String(), Serdes.Long()).withRetention(ms(10000)))
                        .toStream().to("output", timeWindowedLong(1000)))
                .pipe("input", "a", "1", 0)         // wall clock 0: checked (nothing closed), next check at 1000
                .pipe("input", "a", "2", 1000)
                .pipe("input", "b", "3", 2000)
                .advance(1000)
                .pipe("input", "a", "4", 2500)      // wall clock 1000: [0,1000) and [1000,2000) out
                .pipe("input", "a", "5", 3500)
                .advance(500)
                .pipe("input", "b", "6", 4000)
                .advance(500)
                .pipe("input", null, "7", 4050)     // null key: dropped before the check
                .pipe("input", "b", "8", 3000)      // late: checked all the same
                .advance(1000)
                .pipe("input", "b", "9", 4100)
                .advance(5000)
                .pipe("input", "c", "10", 9000));

        all.add(Case.of("window-sliding-emit-on-window-close-emit-interval",
                        "sliding windows (1000, no grace) count onWindowClose (retention 10000) with the application's 1000 ms emit interval")
                .config(WINDOWED_AGGREGATION_EMIT_INTERVAL, "1000")
                .input("input", STRING, STRING).output("trace", STRING, STRING).output("output", Codec.timeWindowedString(1000), LONG)
                .topology(b -> JoinCases.traced(b, "input")
                        .groupByKey(SS_GROUPED)
                        .windowedBy(SlidingWindows.ofTimeDifferenceWithNoGrace(ms(1000)))
                        .emitStrategy(EmitStrategy.onWindowClose())
                        .count(M.win(Serdes.String(), Serdes.Long()).withRetention(ms(10000)))
                        .toStream().to("output", timeWindowedLong(1000)))
                .pipe("input", "a", "1", 500)       // early record (< time difference): no check
                .pipe("input", "a", "2", 1500)      // wall clock 0: checked
                .pipe("input", "a", "3", 3000)
                .advance(1000)
                .pipe("input", "b", "4", 4000)      // wall clock 1000
                .pipe("input", "b", "5", 5500)
                .advance(2000)
                .pipe("input", "a", "6", 1000)      // late: dropped before the check
                .pipe("input", "c", "7", 7000)      // wall clock 3000
                .advance(1000)
                .pipe("input", "c", "8", 9000));

        all.add(Case.of("window-session-emit-on-window-close-emit-interval",
                        "session windows gap 1000 no grace count onWindowClose with the application's 1000 ms emit interval")
                .config(WINDOWED_AGGREGATION_EMIT_INTERVAL, "1000")
                .input("input", STRING, STRING).output("trace", STRING, STRING).output("output", Codec.sessionWindowedString(), LONG)
                .topology(b -> JoinCases.traced(b, "input")
                        .groupByKey(SS_GROUPED)
                        .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(ms(1000)))
                        .emitStrategy(EmitStrategy.onWindowClose())
                        .count(M.session(Serdes.String(), Serdes.Long()))
                        .toStream().to("output", sessionWindowedLong()))
                .pipe("input", "a", "1", 0)
                .pipe("input", "b", "2", 500)
                .pipe("input", "a", "3", 3000)      // a's and b's sessions closed; wall clock 0, checked at the first record
                .advance(1000)
                .pipe("input", "c", "4", 3100)      // wall clock 1000
                .pipe("input", "c", "5", 5000)
                .advance(999)
                .pipe("input", "d", "6", 5100)
                .advance(1)
                .pipe("input", "d", "7", 5200)      // wall clock 2000
                .advance(1000)
                .pipe("input", "e", "8", 9000));
    }
}
