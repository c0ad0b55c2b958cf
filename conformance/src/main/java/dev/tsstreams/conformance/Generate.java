package dev.tsstreams.conformance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Entry point: {@code Generate <cases-dir> [name-filter]} regenerates every case JSON and deletes stale ones. */
public final class Generate {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "conformance/cases");
        String only = args.length > 1 ? args[1] : null;
        Files.createDirectories(out);
        List<Case> cases = Registry.all();
        // CONFORMANCE_CACHE_MAX_BYTES=N: generate every case that runs without a record cache (the default, "0")
        // with an N-byte cache instead (the caching-on variant of the suite, conformance/cases-cached).
        String cache = System.getenv("CONFORMANCE_CACHE_MAX_BYTES");
        if (cache != null) {
            for (Case c : cases) if ("0".equals(c.config.get(Case.CACHE_KEY))) c.config(Case.CACHE_KEY, cache);
        }
        Set<String> names = new HashSet<>();
        for (Case c : cases) {
            if (!names.add(c.name)) throw new IllegalStateException("duplicate case name " + c.name);
        }
        Path stateDir = Files.createTempDirectory("ts-streams-conformance");
        int n = 0;
        // Cases are independent (own driver, own state dir); run a few at a time, write in registry order.
        int threads = Integer.parseInt(System.getenv().getOrDefault("CONFORMANCE_THREADS", String.valueOf(Runtime.getRuntime().availableProcessors())));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            List<Case> selected = new java.util.ArrayList<>();
            for (Case c : cases) {
                if (only != null && !c.name.contains(only)) continue;
                selected.add(c);
                results.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    try {
                        return Json.write(Runner.run(c, stateDir.resolve(c.name)));
                    } catch (Exception | Error e) {
                        throw new RuntimeException("case " + c.name + " failed", e);
                    } finally {
                        if (System.getenv("CONFORMANCE_VERBOSE") != null) {
                            System.err.printf("%-50s %6d ms%n", c.name, (System.nanoTime() - t0) / 1_000_000);
                        }
                    }
                }));
            }
            for (int i = 0; i < selected.size(); i++) {
                String json;
                try {
                    json = results.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new RuntimeException(e.getCause());
                }
                Path file = out.resolve(selected.get(i).name + ".json");
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
                    Files.write(file, bytes);
                }
                n++;
            }
        } finally {
            pool.shutdownNow();
            Runner.deleteRecursively(stateDir);
        }
        if (only == null) {
            try (var s = Files.list(out)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String f = p.getFileName().toString();
                    if (f.endsWith(".json") && !names.contains(f.substring(0, f.length() - 5))) {
                        Files.delete(p);
                        System.err.println("deleted stale " + p);
                    }
                }
            }
        }
        System.err.println("generated " + n + " conformance case(s) into " + out);
    }
}
