package dev.curfew.core.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.plan.KindRules;
import dev.curfew.core.plan.Kinds;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The sample account that SnapStart's priming sweeps (dry-run): it walks the registry, so the dry run decides a
 * made-up resource of every kind, each one something to do about, and it still refuses to act.
 */
class SampleCloudTest {
    static final String REGION = "eu-west-1";
    static final Instant NOW = Instant.parse("2026-11-25T17:40:00Z");

    @Test
    void aDryRunOverTheSampleAccountDecidesEveryKindOfTheRegistry() {
        Policy policy = PolicyLoader.bundledDefault(List.of()).withMode(Mode.DRY_RUN).withRegions(List.of(REGION));

        SweepReport r = new SweepEngine(new SampleCloud(REGION), Clock.fixed(NOW, ZoneOffset.UTC), 1, line -> { })
                .run(policy);

        Map<String, List<String>> decisions = r.rows().stream().collect(Collectors.groupingBy(SweepReport.Row::kind,
                Collectors.mapping(SweepReport.Row::decision, Collectors.toList())));
        for (KindRules k : Kinds.ALL) {
            assertThat(decisions.get(k.kind().wireName())).as(k.kind().wireName() + " (its KindRules.sample)")
                    .isNotNull().isNotEmpty().noneMatch("skip"::equals);
        }
        assertThat(decisions.get("ec2-instance")).hasSize(2);
        assertThat(r.rows()).allSatisfy(row -> assertThat(row.outcome()).isIn("would", "none"));
    }

    @Test
    void eachSampleIsOfItsOwnKind() {
        for (KindRules k : Kinds.ALL) {
            var sample = k.sample(REGION, Map.of(), NOW);
            assertThat(sample).as(k.kind().wireName()).isNotNull();
            assertThat(sample.kind()).isEqualTo(k.kind());
            assertThat(sample.region()).isEqualTo(REGION);
        }
    }

    @Test
    void theSampleAccountRefusesToAct() {
        assertThatThrownBy(() -> new SampleCloud(REGION).apply(REGION, List.of()))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
