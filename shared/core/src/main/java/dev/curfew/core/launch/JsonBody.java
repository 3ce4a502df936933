package dev.curfew.core.launch;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader for request bodies (RFC 8259), on jackson-core's streaming parser: objects become
 * {@code LinkedHashMap}, arrays {@code List}, numbers {@link BigDecimal}, and every error names the line, the column
 * and the field it is in.
 *
 * <p>Strict means: one value and nothing after it; no comments, single quotes, unquoted names, trailing commas,
 * leading zeros, NaN or Infinity (jackson's defaults); a field name that appears twice in one object is an error (a
 * body that says {@code "hours": 1} and then {@code "hours": 400} is not for us to guess); unescaped control
 * characters and unpaired UTF-16 surrogates ({@code "\ud800"}) in strings are errors. Every size is bounded: nesting
 * ({@value #MAX_DEPTH} levels), numbers ({@value #MAX_NUMBER_CHARS} characters, and a value {@link BigDecimal} can
 * hold: {@code 1e9999999999} is refused), strings and field names, the document itself. A number is never expanded:
 * {@code 1e999999999} stays one digit and an exponent, and whoever echoes it must keep it short.
 */
public final class JsonBody {
    static final int MAX_DEPTH = 16;
    static final int MAX_NUMBER_CHARS = 40;
    static final int MAX_NAME_CHARS = 1_024;
    /** The default bound of a document (and so of any string in it), in characters. */
    static final int MAX_DOCUMENT_CHARS = 8 * 1024 * 1024;
    /** How much of a token an error message repeats. */
    static final int ECHO_CHARS = 40;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    // one more than ours: our own check says it in words first
                    .maxNestingDepth(MAX_DEPTH + 1)
                    .maxNumberLength(MAX_NUMBER_CHARS)
                    .maxNameLength(MAX_NAME_CHARS)
                    .maxStringLength(MAX_DOCUMENT_CHARS)
                    .maxDocumentLength(MAX_DOCUMENT_CHARS)
                    .build())
            .errorReportConfiguration(ErrorReportConfiguration.builder()
                    .maxErrorTokenLength(ECHO_CHARS).maxRawContentLength(0).build())
            .build();

    private final JsonParser parser;
    private final int maxChars;

    private JsonBody(JsonParser parser, int maxChars) {
        this.parser = parser;
        this.maxChars = maxChars;
    }

    /** Thrown for malformed JSON; the message says what was wrong and where (line, column, field). */
    public static final class MalformedJson extends RuntimeException {
        MalformedJson(String message) {
            super(message);
        }
    }

    /** Parses a document of at most {@value #MAX_DOCUMENT_CHARS} characters. */
    public static Object parse(String text) {
        return parse(text, MAX_DOCUMENT_CHARS);
    }

    /**
     * Parses a document of at most {@code maxChars} characters (no string in it can be longer).
     *
     * @throws MalformedJson for anything that is not one strict JSON value within the bounds
     */
    public static Object parse(String text, int maxChars) {
        if (text == null || text.isBlank()) {
            throw new MalformedJson("the body is empty; expected a JSON object such as "
                    + "{\"instanceType\": \"t3.micro\", \"hours\": 2, \"keyName\": \"my-key\"}");
        }
        if (text.length() > maxChars) {
            throw new MalformedJson("the body has " + text.length() + " characters; at most " + maxChars
                    + " are read");
        }
        JsonParser p = null;
        try {
            p = FACTORY.createParser(text);
            JsonBody b = new JsonBody(p, maxChars);
            JsonToken first = p.nextToken();
            if (first == null) {
                throw b.error("the body holds no JSON value");
            }
            Object v = b.value(first, 1);
            JsonToken after = p.nextToken();
            if (after != null) {
                throw b.error("a second JSON value (" + describe(after) + ") after the end of the first");
            }
            return v;
        } catch (StreamConstraintsException e) {
            throw new MalformedJson(where(e.getLocation() != null ? e.getLocation() : p.currentLocation(), field(p))
                    + ": " + constraint(e));
        } catch (JsonProcessingException e) {
            throw new MalformedJson(where(e.getLocation(), p == null ? null : field(p)) + ": "
                    + clean(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new MalformedJson("the body cannot be read: " + clean(e.getMessage()));
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // a String source: nothing to release
                }
            }
        }
    }

    private Object value(JsonToken t, int depth) throws IOException {
        if (t == null) {
            throw error("the body ends where a value was expected");
        }
        switch (t) {
            case START_OBJECT:
                return object(depth);
            case START_ARRAY:
                return array(depth);
            case VALUE_STRING:
                return string(parser.getText(), "a string");
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return number(parser.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw error("expected a value, found " + describe(t));
        }
    }

    private Map<String, Object> object(int depth) throws IOException {
        deeper(depth);
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            if (t != JsonToken.FIELD_NAME) { // jackson refuses anything else first; kept as a second guard
                throw error("expected a field name, found " + describe(t));
            }
            String key = string(parser.currentName(), "a field name");
            Object v = value(parser.nextToken(), depth + 1);
            if (m.containsKey(key)) { // jackson's duplicate detection says so first; kept as a second guard
                throw error("field \"" + printable(key) + "\" appears twice");
            }
            m.put(key, v);
        }
        return m;
    }

    private List<Object> array(int depth) throws IOException {
        deeper(depth);
        List<Object> l = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t == null) {
                throw error("the body ends inside an array");
            }
            l.add(value(t, depth + 1));
        }
        return l;
    }

    private void deeper(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private String string(String s, String what) {
        if (s.length() > maxChars) {
            throw error(what + " longer than " + maxChars + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error(what + " holds an unpaired UTF-16 surrogate (\\u"
                        + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + "), which is no character");
            }
        }
        return s;
    }

    private BigDecimal number(String text) {
        if (text.length() > MAX_NUMBER_CHARS) {
            throw error("a number longer than " + MAX_NUMBER_CHARS + " characters");
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw error("the number " + text + " is out of range");
        }
    }

    private MalformedJson error(String what) {
        return new MalformedJson(where(parser.currentTokenLocation(), field(parser)) + ": " + what);
    }

    /** "malformed JSON at line 1, column 12 (field hours)". */
    private static String where(JsonLocation at, String field) {
        StringBuilder b = new StringBuilder("malformed JSON");
        if (at != null && at.getLineNr() > 0) {
            b.append(" at line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr());
        }
        if (field != null && !field.isEmpty()) {
            b.append(" (field ").append(field).append(')');
        }
        return b.toString();
    }

    /** Where the parser is, as a JSON pointer without its first slash ("hours", "a/0/b"); null at the top. */
    private static String field(JsonParser p) {
        String pointer = p.getParsingContext().pathAsPointer().toString();
        if (pointer.isEmpty()) {
            return null;
        }
        return printable(pointer.substring(1));
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the body";
        }
        return switch (t) {
            case START_OBJECT -> "'{'";
            case START_ARRAY -> "'['";
            case END_OBJECT -> "'}'";
            case END_ARRAY -> "']'";
            case FIELD_NAME -> "a field name";
            default -> "a value";
        };
    }

    /** Jackson's words for a broken limit, without its class names. */
    private static String constraint(StreamConstraintsException e) {
        String m = String.valueOf(e.getOriginalMessage());
        if (m.startsWith("Number value length") || m.startsWith("Number length")) {
            return "a number longer than " + MAX_NUMBER_CHARS + " characters";
        }
        if (m.contains("nesting depth")) {
            return "nested deeper than " + MAX_DEPTH + " levels";
        }
        if (m.startsWith("Name length")) {
            return "a field name longer than " + MAX_NAME_CHARS + " characters";
        }
        if (m.startsWith("String value length")) {
            return "a string that is too long";
        }
        if (m.startsWith("Document length") || m.startsWith("Document")) {
            return "the body is too long";
        }
        return clean(m);
    }

    /** A parser message made safe to repeat: no class names, no control characters, not too long. */
    private static String clean(String m) {
        if (m == null) {
            return "unreadable";
        }
        String t = m.replaceAll("\\s*\\(start marker at \\[.*?\\]\\)", "")
                .replaceAll(":? ?enable `[^`]*` to allow", "")
                .replaceAll("\\s*\\(not recognized as one since Feature '[^']*' not enabled for parser\\)", "")
                .replaceAll("\\s*\\((from|for) `[^`]*`\\)", "");
        return printable(t);
    }

    /** At most 200 characters of a text, control characters and surrogates as '?'. */
    static String printable(String s) {
        String t = s.length() > ECHO_CHARS * 5 ? s.substring(0, ECHO_CHARS * 5) + "..." : s;
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            b.append(Character.isISOControl(c) || Character.isSurrogate(c) ? '?' : c);
        }
        return b.toString();
    }
}
