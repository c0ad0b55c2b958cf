package dev.tsstreams.conformance;

import java.util.List;
import java.util.Map;

/**
 * Minimal deterministic JSON writer. Objects keep insertion order (use LinkedHashMap). Layout: 2-space
 * indent; a container whose children are all scalars is written on one line ({"hex": "..", "text": ".."},
 * ["output", 0]); other containers one child per line. Strings are escaped like JavaScript's JSON.stringify.
 */
public final class Json {
    private Json() {}

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        sb.append('\n');
        return sb.toString();
    }

    private static boolean isScalar(Object v) {
        return !(v instanceof Map) && !(v instanceof List);
    }

    private static boolean allScalar(Iterable<?> values) {
        for (Object v : values) if (!isScalar(v)) return false;
        return true;
    }

    private static void indent(StringBuilder sb, int level) {
        for (int i = 0; i < level; i++) sb.append("  ");
    }

    private static void write(StringBuilder sb, Object v, int level) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) { sb.append("{}"); return; }
            boolean inline = allScalar(m.values());
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                if (inline) { if (!first) sb.append(' '); } else { sb.append('\n'); indent(sb, level + 1); }
                first = false;
                string(sb, (String) e.getKey());
                sb.append(": ");
                write(sb, e.getValue(), level + 1);
            }
            if (!inline) { sb.append('\n'); indent(sb, level); }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) { sb.append("[]"); return; }
            boolean inline = allScalar(l);
            sb.append('[');
            boolean first = true;
            for (Object o : l) {
                if (!first) sb.append(',');
                if (inline) { if (!first) sb.append(' '); } else { sb.append('\n'); indent(sb, level + 1); }
                first = false;
                write(sb, o, level + 1);
            }
            if (!inline) { sb.append('\n'); indent(sb, level); }
            sb.append(']');
        } else if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            sb.append(v.toString());
        } else if (v instanceof Boolean) {
            sb.append(v.toString());
        } else {
            throw new IllegalArgumentException("unsupported JSON value " + v.getClass());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    boolean loneSurrogate = Character.isSurrogate(c) && !(
                            (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                            || (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))));
                    if (c < 0x20 || loneSurrogate) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
