package dev.tsstreams.bench;

/**
 * Mode `join-pairs`: how many records W8's stream-stream join must emit for two generated inputs (the left --…, the
 * right --…2 arguments, as `produce` was given them): per key, the pairs whose timestamps are at most --window-ms
 * apart. An inner join emits each such pair exactly once, whatever the order the two sides arrive in, as long as no
 * record is dropped as late (the runs process each task's partitions in timestamp order, and the grace is 1 minute).
 */
final class JoinPairs {
    private JoinPairs() {
    }

    static void run(final Args a) {
        final InputShape left = new InputShape(a);
        final long right = a.number("records2");
        final long seed2 = a.number("seed2");
        final long base2 = a.number("timestamp-base2");
        final long step2 = a.number("timestamp-step2");
        final long window = a.number("window-ms");
        final int keys = left.keys;
        final int[] leftStart = new int[keys + 1];
        final long[] leftTimes = bucket(left.keyGenerator(), left.records, left.timestampBase, left.timestampStep, leftStart);
        final int[] rightStart = new int[keys + 1];
        final long[] rightTimes = bucket(new KeyGenerator(keys, left.skew, seed2, false), right, base2, step2, rightStart);
        long pairs = 0;
        for (int k = 0; k < keys; k++) {
            int lo = rightStart[k];
            int hi = rightStart[k];
            for (int i = leftStart[k]; i < leftStart[k + 1]; i++) {
                final long t = leftTimes[i];
                while (lo < rightStart[k + 1] && rightTimes[lo] < t - window) lo++;
                if (hi < lo) hi = lo;
                while (hi < rightStart[k + 1] && rightTimes[hi] <= t + window) hi++;
                pairs += hi - lo;
            }
        }
        new Result().put("pairs", pairs).print();
    }

    /** The generated timestamps grouped by key (a counting sort: key k's are [start[k], start[k+1]), ascending). */
    private static long[] bucket(final KeyGenerator keys, final long records, final long base, final long step, final int[] start) {
        final int[] keyOf = new int[(int) records];
        for (int i = 0; i < records; i++) {
            keyOf[i] = keys.next();
            start[keyOf[i] + 1]++;
        }
        for (int k = 1; k < start.length; k++) start[k] += start[k - 1];
        final int[] fill = start.clone();
        final long[] times = new long[(int) records];
        for (int i = 0; i < records; i++) times[fill[keyOf[i]]++] = base + i * step;
        return times;
    }
}
