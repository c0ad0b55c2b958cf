package dev.tsstreams.bench;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.WindowedSerdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The suite's workloads on Kafka Streams, as benchmarks/src/kafka-workloads.ts builds them on ts-streams (the same
 * topologies, serdes, windows and stores; a change to one is a change to both). Keys are integer strings, values
 * opaque bytes (SimpleBenchmark's ByteArray values: no value serde work).
 */
final class Workloads {
    private static final Serde<String> KEYS = Serdes.String();
    private static final Serde<byte[]> VALUES = Serdes.ByteArray();

    /** What the topologies count as they run (read after the close, which joins the stream thread). */
    static final class Counters {
        long peeked;
        long matched;
    }

    private Workloads() {
    }

    static Topology build(final String id, final String input, final String input2, final String output, final Counters c) {
        final StreamsBuilder b = new StreamsBuilder();
        final KStream<String, byte[]> in = b.stream(input, Consumed.with(KEYS, VALUES));
        switch (id) {
            case "W1" -> in.peek((k, v) -> c.peeked++);
            case "W2" -> in.to(output, Produced.with(KEYS, VALUES));
            case "W3" -> {
                // SimpleBenchmark's streamprocesswithstatestore: a cached, logged RocksDB store, get then put per record
                b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("store"), KEYS, VALUES).withCachingEnabled());
                in.process(() -> new Processor<String, byte[], Void, Void>() {
                    private KeyValueStore<String, byte[]> store;

                    @Override
                    public void init(final ProcessorContext<Void, Void> context) {
                        store = context.getStateStore("store");
                    }

                    @Override
                    public void process(final Record<String, byte[]> r) {
                        store.get(r.key());
                        store.put(r.key(), r.value());
                    }
                }, "store");
            }
            case "W4" -> {
                // SimpleBenchmark's streamprocesswithwindowstore (1 s windows kept 3 s), fetching the record's own key
                // over ±1 s: its key range (key ± 10) has no meaning over integer-string keys
                b.addStateStore(Stores.windowStoreBuilder(
                    Stores.persistentWindowStore("store", Duration.ofSeconds(3), Duration.ofSeconds(1), false), KEYS, VALUES).withCachingEnabled());
                in.process(() -> new Processor<String, byte[], Void, Void>() {
                    private WindowStore<String, byte[]> store;

                    @Override
                    public void init(final ProcessorContext<Void, Void> context) {
                        store = context.getStateStore("store");
                    }

                    @Override
                    public void process(final Record<String, byte[]> r) {
                        final long t = r.timestamp();
                        try (WindowStoreIterator<byte[]> it = store.fetch(r.key(), t - 1000, t + 1000)) {
                            while (it.hasNext()) it.next();
                        }
                        store.put(r.key(), r.value(), t);
                    }
                }, "store");
            }
            case "W5" -> in.groupByKey(Grouped.with(KEYS, VALUES)).count().toStream().to(output, Produced.with(KEYS, Serdes.Long()));
            case "W6" -> in.groupByKey(Grouped.with(KEYS, VALUES))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(5), Duration.ofMinutes(1)))
                .count().toStream()
                .to(output, Produced.with(WindowedSerdes.timeWindowedSerdeFrom(String.class, Duration.ofMinutes(5).toMillis()), Serdes.Long()));
            case "W6H" -> in.groupByKey(Grouped.with(KEYS, VALUES))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofSeconds(1), Duration.ofMinutes(1)).advanceBy(Duration.ofMillis(500)))
                .count().toStream()
                .to(output, Produced.with(WindowedSerdes.timeWindowedSerdeFrom(String.class, 1000L), Serdes.Long()));
            case "W7" -> {
                // order enrichment: each order's key is in the preloaded table; the joiner counts the matches
                final KTable<String, byte[]> table = b.table(input2, Consumed.with(KEYS, VALUES));
                in.leftJoin(table, (order, row) -> {
                    if (row != null) c.matched++;
                    return order;
                }).to(output, Produced.with(KEYS, VALUES));
            }
            case "W8" -> {
                final KStream<String, byte[]> other = b.stream(input2, Consumed.with(KEYS, VALUES));
                in.join(other, (left, right) -> left,
                    JoinWindows.ofTimeDifferenceAndGrace(Duration.ofSeconds(10), Duration.ofMinutes(1)),
                    StreamJoined.with(KEYS, VALUES, VALUES)).to(output, Produced.with(KEYS, VALUES));
            }
            default -> throw new IllegalArgumentException("unknown workload '" + id + "': W1 W2 W3 W4 W5 W6 W6H W7 W8");
        }
        return b.build();
    }
}
