package dev.tsstreams.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The one line a run prints on stdout for the harness: `RESULT {json}` (numbers, strings and nested results only). */
final class Result {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    Result put(final String name, final Object value) {
        fields.put(name, value);
        return this;
    }

    String toJson() {
        final StringBuilder b = new StringBuilder("{");
        for (final Map.Entry<String, Object> e : fields.entrySet()) {
            if (b.length() > 1) b.append(',');
            b.append(quote(e.getKey())).append(':');
            final Object v = e.getValue();
            if (v instanceof Result) b.append(((Result) v).toJson());
            else if (v instanceof String) b.append(quote((String) v));
            else if (v instanceof Double || v instanceof Float) b.append(String.format(Locale.ROOT, "%.6f", ((Number) v).doubleValue()));
            else b.append(v);
        }
        return b.append('}').toString();
    }

    void print() {
        System.out.println("RESULT " + toJson());
        System.out.flush();
    }

    private static String quote(final String s) {
        final StringBuilder b = new StringBuilder("\"");
        for (final char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
