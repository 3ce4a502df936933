package dev.curfew.core.report;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A small JSON writer for reports (maps, lists, text, numbers, booleans, null): no library needed in core. */
public final class Json {
    private Json() {
    }

    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0, true);
        return b.toString();
    }

    /**
     * The same JSON on one line, without spaces: a log event (CloudWatch Logs splits what is printed at line ends,
     * and reads a JSON object only when the event is that object alone). Control characters in text are escaped,
     * so no text can break the line.
     */
    public static String line(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0, false);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, int depth, boolean pretty) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            quote(b, s);
        } else if (v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f)) {
            b.append("null"); // JSON has no NaN or Infinity
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                indent(b, depth + 1, pretty);
                quote(b, String.valueOf(e.getKey()));
                b.append(pretty ? ": " : ":");
                write(b, e.getValue(), depth + 1, pretty);
                if (it.hasNext()) {
                    b.append(',');
                }
            }
            indent(b, depth, pretty);
            b.append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                b.append("[]");
                return;
            }
            boolean simple = l.stream().allMatch(x -> !(x instanceof Map<?, ?>) && !(x instanceof List<?>));
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (!simple) {
                    indent(b, depth + 1, pretty);
                }
                write(b, l.get(i), depth + 1, pretty);
                if (i < l.size() - 1) {
                    b.append(simple && pretty ? ", " : ",");
                }
            }
            if (!simple) {
                indent(b, depth, pretty);
            }
            b.append(']');
        } else {
            quote(b, v.toString());
        }
    }

    private static void indent(StringBuilder b, int depth, boolean pretty) {
        if (pretty) {
            b.append('\n').append("  ".repeat(depth));
        }
    }

    /** One JSON string literal: quotes, backslashes and control characters escaped. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        quote(b, s);
        return b.toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
