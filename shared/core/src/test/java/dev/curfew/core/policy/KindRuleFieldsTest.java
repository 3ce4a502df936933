package dev.curfew.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.plan.Action;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of buckets, spot requests and EMR clusters are read through the registry, in the policy format they had:
 * each kind's own fields (a switch, a list of texts) come from its defaults, and a wrong value is named with its path.
 */
class KindRuleFieldsTest {

    @Test
    void eachKindsOwnFieldsAreReadUnderItsKey() {
        LeftoverRules r = PolicyLoader.load("""
                rules:
                  s3-not-empty: {grace: 2h, action: notify, delete-bucket: true, name-prefixes: [lab-, course-]}
                  spot-requests: {enabled: false, action: notify}
                  emr-idle: {idle-longer-than: 30m, at-curfew: false, action: notify}
                """, "test").leftovers();

        KindRule buckets = r.rule(ResourceKind.S3_BUCKET);
        assertThat(buckets).isEqualTo(new KindRule(true, Duration.ofHours(2), Action.NOTIFY,
                orderedOptions("delete-bucket", true, "name-prefixes", List.of("lab-", "course-"))));
        assertThat(buckets.flag("delete-bucket")).isTrue();
        assertThat(buckets.texts("name-prefixes")).containsExactly("lab-", "course-");
        assertThat(r.rule(ResourceKind.SPOT_REQUEST)).isEqualTo(new KindRule(false, Duration.ZERO, Action.NOTIFY));
        KindRule emr = r.rule(ResourceKind.EMR_CLUSTER);
        assertThat(emr.after()).isEqualTo(Duration.ofMinutes(30));
        assertThat(emr.flag("at-curfew")).isFalse();
    }

    @Test
    void withoutThePolicySayingAnythingEachKindHasItsDefaults() {
        LeftoverRules r = PolicyLoader.load("", "test").leftovers();

        assertThat(r.rule(ResourceKind.S3_BUCKET)).isEqualTo(new KindRule(true, Duration.ofHours(24), Action.EMPTY,
                orderedOptions("delete-bucket", false, "name-prefixes", List.of())));
        assertThat(r.rule(ResourceKind.SPOT_REQUEST)).isEqualTo(new KindRule(true, Duration.ZERO, Action.CANCEL));
        assertThat(r.rule(ResourceKind.EMR_CLUSTER)).isEqualTo(new KindRule(true, Duration.ofHours(1),
                Action.TERMINATE, orderedOptions("at-curfew", true)));
    }

    @Test
    void aWrongValueOfAKindsOwnFieldIsNamedWithItsPath() {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load("""
                rules:
                  s3-not-empty: {name-prefixes: lab-, delete-bucket: perhaps, action: delete}
                  spot-requests: {grace: 1h}
                  emr-idle: {at-curfew: sometimes, idle-longer-than: soon}
                """, "policy.yaml"));

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "rules.s3-not-empty.name-prefixes: expected a list, found \"lab-\"; write [lab-]",
                "rules.s3-not-empty.delete-bucket: \"perhaps\" is not true or false",
                "rules.s3-not-empty.action: \"delete\" is not an action for S3 buckets; use one of notify, empty",
                "rules.spot-requests.grace: unknown field; known fields here: enabled, action",
                "rules.emr-idle.at-curfew: \"sometimes\" is not true or false",
                e.problems().stream().filter(p -> p.startsWith("rules.emr-idle.idle-longer-than: \"soon\" is not a "
                        + "duration")).findFirst().orElse("rules.emr-idle.idle-longer-than: no problem named"));
    }

    @Test
    void aFieldTheKindDoesNotHaveIsAnErrorNamingIt() {
        KindRule spot = PolicyLoader.load("", "test").leftovers().rule(ResourceKind.SPOT_REQUEST);

        assertThatThrownBy(() -> spot.flag("delete-bucket")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delete-bucket");
    }

    private static java.util.Map<String, Object> orderedOptions(Object... kv) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
