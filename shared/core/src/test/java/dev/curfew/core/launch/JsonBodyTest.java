package dev.curfew.core.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JsonBodyTest {

    @Test
    void readsObjectsArraysStringsNumbersAndLiterals() {
        Object v = JsonBody.parse(" {\"a\": \"x\\u0041\\n\", \"b\": [1, -2.5e1, true, false, null], \"c\": {}} ");
        assertThat(v).isEqualTo(Map.of("a", "xA\n", "b", java.util.Arrays.asList(new BigDecimal("1"),
                new BigDecimal("-2.5e1"), true, false, null), "c", Map.of()));
    }

    @Test
    void keepsFieldOrder() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) JsonBody.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertThat(m.keySet()).containsExactly("z", "a", "m");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"hours\": 2,}                           | line 1, column 13 (field hours): Unexpected character ('}'",
        "{\"hours\" 2}                             | line 1, column 10 (field hours): Unexpected character ('2'",
        "{\"hours\": 2                             | (field hours): Unexpected end-of-input",
        "{\"a\": 1, \"a\": 2}                      | (field a): Duplicate field 'a'",
        "{\"b\": {\"c\": [1, {\"d\": 1, \"d\": 2}]}} | (field b/c/1/d): Duplicate field 'd'",
        "{'a': 1}                                  | was expecting double-quote to start field name",
        "{a: 1}                                    | was expecting double-quote to start field name",
        "{\"a\": tru}                              | Unrecognized token 'tru'",
        "{\"a\": 01}                               | Leading zeroes not allowed",
        "{\"a\": +1}                               | plus signs",
        "{\"a\": .5}                               | Unexpected character ('.'",
        "{\"a\": 1.}                               | Decimal point not followed by a digit",
        "{\"a\": 1e}                               | Exponent indicator not followed by a digit",
        "{\"a\": \"\\x\"}                          | Unrecognized character escape 'x'",
        "{\"a\": \"\\u12\"}                        | expected a hex-digit for character escape sequence",
        "{\"a\": \"\\ud800\"}                      | (field a): a string holds an unpaired UTF-16 surrogate (\\uD800)",
        "{\"a\": \"\\udc00x\"}                     | an unpaired UTF-16 surrogate (\\uDC00)",
        "{\"\\ud800\": 1}                          | a field name holds an unpaired UTF-16 surrogate",
        "{\"a\": \"open}                           | Unexpected end-of-input",
        "{\"a\": [1,]}                             | (field a/1): Unexpected character (']'",
        "{} {}                                     | a second JSON value ('{') after the end of the first",
        "{} x                                      | Unrecognized token 'x'",
        "[1, 2                                     | Unexpected end-of-input",
        "NaN                                       | Non-standard token 'NaN'",
        "/* hi */ {}                               | Unexpected character ('/'",
        "{\"a\": 1} // hi                          | Unexpected character ('/'",
        "{\"hours\": 1e9999999999}                 | (field hours): the number 1e9999999999 is out of range",
        "\ufeff{}                                  | Unexpected character",
    })
    void malformedBodiesAreNamedWithWhere(String body, String expected) {
        assertThatThrownBy(() -> JsonBody.parse(body.strip()))
                .isInstanceOf(JsonBody.MalformedJson.class)
                .hasMessageStartingWith("malformed JSON")
                .hasMessageContaining(expected.strip())
                .hasMessageNotContaining("StreamReadConstraints")
                .hasMessageNotContaining("JsonReadFeature")
                .hasMessageNotContaining("Source:");
    }

    @Test
    void pairedSurrogatesAndEscapesAreText() {
        assertThat(JsonBody.parse("{\"a\": \"\\ud83d\\ude00 \\u00e9\\/\\\\\"}")).isEqualTo(Map.of("a", "\ud83d\ude00 \u00e9/\\"));
    }

    @Test
    void emptyBodySaysWhatIsExpected() {
        assertThatThrownBy(() -> JsonBody.parse("  ")).hasMessageContaining("the body is empty");
        assertThatThrownBy(() -> JsonBody.parse(null)).hasMessageContaining("the body is empty");
    }

    @Test
    void linesAndColumnsCountNewlines() {
        assertThatThrownBy(() -> JsonBody.parse("{\n  \"a\": 1\n  \"b\": 2\n}"))
                .hasMessageContaining("line 3, column 3");
    }

    @Test
    void nestingIsBounded() {
        String deep = "[".repeat(JsonBody.MAX_DEPTH + 1) + "]".repeat(JsonBody.MAX_DEPTH + 1);
        assertThatThrownBy(() -> JsonBody.parse(deep)).hasMessageContaining("nested deeper than 16 levels");
        String deeper = "[".repeat(100_000);
        assertThatThrownBy(() -> JsonBody.parse(deeper)).hasMessageContaining("nested deeper than 16 levels");
        String objects = "{\"a\":".repeat(50) + "1" + "}".repeat(50);
        assertThatThrownBy(() -> JsonBody.parse(objects)).hasMessageContaining("nested deeper than 16 levels")
                .hasMessageContaining("(field a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a)");
        String ok = "[".repeat(JsonBody.MAX_DEPTH) + "]".repeat(JsonBody.MAX_DEPTH);
        assertThat(JsonBody.parse(ok)).isInstanceOf(List.class);
    }

    @Test
    void controlCharactersInStringsAreRefused() {
        assertThatThrownBy(() -> JsonBody.parse("{\"a\": \"x\u0001\"}")).hasMessageContaining("CTRL-CHAR, code 1")
                .hasMessageContaining("has to be escaped");
        assertThatThrownBy(() -> JsonBody.parse("{\"a\": \"x\ny\"}")).hasMessageContaining("CTRL-CHAR, code 10");
    }

    @Test
    void numbersAreBoundedAndNeverExpanded() {
        assertThatThrownBy(() -> JsonBody.parse("{\"hours\": 1" + "0".repeat(60) + "}"))
                .hasMessageContaining("(field hours): a number longer than 40 characters");
        assertThatThrownBy(() -> JsonBody.parse("{\"hours\": 0." + "0".repeat(60) + "1}"))
                .hasMessageContaining("a number longer than 40 characters");
        assertThatThrownBy(() -> JsonBody.parse("{\"hours\": 1e" + "9".repeat(60) + "}"))
                .hasMessageContaining("a number longer than 40 characters");
        // a number BigDecimal can hold is kept as it is written, not expanded
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            Object v = ((Map<?, ?>) JsonBody.parse("{\"hours\": 1e999999999}")).get("hours");
            assertThat(v).isEqualTo(new BigDecimal("1e999999999"));
            assertThat(((BigDecimal) v).precision()).isEqualTo(1);
        });
        assertThatThrownBy(() -> JsonBody.parse("{\"hours\": -1e-9999999999}"))
                .hasMessageContaining("(field hours): the number -1e-9999999999 is out of range");
    }

    @Test
    void stringsNamesAndDocumentsAreBounded() {
        String big = "{\"a\": \"" + "x".repeat(2000) + "\"}";
        assertThatThrownBy(() -> JsonBody.parse(big, 1000)).hasMessageContaining("at most 1000 are read");
        assertThat(JsonBody.parse(big, 5000)).isEqualTo(Map.of("a", "x".repeat(2000)));
        assertThatThrownBy(() -> JsonBody.parse("{\"" + "k".repeat(2000) + "\": 1}"))
                .hasMessageContaining("a field name longer than 1024 characters");
    }

    @Test
    void errorMessagesRepeatLittleOfTheBody() {
        String token = "x".repeat(5000);
        assertThatThrownBy(() -> JsonBody.parse("{\"a\": " + token + "}"))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }
}
