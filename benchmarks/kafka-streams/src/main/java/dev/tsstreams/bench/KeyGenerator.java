package dev.tsstreams.bench;

import java.util.SplittableRandom;

/**
 * The input's keys: integers over [0, keys), uniform (skew 0) or Zipf-distributed with exponent `skew` (key 0 the
 * most frequent), or each key in turn (`sequential`: the stream-table join's table). Seeded, so that the expected
 * outcome of a run (the stream-stream join's pairs) can be computed again from the same arguments. Zipf by inverse
 * CDF (a binary search over the cumulative weights): SimpleBenchmark's rejection sampling draws ~keys times per key.
 */
final class KeyGenerator {
    private final int keys;
    private final boolean sequential;
    private final SplittableRandom random;
    private final double[] cumulative;
    private int nextSequential = 0;

    KeyGenerator(final int keys, final double skew, final long seed, final boolean sequential) {
        if (keys < 1) throw new IllegalArgumentException("keys must be >= 1, got " + keys);
        this.keys = keys;
        this.sequential = sequential;
        this.random = new SplittableRandom(seed);
        if (skew > 0 && !sequential) {
            cumulative = new double[keys];
            double sum = 0;
            for (int rank = 1; rank <= keys; rank++) {
                sum += 1.0 / Math.pow(rank, skew);
                cumulative[rank - 1] = sum;
            }
            for (int i = 0; i < keys; i++) cumulative[i] /= sum;
        } else {
            cumulative = null;
        }
    }

    int next() {
        if (sequential) {
            final int k = nextSequential;
            nextSequential = (nextSequential + 1) % keys;
            return k;
        }
        if (cumulative == null) return random.nextInt(keys);
        final double u = random.nextDouble();
        int lo = 0;
        int hi = keys - 1;
        while (lo < hi) {
            final int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
