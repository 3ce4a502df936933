package dev.curfew.core.launch;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader for request bodies (RFC 8259): objects become {@code LinkedHashMap}, arrays {@code List},
 * numbers {@link BigDecimal}, and every error names where it is. A key that appears twice is an error (a body that
 * says {@code "hours": 1} and then {@code "hours": 400} is not for us to guess); nesting is bounded.
 */
public final class JsonBody {
    static final int MAX_DEPTH = 16;

    private final String text;
    private int pos;

    private JsonBody(String text) {
        this.text = text;
    }

    /** Thrown for malformed JSON; the message says what was expected and at which character. */
    public static final class MalformedJson extends RuntimeException {
        MalformedJson(String message) {
            super(message);
        }
    }

    public static Object parse(String text) {
        if (text == null || text.isBlank()) {
            throw new MalformedJson("the body is empty; expected a JSON object such as "
                    + "{\"instanceType\": \"t3.micro\", \"hours\": 2, \"keyName\": \"my-key\"}");
        }
        JsonBody p = new JsonBody(text);
        p.skipSpace();
        Object v = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected " + p.describeHere() + " after the end of the JSON value");
        }
        return v;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
        if (pos >= text.length()) {
            throw error("the body ends where a value was expected");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("expected a value, found " + describeHere());
        }
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        pos++; // {
        skipSpace();
        if (peek('}')) {
            pos++;
            return m;
        }
        while (true) {
            skipSpace();
            if (!peek('"')) {
                throw error("expected a field name in double quotes, found " + describeHere());
            }
            int keyAt = pos;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            Object v = value(depth + 1);
            if (m.containsKey(key)) {
                pos = keyAt;
                throw error("field \"" + key + "\" appears twice");
            }
            m.put(key, v);
            skipSpace();
            if (peek(',')) {
                pos++;
                continue;
            }
            if (peek('}')) {
                pos++;
                return m;
            }
            throw error("expected ',' or '}' in an object, found " + describeHere());
        }
    }

    private List<Object> array(int depth) {
        List<Object> l = new ArrayList<>();
        pos++; // [
        skipSpace();
        if (peek(']')) {
            pos++;
            return l;
        }
        while (true) {
            skipSpace();
            l.add(value(depth + 1));
            skipSpace();
            if (peek(',')) {
                pos++;
                continue;
            }
            if (peek(']')) {
                pos++;
                return l;
            }
            throw error("expected ',' or ']' in an array, found " + describeHere());
        }
    }

    private String string() {
        int start = pos;
        pos++; // "
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                pos = start;
                throw error("a string is not closed");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("a control character (code " + (int) c + ") inside a string; escape it");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("a string ends inside an escape");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '/' -> b.append('/');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("a \\u escape needs four hex digits");
                    }
                    try {
                        b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("a \\u escape needs four hex digits");
                    }
                    pos += 4;
                }
                default -> {
                    pos--;
                    throw error("\\" + e + " is not a JSON escape");
                }
            }
        }
    }

    private BigDecimal number() {
        int start = pos;
        if (peek('-')) {
            pos++;
        }
        if (peek('0')) {
            pos++;
        } else if (digit()) {
            while (digit()) {
                pos++;
            }
        } else {
            throw error("expected a digit, found " + describeHere());
        }
        if (peek('.')) {
            pos++;
            if (!digit()) {
                throw error("expected a digit after the decimal point, found " + describeHere());
            }
            while (digit()) {
                pos++;
            }
        }
        if (peek('e') || peek('E')) {
            pos++;
            if (peek('+') || peek('-')) {
                pos++;
            }
            if (!digit()) {
                throw error("expected a digit in the exponent, found " + describeHere());
            }
            while (digit()) {
                pos++;
            }
        }
        if (pos - start > 40) {
            pos = start;
            throw error("a number longer than 40 characters");
        }
        return new BigDecimal(text.substring(start, pos));
    }

    private Object literal(String word, Object v) {
        if (text.startsWith(word, pos)) {
            pos += word.length();
            return v;
        }
        throw error("expected a value, found " + describeHere());
    }

    private boolean digit() {
        return pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9';
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "', found " + describeHere());
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                break;
            }
        }
    }

    private String describeHere() {
        if (pos >= text.length()) {
            return "the end of the body";
        }
        char c = text.charAt(pos);
        if (c < 0x20 || c > 0x7e) {
            return "character code " + (int) c;
        }
        return "'" + c + "'";
    }

    private MalformedJson error(String what) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new MalformedJson("malformed JSON at line " + line + ", column " + col + ": " + what);
    }
}
