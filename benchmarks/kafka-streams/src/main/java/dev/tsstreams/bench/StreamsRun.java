package dev.tsstreams.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * Mode `streams`: one measured run of a workload on Kafka Streams, in its own JVM (so that its CPU seconds and peak
 * RSS are its own), with SimpleBenchmark's settings: 1 stream thread, at-least-once, 30 s commits, a 10 MiB cache,
 * 1,000 records per poll; a fresh application id and state directory (given). The measured phase runs from RUNNING
 * (partitions assigned, stores ready) until the stream thread has processed every input record (its process-total
 * metric, read every 5 ms), as the ts-streams runs measure theirs; the close after it (final commit: caches flushed,
 * outputs acknowledged, offsets committed) is timed apart.
 */
final class StreamsRun {
    private static final long POLL_MS = 5;
    private static final long STALL_MS = 60_000;

    private StreamsRun() {
    }

    static void run(final Args a) throws InterruptedException {
        final String workload = a.string("workload");
        final String applicationId = a.string("application-id");
        final long expected = a.number("records");
        final Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, a.string("brokers"));
        p.put(StreamsConfig.STATE_DIR_CONFIG, a.string("state-dir"));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 30_000);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 10L * 1024 * 1024);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 1000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        final Workloads.Counters counters = new Workloads.Counters();
        final KafkaStreams streams = new KafkaStreams(
            Workloads.build(workload, a.string("input"), a.string("input2", "none"), a.string("output", "none"), counters), p);
        final AtomicLong runningAt = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Phase phase = new Phase();
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING && runningAt.get() == 0) {
                phase.begin();
                runningAt.set(System.currentTimeMillis());
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        final long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        streams.start();
        long processed = 0;
        long firstRecordAt = 0;
        long movedAt = System.nanoTime();
        Metric processTotal = null;
        while (processed < expected) {
            final KafkaStreams.State state = streams.state();
            if (failure.get() != null || (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING && state != KafkaStreams.State.CREATED)) {
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException(workload + ": the app stopped (" + streams.state() + ") after " + processed + " of " + expected + " records: " + failure.get(), failure.get());
            }
            if ((System.nanoTime() - movedAt) / 1_000_000 > STALL_MS) {
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException(workload + ": stalled at " + processed + " of " + expected + " records for " + STALL_MS / 1000 + " s (state " + streams.state() + ")");
            }
            Thread.sleep(POLL_MS);
            if (processTotal == null) processTotal = threadMetric(streams.metrics(), "process-total");
            final long now = processTotal == null ? 0 : (long) (double) (Double) processTotal.metricValue();
            if (now != processed) {
                if (firstRecordAt == 0) firstRecordAt = System.currentTimeMillis();
                processed = now;
                movedAt = System.nanoTime();
            }
        }
        phase.end();
        final long dropped = droppedRecords(streams.metrics());
        if (!streams.close(Duration.ofSeconds(60))) {
            throw new IllegalStateException(workload + ": the close did not finish in 60 s; its threads: " + threadsOf(applicationId));
        }
        phase.closed();
        if (failure.get() != null) throw new IllegalStateException(workload + ": the close failed: " + failure.get(), failure.get());
        phase.result("kafka-streams", workload, applicationId, processed, runningAt.get() - jvmStart, firstRecordAt)
            .put("dropped", dropped)
            .put("matched", counters.matched)
            .print();
    }

    /** Where the app's threads (named after its application id) stand: what a close that hangs waits on. */
    private static String threadsOf(final String applicationId) {
        final StringBuilder b = new StringBuilder();
        for (final Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (!e.getKey().getName().contains(applicationId)) continue;
            b.append('[').append(e.getKey().getName()).append(' ').append(e.getKey().getState()).append(':');
            final StackTraceElement[] stack = e.getValue();
            for (int i = 0; i < Math.min(12, stack.length); i++) b.append(" at ").append(stack[i]);
            b.append("] ");
        }
        return b.length() == 0 ? "none left" : b.toString().trim();
    }

    /** The stream thread's metric `name` (stream-thread-metrics): there is one thread. */
    private static Metric threadMetric(final Map<MetricName, ? extends Metric> metrics, final String name) {
        for (final Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            if (e.getKey().group().equals("stream-thread-metrics") && e.getKey().name().equals(name)) return e.getValue();
        }
        return null;
    }

    /** Records the tasks dropped (late, unreadable, …): the sum of their dropped-records-total. */
    private static long droppedRecords(final Map<MetricName, ? extends Metric> metrics) {
        double sum = 0;
        for (final Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            if (e.getKey().group().equals("stream-task-metrics") && e.getKey().name().equals("dropped-records-total")) {
                sum += (Double) e.getValue().metricValue();
            }
        }
        return (long) sum;
    }
}
