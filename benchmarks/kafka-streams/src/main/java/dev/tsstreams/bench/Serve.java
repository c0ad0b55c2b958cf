package dev.tsstreams.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Mode `serve`: the runs of the suite's smoke run (benchmarks/src/java-bench.ts's JavaWorker) in this one JVM, one
 * after another: each line of stdin is a mode and its `--name value` arguments, tab-separated; each answers with the
 * mode's `RESULT {json}` line, or `FAILED reason` on one line, then the next line is read. CPU seconds, peak RSS and
 * start-up are the JVM's so far, not a run's: a smoke run checks outputs, it measures nothing.
 */
final class Serve {
    private Serve() {
    }

    static void run() throws IOException {
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) continue;
            try {
                Main.run(new Args(line.split("\\t")));
            } catch (final Throwable e) {
                if (System.getenv("BENCH_VERBOSE") != null) e.printStackTrace();
                final String reason = e.getMessage() == null ? e.toString() : e.getMessage();
                System.out.println("FAILED " + reason.replace('\n', ' ').replace('\r', ' '));
                System.out.flush();
            }
        }
    }
}
