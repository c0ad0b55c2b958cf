package dev.tsstreams.conformance;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.tsstreams.conformance.Codec.LONG;
import static dev.tsstreams.conformance.Codec.STRING;
import static dev.tsstreams.conformance.StatelessCases.SS_IN;
import static dev.tsstreams.conformance.StatelessCases.SS_OUT;

/** KStream.process / processValues with state stores and punctuators (stream time and wall-clock time). */
final class ProcessCases {
    private ProcessCases() {}

    /**
     * Counts per key in "process-store" (no per-record output); a punctuator every 1000ms of the given type forwards
     * "count@punctuateTime" for every key in store order, with the punctuation timestamp as record timestamp.
     */
    static final class CountingPunctuator implements Processor<String, String, String, String> {
        private final PunctuationType type;
        private final boolean forwardEach;
        private KeyValueStore<String, Long> store;

        CountingPunctuator(PunctuationType type, boolean forwardEach) {
            this.type = type;
            this.forwardEach = forwardEach;
        }

        @Override
        public void init(ProcessorContext<String, String> ctx) {
            store = ctx.getStateStore("process-store");
            ctx.schedule(Duration.ofMillis(1000), type, ts -> {
                try (KeyValueIterator<String, Long> it = store.all()) {
                    while (it.hasNext()) {
                        KeyValue<String, Long> kv = it.next();
                        ctx.forward(new Record<>(kv.key, kv.value + "@" + ts, ts));
                    }
                }
            });
            this.ctx = ctx;
        }

        private ProcessorContext<String, String> ctx;

        @Override
        public void process(Record<String, String> r) {
            if (r.key() == null) return;
            Long old = store.get(r.key());
            long n = old == null ? 1 : old + 1;
            store.put(r.key(), n);
            if (forwardEach) ctx.forward(r.withValue("seen:" + n));
        }
    }

