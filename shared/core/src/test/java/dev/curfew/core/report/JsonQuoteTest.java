package dev.curfew.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.launch.JsonBody;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/**
 * The one JSON string quoting of core: reports and log lines ({@link Json#write}, {@link Json#line}) and the keep
 * command of a bucket's tags ({@code Digests.keepCommand}) all need a literal that a strict parser reads back as the
 * same text, on one line.
 */
class JsonQuoteTest {
    @Property
    void aQuotedStringReadsBackAsItself(@ForAll @StringLength(max = 40) @CharRange(from = '\u0000', to = '\u07ff')
                                        String s) {
        String quoted = Json.quote(s);
        assertThat(JsonBody.parse(quoted)).isEqualTo(s);
        assertThat(quoted).doesNotContain("\n", "\r");
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertThat(Json.quote("it's \"mine\"\\\n\r\t\u0001")).isEqualTo("\"it's \\\"mine\\\"\\\\\\n\\r\\t\\u0001\"");
    }

    @Test
    void writeAndLineQuoteKeysAndValuesTheSameWay() {
        Map<String, Object> v = Map.of("k\"ey", List.of("a\nb"));
        assertThat(Json.line(v)).isEqualTo("{" + Json.quote("k\"ey") + ":[" + Json.quote("a\nb") + "]}");
        assertThat(JsonBody.parse(Json.write(v))).isEqualTo(v);
    }
}
