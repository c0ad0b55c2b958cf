package dev.tsstreams.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Modes `consume` and `consume-produce`: Kafka's Java consumer reads every partition of the input from the start
 * (assigned, no group: SimpleBenchmark's consume), 1,000 records per poll as the Streams runs; `consume-produce`
 * also writes each record to the output topic and waits for every acknowledgement. The broker's own ceiling.
 */
final class RawConsumer {
    private static final long STALL_MS = 60_000;

    private RawConsumer() {
    }

    static void run(final Args a, final boolean produce) {
        final String brokers = a.string("brokers");
        final String topic = a.string("input");
        final long records = a.number("records");
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-consume");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        final long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        final Phase phase = new Phase();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        long count = 0;
        long firstRecordAt = 0;
        long assignedAt;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
             KafkaProducer<byte[], byte[]> producer = produce ? new KafkaProducer<>(RawProducer.producerProps(brokers, "bench-consume-produce")) : null) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final PartitionInfo info : consumer.partitionsFor(topic)) partitions.add(new TopicPartition(topic, info.partition()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final String output = produce ? a.string("output") : null;
            if (producer != null) producer.partitionsFor(output);
            assignedAt = System.currentTimeMillis();
            phase.begin();
            long movedAt = System.nanoTime();
            while (count < records) {
                final ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (batch.isEmpty()) {
                    if ((System.nanoTime() - movedAt) / 1_000_000 > STALL_MS) {
                        throw new IllegalStateException("consume: stalled at " + count + " of " + records + " records for " + STALL_MS / 1000 + " s");
                    }
                    continue;
                }
                if (firstRecordAt == 0) firstRecordAt = System.currentTimeMillis();
                movedAt = System.nanoTime();
                if (producer == null) {
                    count += batch.count();
                } else {
                    for (final ConsumerRecord<byte[], byte[]> r : batch) {
                        producer.send(new ProducerRecord<>(output, null, r.timestamp(), r.key(), r.value()), (md, e) -> {
                            if (e != null) failure.compareAndSet(null, e);
                        });
                        count++;
                    }
                    if (failure.get() != null) throw new IllegalStateException("consume-produce: producing failed: " + failure.get(), failure.get());
                }
            }
            if (producer != null) producer.flush();
            if (failure.get() != null) throw new IllegalStateException("consume-produce: producing failed: " + failure.get(), failure.get());
            phase.end();
        }
        phase.closed();
        phase.result("java-client", a.string("workload"), "", count, assignedAt - jvmStart, firstRecordAt).print();
    }
}