    static void register(List<Case> all) {
        all.add(Case.of("process-stream-time-punctuator",
                        "process() with a KV store and a STREAM_TIME punctuator (1000ms): fires on stream-time advance only, once per process call even if several intervals passed; wall clock ignored")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .store("process-store", STRING, LONG)
                .topology(b -> {
                    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("process-store"), Serdes.String(), Serdes.Long()));
                    b.stream("input", SS_IN)
                            .process(() -> new CountingPunctuator(PunctuationType.STREAM_TIME, true), "process-store")
                            .to("output", SS_OUT);
                })
                .pipe("input", "a", "1", 500)
                .pipe("input", "b", "2", 999)
                .pipe("input", "a", "3", 1000)       // first punctuation at 1000? (schedule starts at first stream time)
                .pipe("input", "c", "4", 1500)
                .pipe("input", "a", "5", 800)        // out of order: no punctuation
                .advance(10000)                       // wall clock: no effect on stream-time punctuator
                .pipe("input", "b", "6", 4700)       // jumps several intervals: one punctuation
                .pipe("input", "b", "7", 5000)
                .pipe("input", null, "8", 7000));

        all.add(Case.of("process-wall-clock-punctuator",
                        "process() with a WALL_CLOCK_TIME punctuator (1000ms): fires only on advanceWallClock, once per advance; punctuation timestamp is wall-clock time")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .store("process-store", STRING, LONG)
                .topology(b -> {
                    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("process-store"), Serdes.String(), Serdes.Long()));
                    b.stream("input", SS_IN)
                            .process(() -> new CountingPunctuator(PunctuationType.WALL_CLOCK_TIME, false), "process-store")
                            .to("output", SS_OUT);
                })
                .pipe("input", "a", "1", 100000)
                .pipe("input", "b", "2", 200000)
                .advance(999)
                .advance(1)
                .pipe("input", "a", "3", 5)
                .advance(5500)
                .advance(500)
                .pipe("input", "c", "4", 0)
                .advance(1000));

        all.add(Case.of("process-timestamps-headers",
                        "process() forwarding records with rewritten timestamps and added headers, one input -> two outputs, and a persistent store")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .store("last-store", STRING, STRING)
                .topology(b -> {
                    b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("last-store"), Serdes.String(), Serdes.String()));
                    b.stream("input", SS_IN)
                            .process(() -> new Processor<String, String, String, String>() {
                                private ProcessorContext<String, String> ctx;
                                private KeyValueStore<String, String> store;

                                @Override
                                public void init(ProcessorContext<String, String> c) {
                                    ctx = c;
                                    store = c.getStateStore("last-store");
                                }

                                @Override
                                public void process(Record<String, String> r) {
                                    String prev = r.key() == null ? null : store.get(r.key());
                                    if (r.key() != null) store.put(r.key(), r.value());
                                    Record<String, String> out = r.withValue(prev + "->" + r.value()).withTimestamp(r.timestamp() + 1);
                                    out.headers().add("prev", prev == null ? null : prev.getBytes(StandardCharsets.UTF_8));
                                    ctx.forward(out);
                                    ctx.forward(new Record<>(r.key(), "copy", 7L));
                                }
                            }, "last-store")
                            .to("output", SS_OUT);
                })
                .pipe("input", "a", "1", 100, "h", "x")
                .pipe("input", "a", "2", 50)
                .pipe("input", "a", null, 60)
                .pipe("input", null, "n", 70));

        all.add(Case.of("process-values-store",
                        "processValues (FixedKeyProcessor) keeping a running total per key in a store, forwarding the total as a Long")
                .input("input", STRING, LONG).output("output", STRING, LONG)
                .store("totals-store", STRING, LONG)
                .topology(b -> {
                    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("totals-store"), Serdes.String(), Serdes.Long()));
                    b.stream("input", org.apache.kafka.streams.kstream.Consumed.with(Serdes.String(), Serdes.Long()))
                            .processValues(() -> new FixedKeyProcessor<String, Long, Long>() {
                                private FixedKeyProcessorContext<String, Long> ctx;
                                private KeyValueStore<String, Long> store;

                                @Override
                                public void init(FixedKeyProcessorContext<String, Long> c) {
                                    ctx = c;
                                    store = c.getStateStore("totals-store");
                                }

                                @Override
                                public void process(FixedKeyRecord<String, Long> r) {
                                    if (r.key() == null || r.value() == null) return;
                                    Long old = store.get(r.key());
                                    long total = (old == null ? 0 : old) + r.value();
                                    store.put(r.key(), total);
                                    ctx.forward(r.withValue(total));
                                }
                            }, "totals-store")
                            .to("output", org.apache.kafka.streams.kstream.Produced.with(Serdes.String(), Serdes.Long()));
                })
                .pipe("input", "a", 5L, 1)
                .pipe("input", "b", -3L, 2)
                .pipe("input", "a", 10L, 3)
                .pipe("input", "b", null, 4)
                .pipe("input", "zz", 1L, 5));

        all.add(Case.of("process-punctuator-store-writes",
                        "a WALL_CLOCK_TIME punctuator writing and deleting in its store (changelog records stamped with the punctuation time) and forwarding to a step that writes and deletes in its own store (stamped with the forwarded record's timestamp)")
                .input("input", STRING, STRING).output("output", STRING, STRING)
                .store("tick-store", STRING, LONG).store("down-store", STRING, STRING)
                .topology(b -> {
                    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("tick-store"), Serdes.String(), Serdes.Long()));
                    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("down-store"), Serdes.String(), Serdes.String()));
                    b.stream("input", SS_IN)
                            .process(() -> new Processor<String, String, String, String>() {
                                private ProcessorContext<String, String> ctx;
                                private KeyValueStore<String, Long> store;

                                @Override
                                public void init(ProcessorContext<String, String> c) {
                                    ctx = c;
                                    store = c.getStateStore("tick-store");
                                    c.schedule(Duration.ofMillis(1000), PunctuationType.WALL_CLOCK_TIME, ts -> {
                                        store.put("tick", ts);
                                        store.delete("seen");
                                        ctx.forward(new Record<>("p", "v@" + ts, ts - 100));
                                        ctx.forward(new Record<String, String>("q", null, ts - 200));
                                    });
                                }

                                @Override
                                public void process(Record<String, String> r) {
                                    store.put("seen", r.timestamp());
                                    ctx.forward(r);
                                }
                            }, "tick-store")
                            .process(() -> new Processor<String, String, String, String>() {
                                private ProcessorContext<String, String> ctx;
                                private KeyValueStore<String, String> store;

                                @Override
                                public void init(ProcessorContext<String, String> c) {
                                    ctx = c;
                                    store = c.getStateStore("down-store");
                                }

                                @Override
                                public void process(Record<String, String> r) {
                                    if (r.key() == null) return;
                                    if (r.value() == null) store.delete(r.key());
                                    else store.put(r.key(), r.value());
                                    ctx.forward(r);
                                }
                            }, "down-store")
                            .to("output", SS_OUT);
                })
                .pipe("input", "q", "x", 500)
                .pipe("input", "a", "1", 100000)
                .advance(1000)
                .pipe("input", "b", "2", 50)
                .advance(1500));
    }
}
