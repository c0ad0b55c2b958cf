package dev.tsstreams.bench;

import java.nio.charset.StandardCharsets;

/**
 * One topic's generated records: record i has key keys.next() (an integer string) and timestamp
 * timestampBase + i * timestampStep; every value is the same valueBytes random bytes (SimpleBenchmark's shape:
 * random, so that nothing on the way compresses them away).
 */
final class InputShape {
    final long records;
    final int keys;
    final double skew;
    final long seed;
    final boolean sequential;
    final long timestampBase;
    final long timestampStep;
    final int valueBytes;

    InputShape(final Args a) {
        records = a.number("records");
        keys = (int) a.number("keys");
        skew = a.decimal("skew", 0);
        seed = a.number("seed", 1);
        sequential = a.string("key-order", "random").equals("sequential");
        timestampBase = a.number("timestamp-base");
        timestampStep = a.number("timestamp-step", 1);
        valueBytes = (int) a.number("value-bytes", 100);
    }

    KeyGenerator keyGenerator() {
        return new KeyGenerator(keys, skew, seed, sequential);
    }

    /** The keys' bytes (StringSerializer's UTF-8), made once: the loader sends bytes. */
    byte[][] keyBytes() {
        final byte[][] bytes = new byte[keys][];
        for (int k = 0; k < keys; k++) bytes[k] = Integer.toString(k).getBytes(StandardCharsets.UTF_8);
        return bytes;
    }

    long timestamp(final long i) {
        return timestampBase + i * timestampStep;
    }
}
