package dev.curfew.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.launch.JsonBody;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The EMF line, read back as CloudWatch Logs reads it, against the specification ("Specification: Embedded metric
 * format", CloudWatch User Guide): a JSON object alone on one line; {@code _aws.Timestamp} in epoch milliseconds;
 * {@code _aws.CloudWatchMetrics} an array of directives with Namespace, Dimensions (arrays of dimension names) and
 * Metrics ({Name, Unit}); every dimension a string member of the root, every metric a number member.
 */
class EmfTest {
    static final Instant AT = Instant.parse("2026-11-30T18:00:00.123Z");
    /** The units the specification allows (CloudWatch's StandardUnit). */
    static final Set<String> SPEC_UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
            "Count/Second", "None");

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String line) {
        assertThat(line).as("one line, the object alone").doesNotContain("\n").doesNotContain("\r")
                .startsWith("{").endsWith("}");
        return (Map<String, Object>) JsonBody.parse(line, 1 << 20);
    }

    /** Checks a parsed document against the specification; returns the metric values by name. */
    @SuppressWarnings("unchecked")
    static Map<String, Number> checkAgainstSpec(Map<String, Object> doc) {
        Map<String, Object> aws = (Map<String, Object>) doc.get("_aws");
        assertThat(aws).containsOnlyKeys("Timestamp", "CloudWatchMetrics");
        assertThat(aws.get("Timestamp")).isInstanceOf(Number.class);
        List<Map<String, Object>> directives = (List<Map<String, Object>>) aws.get("CloudWatchMetrics");
        assertThat(directives).isNotEmpty();
        Map<String, Number> values = new LinkedHashMap<>();
        for (Map<String, Object> d : directives) {
            assertThat(d).containsOnlyKeys("Namespace", "Dimensions", "Metrics");
            assertThat((String) d.get("Namespace")).isNotBlank().hasSizeLessThanOrEqualTo(255);
            for (List<Object> set : (List<List<Object>>) d.get("Dimensions")) {
                assertThat(set).hasSizeLessThanOrEqualTo(30);
                set.forEach(k -> assertThat(doc.get((String) k)).as("dimension " + k).isInstanceOf(String.class));
            }
            List<Map<String, Object>> metrics = (List<Map<String, Object>>) d.get("Metrics");
            assertThat(metrics).isNotEmpty().hasSizeLessThanOrEqualTo(100);
            for (Map<String, Object> m : metrics) {
                assertThat(m).containsOnlyKeys("Name", "Unit");
                assertThat(SPEC_UNITS).contains((String) m.get("Unit"));
                Object v = doc.get((String) m.get("Name"));
                assertThat(v).as("the value of " + m.get("Name")).isInstanceOf(Number.class);
                values.put((String) m.get("Name"), (Number) v);
            }
        }
        return values;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLineReadsBackAsTheSpecificationSays() {
        Emf emf = new Emf("Curfew/my-stack", List.of(List.of(), List.of("Pass")), Map.of("Pass", "curfew"),
                List.of(new Emf.Metric("RegionsFailed", Emf.Unit.COUNT, 2),
                        new Emf.Metric("Duration", Emf.Unit.MILLISECONDS, 1234),
                        new Emf.Metric("SavedPerMonthUsd", Emf.Unit.NONE, 12.34)),
                Map.of("course", "Cloud 101"));

        Map<String, Object> doc = read(emf.line(AT));

        Map<String, Number> values = checkAgainstSpec(doc);
        assertThat(values).containsOnlyKeys("RegionsFailed", "Duration", "SavedPerMonthUsd");
        assertThat(values.get("RegionsFailed").longValue()).isEqualTo(2);
        assertThat(values.get("Duration").longValue()).isEqualTo(1234);
        assertThat(values.get("SavedPerMonthUsd").doubleValue()).isEqualTo(12.34);
        Map<String, Object> aws = (Map<String, Object>) doc.get("_aws");
        assertThat(((Number) aws.get("Timestamp")).longValue()).isEqualTo(AT.toEpochMilli());
        Map<String, Object> directive = ((List<Map<String, Object>>) aws.get("CloudWatchMetrics")).get(0);
        assertThat(directive.get("Namespace")).isEqualTo("Curfew/my-stack");
        assertThat(directive.get("Dimensions")).isEqualTo(List.of(List.of(), List.of("Pass")));
        assertThat((List<Map<String, Object>>) directive.get("Metrics")).containsExactly(
                Map.of("Name", "RegionsFailed", "Unit", "Count"), Map.of("Name", "Duration", "Unit", "Milliseconds"),
                Map.of("Name", "SavedPerMonthUsd", "Unit", "None"));
        assertThat(doc).containsEntry("Pass", "curfew").containsEntry("course", "Cloud 101");
    }

    @Test
    void everyUnitIsOneTheSpecificationNames() {
        for (Emf.Unit u : Emf.Unit.values()) {
            assertThat(SPEC_UNITS).contains(u.wireName());
        }
    }

    private static Emf.Metric count(String name) {
        return new Emf.Metric(name, Emf.Unit.COUNT, 1);
    }

    @Test
    void whatWouldBreakTheSpecificationIsRefusedByName() {
        List<Emf.Metric> one = List.of(count("A"));
        assertThatThrownBy(() -> new Emf("AWS/Lambda", List.of(), Map.of(), one, null))
                .hasMessageContaining("Namespace \"AWS/Lambda\"");
        assertThatThrownBy(() -> new Emf(" ", List.of(), Map.of(), one, null)).hasMessageContaining("Namespace");
        assertThatThrownBy(() -> new Emf("Curfew/a\nb", List.of(), Map.of(), one, null))
                .hasMessageContaining("Namespace");
        assertThatThrownBy(() -> new Emf("Curfew/x", List.of(), Map.of(), List.of(), null))
                .hasMessageContaining("Metrics: 1 to 100");
        List<Emf.Metric> many = IntStream.range(0, 101).mapToObj(i -> count("M" + i)).toList();
        assertThatThrownBy(() -> new Emf("Curfew/x", List.of(), Map.of(), many, null))
                .hasMessageContaining("not 101");
        assertThatThrownBy(() -> new Emf("Curfew/x", List.of(), Map.of(), List.of(
                new Emf.Metric("Saved", Emf.Unit.NONE, Double.NaN)), null))
                .hasMessageContaining("metric Saved").hasMessageContaining("not a finite number");
        assertThatThrownBy(() -> new Emf("Curfew/x", List.of(), Map.of(), List.of(
                new Emf.Metric("Saved", null, 1)), null)).hasMessageContaining("metric Saved: no unit");
        assertThatThrownBy(() -> new Emf("Curfew/x", List.of(List.of("Pass")), Map.of(), one, null))
                .hasMessageContaining("Pass has no value");
        assertThatThrownBy(() -> new Emf("Curfew/x", List.of(), Map.of("Pass", " "), one, null))
                .hasMessageContaining("dimension Pass");
        List<String> wide = IntStream.range(0, 31).mapToObj(i -> "D" + i).toList();
        Map<String, String> values = new LinkedHashMap<>();
        wide.forEach(d -> values.put(d, "v"));
        assertThatThrownBy(() -> new Emf("Curfew/x", List.of(wide), values, one, null))
                .hasMessageContaining("at most 30");
        assertThatThrownBy(() -> new Emf("Curfew/x", List.of(), Map.of("A", "v"), one, null))
                .hasMessageContaining("\"A\" is named twice");
        assertThatThrownBy(() -> new Emf("Curfew/x", List.of(), Map.of(), List.of(count("A"), count("A")), null))
                .hasMessageContaining("\"A\" is named twice");
        assertThatThrownBy(() -> new Emf("Curfew/x", List.of(), Map.of(), one, Map.of("_aws", "x")))
                .hasMessageContaining("\"_aws\" is named twice");
    }

    /** Whatever the names, texts and values, the line is one line and reads back to exactly what was given. */
    @Property(tries = 200)
    void anyMetricsReadBackExactlyFromOneLine(@ForAll("names") List<String> names,
                                              @ForAll("texts") String pass, @ForAll("texts") String course,
                                              @ForAll("values") List<Double> values) {
        List<Emf.Metric> metrics = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            metrics.add(new Emf.Metric(names.get(i), Emf.Unit.values()[i % Emf.Unit.values().length],
                    values.get(i % values.size())));
        }
        Emf emf = new Emf("Curfew/stack-1", List.of(List.of(), List.of("Pass")), Map.of("Pass", pass), metrics,
                Map.of("course", course));

        Map<String, Object> doc = read(emf.line(AT));

        Map<String, Number> read = checkAgainstSpec(doc);
        assertThat(read).hasSize(metrics.size());
        for (Emf.Metric m : metrics) {
            assertThat(read.get(m.name()).doubleValue()).as(m.name()).isEqualTo(m.value());
        }
        assertThat(doc).containsEntry("Pass", pass).containsEntry("course", course);
    }

    @Provide
    Arbitrary<List<String>> names() {
        return Arbitraries.strings().withCharRange('A', 'z').ofMinLength(1).ofMaxLength(20)
                .filter(s -> !s.isBlank() && !s.equals("Pass") && !s.equals("course") && !s.equals("_aws"))
                .list().ofMinSize(1).ofMaxSize(100).uniqueElements();
    }

    @Provide
    Arbitrary<String> texts() {
        // quotes, backslashes, line ends, control characters and non-ASCII: none may break the line
        return Arbitraries.strings().withChars("ab \"\\\n\r\t\u0001\u2028é日").ofMinLength(1).ofMaxLength(30)
                .filter(s -> !s.isBlank());
    }

    @Provide
    Arbitrary<List<Double>> values() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 1_000_000_000L).map(Long::doubleValue),
                Arbitraries.doubles().between(-1e12, 1e12), Arbitraries.of(0.1, 12.34, 1e-9, 0.0))
                .list().ofMinSize(1).ofMaxSize(10);
    }
}
