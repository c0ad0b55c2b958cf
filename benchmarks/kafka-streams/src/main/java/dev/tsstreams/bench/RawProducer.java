package dev.tsstreams.bench;

import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Mode `produce`: writes an InputShape to a topic with Kafka's Java producer (idempotent, acks=all, the default
 * partitioner: murmur2 of the key bytes, as ts-streams' sinks) and reports it as a run. It loads the suite's input
 * topics, and measured on a scratch topic it is the broker's produce ceiling.
 */
final class RawProducer {
    private RawProducer() {
    }

    static Properties producerProps(final String brokers, final String clientId) {
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // SimpleBenchmark's batch size; a short linger (its 5 s only waits for the batch to fill)
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    static void run(final Args a) {
        final String topic = a.string("topic");
        final InputShape shape = new InputShape(a);
        final KeyGenerator keys = shape.keyGenerator();
        final byte[][] keyBytes = shape.keyBytes();
        final byte[] value = new byte[shape.valueBytes];
        new SplittableRandom(shape.seed).nextBytes(value);
        final AtomicLong acked = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Phase phase = new Phase();
        final long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long firstRecordAt = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(a.string("brokers"), "bench-produce"))) {
            producer.partitionsFor(topic); // metadata first: the measured phase is sending
            phase.begin();
            firstRecordAt = System.currentTimeMillis();
            for (long i = 0; i < shape.records; i++) {
                if (failure.get() != null) break;
                producer.send(new ProducerRecord<>(topic, null, shape.timestamp(i), keyBytes[keys.next()], value), (md, e) -> {
                    if (e != null) failure.compareAndSet(null, e);
                    else acked.incrementAndGet();
                });
            }
            producer.flush();
            phase.end();
        }
        phase.closed();
        if (failure.get() != null) {
            throw new IllegalStateException("producing to " + topic + " failed after " + acked.get() + " records: " + failure.get(), failure.get());
        }
        phase.result("java-client", a.string("workload", "produce"), "", acked.get(), firstRecordAt - jvmStart, firstRecordAt).print();
    }
}
