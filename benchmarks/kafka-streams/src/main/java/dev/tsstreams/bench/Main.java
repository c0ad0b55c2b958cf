package dev.tsstreams.bench;

/**
 * The Java side of the benchmark suite (benchmarks/src/java-bench.ts runs it, one mode per JVM):
 *   produce          write generated records to a topic (loading the input; measured, the Java producer's ceiling)
 *   consume          the Java consumer reading a topic from the start (the consume ceiling)
 *   consume-produce  the same, writing each record to an output topic
 *   streams          one run of a workload (W1–W8) on Kafka Streams 4.4.0
 *   join-pairs       the number of records W8 must emit for two generated inputs
 *   paced            write records at a given rate, timestamped when sent (the latency phase's input)
 *   final-counts     the sum of a count topic's last count per key (the suite's check of W5, W6, W6H)
 *   serve            runs one of the modes above per line of stdin, one after another in this JVM (the suite's smoke
 *                    run: a JVM start per run would make it minutes long), until stdin ends
 * Each prints one `RESULT {json}` line on stdout, or fails with the reason on stderr and exit status 1 (serve: a
 * `FAILED reason` line, and goes on to the next).
 */
public final class Main {
    private Main() {
    }

    public static void main(final String[] argv) {
        try {
            final Args a = new Args(argv);
            if (a.mode.equals("serve")) Serve.run();
            else run(a);
        } catch (final Throwable e) {
            System.err.println(e.getMessage() == null ? e.toString() : e.getMessage());
            if (System.getenv("BENCH_VERBOSE") != null) e.printStackTrace();
            System.exit(1);
        }
        // Kafka's clients leave non-daemon threads for a moment after close: the harness waits on this exit.
        System.exit(0);
    }

    static void run(final Args a) throws InterruptedException {
        switch (a.mode) {
            case "produce" -> RawProducer.run(a);
            case "paced" -> PacedProducer.run(a);
            case "consume" -> RawConsumer.run(a, false);
            case "consume-produce" -> RawConsumer.run(a, true);
            case "streams" -> StreamsRun.run(a);
            case "join-pairs" -> JoinPairs.run(a);
            case "final-counts" -> FinalCounts.run(a);
            default -> throw new IllegalArgumentException("unknown mode '" + a.mode + "': produce, consume, consume-produce, streams, join-pairs, paced, final-counts, serve");
        }
    }
}
