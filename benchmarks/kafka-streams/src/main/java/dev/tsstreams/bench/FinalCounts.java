package dev.tsstreams.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Mode `final-counts`: the suite's check of a count topic (W5, W6, W6H; benchmarks/src/run-checks.ts). Reads every
 * partition of `topic` from its start to the end offset it has now (assigned, no group; the run that wrote it has
 * closed), keeps the last count per key (the key's bytes, windowed or not; the value a big-endian long) and prints
 * their sum and the records read. Here rather than in Node: W6H's output is millions of records, which Kafka's Java
 * consumer reads several times faster than the suite's Node process.
 */
final class FinalCounts {
    private static final long STALL_MS = 60_000;

    private FinalCounts() {
    }

    static void run(final Args a) {
        final String topic = a.string("topic");
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, a.string("brokers"));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-final-counts");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        final Map<String, Long> last = new HashMap<>();
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final PartitionInfo info : consumer.partitionsFor(topic)) partitions.add(new TopicPartition(topic, info.partition()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            final Set<TopicPartition> remaining = new HashSet<>();
            for (final TopicPartition tp : partitions) if (ends.get(tp) > consumer.position(tp)) remaining.add(tp);
            long movedAt = System.nanoTime();
            while (!remaining.isEmpty()) {
                final var batch = consumer.poll(Duration.ofMillis(100));
                if (!batch.isEmpty()) movedAt = System.nanoTime();
                else if ((System.nanoTime() - movedAt) / 1_000_000 > STALL_MS) {
                    throw new IllegalStateException("final-counts: reading " + topic + " stalled for " + STALL_MS / 1000 + " s with " + remaining + " not read to their end");
                }
                for (final ConsumerRecord<byte[], byte[]> r : batch) {
                    last.put(new String(r.key(), StandardCharsets.ISO_8859_1), bigEndianLong(r.value()));
                    read++;
                }
                remaining.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
            }
        }
        long sum = 0;
        for (final long v : last.values()) sum += v;
        new Result().put("sum", sum).put("records", read).put("keys", (long) last.size()).print();
    }

    private static long bigEndianLong(final byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[i] & 0xff);
        return v;
    }
}
