package dev.curfew.core.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
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
        "{\"hours\": 2,}                           | line 1, column 13: expected a field name",
        "{\"hours\" 2}                             | line 1, column 10: expected ':'",
        "{\"hours\": 2                             | the end of the body",
        "{\"a\": 1, \"a\": 2}                      | field \"a\" appears twice",
        "{'a': 1}                                  | expected a field name in double quotes",
        "{\"a\": tru}                              | expected a value",
        "{\"a\": 01}                               | expected ',' or '}'",
        "{\"a\": 1.}                               | expected a digit after the decimal point",
        "{\"a\": \"\\x\"}                          | \\x is not a JSON escape",
        "{\"a\": \"open}                           | a string is not closed",
        "{} {}                                     | after the end of the JSON value",
        "[1, 2                                     | the end of the body",
        "NaN                                       | expected a value",
    })
    void malformedBodiesAreNamedWithWhere(String body, String expected) {
        assertThatThrownBy(() -> JsonBody.parse(body.strip()))
                .isInstanceOf(JsonBody.MalformedJson.class)
                .hasMessageStartingWith("malformed JSON at line")
                .hasMessageContaining(expected.strip());
    }

    @Test
    void emptyBodySaysWhatIsExpected() {
        assertThatThrownBy(() -> JsonBody.parse("  ")).hasMessageContaining("the body is empty");
        assertThatThrownBy(() -> JsonBody.parse(null)).hasMessageContaining("the body is empty");
    }

    @Test
    void linesAndColumnsCountNewlines() {
        assertThatThrownBy(() -> JsonBody.parse("{\n  \"a\": 1\n  \"b\": 2\n}"))
                .hasMessageContaining("line 3, column 3: expected ',' or '}'");
    }

    @Test
    void nestingIsBounded() {
        String deep = "[".repeat(JsonBody.MAX_DEPTH + 2) + "]".repeat(JsonBody.MAX_DEPTH + 2);
        assertThatThrownBy(() -> JsonBody.parse(deep)).hasMessageContaining("nested deeper than");
        String ok = "[".repeat(JsonBody.MAX_DEPTH) + "]".repeat(JsonBody.MAX_DEPTH);
        assertThat(JsonBody.parse(ok)).isInstanceOf(List.class);
    }

    @Test
    void controlCharactersInStringsAreRefused() {
        assertThatThrownBy(() -> JsonBody.parse("{\"a\": \"x\u0001\"}")).hasMessageContaining("control character");
    }

    @Test
    void hugeNumbersAreRefused() {
        assertThatThrownBy(() -> JsonBody.parse("{\"hours\": 1" + "0".repeat(60) + "}"))
                .hasMessageContaining("longer than 40");
    }
}
