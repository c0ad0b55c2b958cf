package dev.tsstreams.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the harness reports of a run's own process: CPU seconds (all threads, GC and JIT included), peak RSS, GC time. */
final class ProcessStats {
    private static final com.sun.management.OperatingSystemMXBean OS =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessStats() {
    }

    /** CPU time of the process (user + system, every thread), nanoseconds. */
    static long cpuNanos() {
        return OS.getProcessCpuTime();
    }

    /** Peak resident set size (Linux's VmHWM, as Node's resourceUsage().maxRSS), bytes; -1 where /proc is missing. */
    static long maxRssBytes() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (final IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Time spent in collections so far, ms: [young, old and mixed] (G1's names; others count as old). */
    static long[] gcMillis() {
        long young = 0;
        long old = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            final long t = Math.max(0, gc.getCollectionTime());
            if (gc.getName().contains("Young")) young += t;
            else old += t;
        }
        return new long[] {young, old};
    }
}
