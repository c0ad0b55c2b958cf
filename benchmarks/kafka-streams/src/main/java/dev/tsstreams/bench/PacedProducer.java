package dev.tsstreams.bench;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Mode `paced`: the latency phase's input (benchmarks/src/latency-run.ts). Writes `records` records to `topic` at
 * `rate` records/s, each timestamped with the wall clock when it is sent (its latency is the output's arrival minus
 * this), keys as the suite's input (uniform or Zipf over `keys`); with `topic2` (W8's other stream) every second record
 * is also written there, its key drawn apart, as the loaded input's half-sized second stream. The Java producer as it
 * loads the input (idempotent, acks=all, 5 ms linger: a record waits at most that long in it).
 */
final class PacedProducer {
    private PacedProducer() {
    }

    static void run(final Args a) {
        final String topic = a.string("topic");
        final String topic2 = a.string("topic2", null);
        final long records = a.number("records");
        final double rate = a.decimal("rate", 0);
        if (rate <= 0) throw new IllegalArgumentException("paced: --rate must be a positive number of records per second");
        final InputShape shape = new InputShape(a);
        final KeyGenerator keys = shape.keyGenerator();
        final KeyGenerator keys2 = new KeyGenerator(shape.keys, shape.skew, shape.seed + 1, false);
        final byte[][] keyBytes = shape.keyBytes();
        final byte[] value = new byte[shape.valueBytes];
        new SplittableRandom(shape.seed).nextBytes(value);
        final AtomicLong acked = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Phase phase = new Phase();
        long sent = 0;
        long firstRecordAt = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(RawProducer.producerProps(a.string("brokers"), "bench-paced"))) {
            producer.partitionsFor(topic);
            if (topic2 != null) producer.partitionsFor(topic2);
            phase.begin();
            firstRecordAt = System.currentTimeMillis();
            final long start = System.nanoTime();
            for (long i = 0; i < records && failure.get() == null; i++) {
                // Record i is due at start + i / rate: sent then (not in bursts), or at once when behind.
                final long due = start + (long) (i * 1e9 / rate);
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) LockSupport.parkNanos(wait);
                final long now = System.currentTimeMillis();
                producer.send(new ProducerRecord<>(topic, null, now, keyBytes[keys.next()], value), (md, e) -> {
                    if (e != null) failure.compareAndSet(null, e);
                    else acked.incrementAndGet();
                });
                sent++;
                if (topic2 != null && i % 2 == 0) {
                    producer.send(new ProducerRecord<>(topic2, null, now, keyBytes[keys2.next()], value), (md, e) -> {
                        if (e != null) failure.compareAndSet(null, e);
                        else acked.incrementAndGet();
                    });
                    sent++;
                }
            }
            producer.flush();
            phase.end();
        }
        phase.closed();
        if (failure.get() != null) throw new IllegalStateException("paced: producing failed after " + acked.get() + " records: " + failure.get(), failure.get());
        phase.result("java-client", a.string("workload", "paced"), "", acked.get(), 0, firstRecordAt).put("sent", sent).print();
    }
}
