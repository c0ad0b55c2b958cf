package dev.tsstreams.bench;

/**
 * A measured phase of a run: wall time, the process's CPU time and GC time from begin() to end(), then to closed()
 * (the close after it: final commit, flushes, leaving the group), as the Node side's runs measure theirs.
 */
final class Phase {
    private long startNanos;
    private long startCpu;
    private long[] startGc;
    private long endNanos;
    private long endEpochMs;
    private long endCpu;
    private long[] endGc;
    private long closedNanos;
    private long closedCpu;

    synchronized void begin() {
        startNanos = System.nanoTime();
        startCpu = ProcessStats.cpuNanos();
        startGc = ProcessStats.gcMillis();
    }

    synchronized void end() {
        endNanos = System.nanoTime();
        endEpochMs = System.currentTimeMillis();
        endCpu = ProcessStats.cpuNanos();
        endGc = ProcessStats.gcMillis();
    }

    synchronized void closed() {
        closedNanos = System.nanoTime();
        closedCpu = ProcessStats.cpuNanos();
    }

    /** The fields every run reports (RunResult in benchmarks/src/bench-run-result.ts). */
    synchronized Result result(final String system, final String workload, final String applicationId, final long processed,
                  final long startMs, final long firstRecordAtEpochMs) {
        return new Result()
            .put("system", system)
            .put("workload", workload)
            .put("applicationId", applicationId)
            .put("processed", processed)
            .put("dropped", 0L)
            .put("startMs", startMs)
            .put("firstRecordAtEpochMs", firstRecordAtEpochMs)
            .put("processMs", (endNanos - startNanos) / 1e6)
            .put("processedAtEpochMs", endEpochMs)
            .put("closeMs", (closedNanos - endNanos) / 1e6)
            .put("cpuSeconds", (endCpu - startCpu) / 1e9)
            .put("cpuSecondsWithClose", (closedCpu - startCpu) / 1e9)
            .put("maxRssBytes", ProcessStats.maxRssBytes())
            .put("pendingAtProcessed", 0L)
            .put("gcMs", new Result().put("minor", endGc[0] - startGc[0]).put("major", endGc[1] - startGc[1]));
    }
}
