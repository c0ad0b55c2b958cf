package dev.tsstreams.bench;

import java.util.HashMap;
import java.util.Map;

/** `<mode> --name value …`, as benchmarks/src/java-bench.ts passes them. */
final class Args {
    final String mode;
    private final Map<String, String> values = new HashMap<>();

    Args(final String[] argv) {
        if (argv.length == 0) {
            throw new IllegalArgumentException("usage: Main <produce|consume|consume-produce|streams|join-pairs> --name value …");
        }
        mode = argv[0];
        for (int i = 1; i < argv.length; i += 2) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected '--name value' pairs after the mode, got '" + argv[i] + "'");
            }
            values.put(argv[i].substring(2), argv[i + 1]);
        }
    }

    String string(final String name) {
        final String v = values.get(name);
        if (v == null) throw new IllegalArgumentException("missing --" + name + " for mode " + mode);
        return v;
    }

    String string(final String name, final String fallback) {
        return values.getOrDefault(name, fallback);
    }

    long number(final String name) {
        return Long.parseLong(string(name));
    }

    long number(final String name, final long fallback) {
        final String v = values.get(name);
        return v == null ? fallback : Long.parseLong(v);
    }

    double decimal(final String name, final double fallback) {
        final String v = values.get(name);
        return v == null ? fallback : Double.parseDouble(v);
    }
}
