package dev.curfew.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.curfew.core.plan.Action;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PolicyLoaderTest {

    private static final String BAD_CORPUS = "/policies/bad";

    // ---------------------------------------------------------------- the bundled default

    @Test
    void bundledDefaultMirrorsTheLesson() {
        Policy p = PolicyLoader.bundledDefault(List.of());

        assertThat(p.course()).isEqualTo("My course");
        assertThat(p.timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(p.curfew()).isEqualTo(LocalTime.of(18, 0));
        assertThat(p.accounts()).isEmpty();
        assertThat(p.allRegions()).isTrue();
        assertThat(p.regions()).isEmpty();
        assertThat(p.mode()).as("safety rule 1: a fresh deploy is dry-run").isEqualTo(Mode.DRY_RUN);
        assertThat(p.ownerTag()).isEqualTo("curfew:owner");

        Exemptions ex = p.exemptions();
        assertThat(ex.keepTag()).isEqualTo("curfew:keep");
        assertThat(ex.longestKeep()).isEqualTo(Duration.ofDays(14));
        assertThat(ex.allowList()).isEmpty();
        assertThat(ex.stacks()).isEmpty();

        assertThat(p.maxDestructiveActions()).isEqualTo(100);

        Ec2Rules.Idle idle = p.ec2().idle();
        assertThat(idle.enabled()).isTrue();
        assertThat(idle.cpuBelowPercent()).isEqualTo(5.0);
        assertThat(idle.networkBelowBytes()).isEqualTo(5_000_000L);
        assertThat(idle.window()).isEqualTo(Duration.ofHours(2));
        assertThat(idle.action()).isEqualTo(Action.STOP);

        Ec2Rules.Forgotten fg = p.ec2().forgotten();
        assertThat(fg.enabled()).isTrue();
        assertThat(fg.expiresTag()).isEqualTo("curfew:expires-at");
        assertThat(fg.maxLifetime()).isEqualTo(Duration.ofHours(12));
        assertThat(fg.atCurfew()).as("the lesson: every instance is terminated at curfew").isTrue();
        assertThat(fg.action()).isEqualTo(Action.TERMINATE);

        Ec2Rules.Stopped st = p.ec2().stopped();
        assertThat(st.enabled()).isTrue();
        assertThat(st.longerThan()).isEqualTo(Duration.ofHours(24));
        assertThat(st.action()).isEqualTo(Action.TERMINATE);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "{}", "# only a comment\n", "---\n", "~"})
    void anEmptyPolicyMeansTheBundledDefault(String text) {
        assertThat(PolicyLoader.load(text, "empty.yaml")).isEqualTo(PolicyLoader.bundledDefault(List.of()));
    }

    @Test
    void aNullTextMeansTheBundledDefault() {
        assertThat(PolicyLoader.load(null, "nothing")).isEqualTo(PolicyLoader.bundledDefault(List.of()));
    }

    @Test
    void theBundledFileStatesExactlyTheBuiltInDefaults() throws IOException {
        // The bundled file lists every field with its default: removing any one leaf line must not change the
        // policy, so the file and the code agree on every single default.
        String bundled = resource(PolicyLoader.BUNDLED_DEFAULT);
        Policy full = PolicyLoader.load(bundled, "bundled");
        List<String> lines = bundled.lines().toList();
        int leaves = 0;
        for (int n = 0; n < lines.size(); n++) {
            String code = lines.get(n).replaceFirst("#.*$", "").strip();
            if (code.isEmpty() || code.endsWith(":")) {
                continue; // comment, blank or section header
            }
            leaves++;
            List<String> without = new java.util.ArrayList<>(lines);
            without.remove(n);
            assertThat(PolicyLoader.load(String.join("\n", without), "bundled without line " + (n + 1)))
                    .as("bundled policy without: " + lines.get(n)).isEqualTo(full);
        }
        assertThat(leaves).as("leaf fields in the bundled policy").isGreaterThanOrEqualTo(24);
    }

    // ---------------------------------------------------------------- a full custom policy

    @Test
    void aFullCustomPolicyRoundTripsEveryField() {
        String yaml = """
                course: Big Data 2026 # comment
                time-zone: Europe/Amsterdam
                curfew: "17:30"
                accounts: ["012345678901", "111122223333"]
                regions: [eu-west-1, us-east-1, eu-west-1]
                mode: enforce
                owner-tag: team:owner
                exemptions:
                  keep-tag: lab:keep
                  longest-keep: 3d12h
                  allow-list:
                    - i-0123456789abcdef0
                    - instructor-box
                    - {match: lab-db, until: 2026-06-30}
                    - {match: lab-web, until: forever}
                  stacks: [curfew-prod, course-infra]
                limits:
                  max-destructive-actions: 0
                rules:
                  ec2-idle:
                    enabled: false
                    cpu-below: 12.5%
                    network-below: 500KB
                    window: 1h30m
                    action: terminate
                  ec2-forgotten:
                    enabled: no
                    expires-tag: lab:expires
                    max-lifetime: none
                    at-curfew: false
                    action: notify
                  ec2-stopped:
                    enabled: yes
                    longer-than: 2d
                    action: notify
                """;
        Policy p = PolicyLoader.load(yaml, "custom.yaml");

        assertThat(p.course()).isEqualTo("Big Data 2026");
        assertThat(p.timeZone()).isEqualTo(ZoneId.of("Europe/Amsterdam"));
        assertThat(p.curfew()).isEqualTo(LocalTime.of(17, 30));
        assertThat(p.accounts()).as("leading zero kept: scalars are read as text")
                .containsExactlyInAnyOrder("012345678901", "111122223333");
        assertThat(p.regions()).as("duplicates dropped, order kept").containsExactly("eu-west-1", "us-east-1");
        assertThat(p.allRegions()).isFalse();
        assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(p.ownerTag()).isEqualTo("team:owner");

        assertThat(p.exemptions().keepTag()).isEqualTo("lab:keep");
        assertThat(p.exemptions().longestKeep()).isEqualTo(Duration.ofHours(84));
        assertThat(p.exemptions().allowList()).containsExactly(
                new AllowEntry("i-0123456789abcdef0", null),
                new AllowEntry("instructor-box", null),
                new AllowEntry("lab-db", LocalDate.of(2026, 6, 30)),
                new AllowEntry("lab-web", null));
        assertThat(p.exemptions().allowList().get(3).forever()).isTrue();
        assertThat(p.exemptions().allowList().get(2).forever()).isFalse();
        assertThat(p.exemptions().stacks()).containsExactlyInAnyOrder("curfew-prod", "course-infra");
        assertThat(p.maxDestructiveActions()).isZero();

        assertThat(p.ec2().idle()).isEqualTo(new Ec2Rules.Idle(false, 12.5, 500_000L, Duration.ofMinutes(90),
                Action.TERMINATE));
        assertThat(p.ec2().forgotten()).isEqualTo(new Ec2Rules.Forgotten(false, "lab:expires", null, false,
                Action.NOTIFY));
        assertThat(p.ec2().stopped()).isEqualTo(new Ec2Rules.Stopped(true, Duration.ofDays(2), Action.NOTIFY));
    }

    @Test
    void unquotedCurfewAndAccountStayText() {
        // YAML 1.1 would read 18:30 as the sexagesimal 1110 and 012345678901 as an octal-ish number.
        Policy p = PolicyLoader.load("curfew: 18:30\naccounts: [012345678901]\nmode: enforce\n", "unquoted");
        assertThat(p.curfew()).isEqualTo(LocalTime.of(18, 30));
        assertThat(p.accounts()).containsExactly("012345678901");
    }

    @Test
    void byteSizesAndPercentagesAcceptTheirUsualSpellings() {
        Policy p = PolicyLoader.load("rules:\n  ec2-idle:\n    network-below: 1.5GB\n    cpu-below: 0\n", "x");
        assertThat(p.ec2().idle().networkBelowBytes()).isEqualTo(1_500_000_000L);
        assertThat(p.ec2().idle().cpuBelowPercent()).isZero();
        p = PolicyLoader.load("rules:\n  ec2-idle:\n    network-below: 1000000\n    cpu-below: 100\n", "x");
        assertThat(p.ec2().idle().networkBelowBytes()).isEqualTo(1_000_000L);
        assertThat(p.ec2().idle().cpuBelowPercent()).isEqualTo(100.0);
    }

    // ---------------------------------------------------------------- overrides

    @Test
    void overridesWinOverTheFile() {
        String yaml = """
                time-zone: Europe/Amsterdam
                curfew: "17:00"
                regions: [eu-west-1]
                mode: dry-run
                accounts: ["111111111111"]
                """;
        Policy p = PolicyLoader.load(yaml, "s3://bucket/policy.yaml", List.of(
                new PolicyOverride("time-zone", " America/New_York ", "CURFEW_TIME_ZONE"),
                new PolicyOverride("curfew", "19:15", "CURFEW_TIME"),
                new PolicyOverride("regions", "us-east-1, us-west-2,", "CURFEW_REGIONS"),
                new PolicyOverride("accounts", "222222222222,333333333333", "CURFEW_ACCOUNTS"),
                new PolicyOverride("mode", "enforce", "--mode")));
        assertThat(p.timeZone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(p.curfew()).isEqualTo(LocalTime.of(19, 15));
        assertThat(p.regions()).containsExactly("us-east-1", "us-west-2");
        assertThat(p.accounts()).containsExactlyInAnyOrder("222222222222", "333333333333");
        assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
    }

    @Test
    void regionsOverrideAllMeansEveryRegion() {
        Policy p = PolicyLoader.load("regions: [eu-west-1]\n", "f",
                List.of(new PolicyOverride("regions", "all", "CURFEW_REGIONS")));
        assertThat(p.allRegions()).isTrue();
    }

    @Test
    void blankOrMissingOverridesAreIgnored() {
        Policy p = PolicyLoader.load("time-zone: Europe/Amsterdam\nmode: dry-run\n", "f", List.of(
                new PolicyOverride("time-zone", "  ", "CURFEW_TIME_ZONE"),
                new PolicyOverride("mode", null, "CURFEW_MODE")));
        assertThat(p.timeZone()).isEqualTo(ZoneId.of("Europe/Amsterdam"));
        assertThat(p.mode()).isEqualTo(Mode.DRY_RUN);
    }

    @Test
    void overridesApplyToTheBundledDefault() {
        Policy p = PolicyLoader.bundledDefault(List.of(new PolicyOverride("accounts", "123456789012", "ACCOUNTS"),
                new PolicyOverride("mode", "enforce", "MODE")));
        assertThat(p.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(p.accounts()).containsExactly("123456789012");
    }

    @Test
    void anOverridesErrorNamesItsOrigin() {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load("", "policy.yaml",
                List.of(new PolicyOverride("time-zone", "Mars/Olympus", "CURFEW_TIME_ZONE"))));
        assertThat(e.problems()).containsExactly("time-zone (from CURFEW_TIME_ZONE): \"Mars/Olympus\" is not a time "
                + "zone; use an IANA name such as Europe/Amsterdam or America/New_York");
    }

    @Test
    void overrideErrorsInListItemsNameTheirOriginToo() {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load("", "policy.yaml",
                List.of(new PolicyOverride("accounts", "123456789012,12345", "CURFEW_ACCOUNTS"),
                        new PolicyOverride("regions", "eu-west-1,moon-1", "--regions"))));
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "accounts[1] (from CURFEW_ACCOUNTS): \"12345\" is not an AWS account id (12 digits; quote it in YAML)",
                "regions[1] (from --regions): \"moon-1\" is not a region name (e.g. eu-west-1); or write regions: all");
    }

    @Test
    void anErrorInTheFileDoesNotBorrowAnOverridesOrigin() {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load(
                "curfew: 6pm\n", "policy.yaml",
                List.of(new PolicyOverride("time-zone", "Mars/Olympus", "CURFEW_TIME_ZONE"))));
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems()).anySatisfy(s -> assertThat(s).startsWith("curfew: \"6pm\""));
        assertThat(e.problems()).anySatisfy(s -> assertThat(s).startsWith("time-zone (from CURFEW_TIME_ZONE): "));
    }

    @Test
    void anUnknownOverrideFieldIsReportedWithItsOrigin() {
        assertThatThrownBy(() -> PolicyLoader.load("", "p", List.of(new PolicyOverride("moed", "enforce", "--moed"))))
                .isInstanceOf(PolicyException.class)
                .satisfies(t -> assertThat(((PolicyException) t).problems())
                        .singleElement().asString().startsWith("moed (from --moed): unknown field"));
    }

    @Test
    void anOverrideToEnforceStillNeedsAccounts() {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load("", "p",
                List.of(new PolicyOverride("mode", "enforce", "CURFEW_MODE"))));
        assertThat(e.problems()).singleElement().asString()
                .startsWith("accounts: enforce mode needs at least one account id");
    }

    // ---------------------------------------------------------------- the bad-policy corpus

    static Stream<Arguments> badPolicies() throws IOException, URISyntaxException {
        URL dir = PolicyLoaderTest.class.getResource(BAD_CORPUS);
        assertThat(dir).as("corpus directory " + BAD_CORPUS).isNotNull();
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(dir.toURI()))) {
            files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).as("the bad-policy corpus").hasSizeGreaterThanOrEqualTo(40);
        return files.stream().map(f -> Arguments.of(Named.of(f.getFileName().toString(), f)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badPolicies")
    void everyBadPolicyIsRejectedWithItsPathAndAHelpfulMessage(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> expected = text.lines().takeWhile(l -> l.startsWith("#"))
                .filter(l -> l.startsWith("# expect: "))
                .map(l -> l.substring("# expect: ".length()).strip())
                .toList();
        assertThat(expected).as(file.getFileName() + " must start with '# expect: <substring>'").isNotEmpty();

        String source = "bad/" + file.getFileName();
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load(text, source));
        assertThat(e).as(file.getFileName() + " must be rejected").isNotNull();
        for (String want : expected) {
            assertThat(e.problems()).as("problems of " + file.getFileName())
                    .anySatisfy(p -> assertThat(p).contains(want));
        }
        assertThat(e.problems()).allSatisfy(p -> assertThat(p).isNotBlank().doesNotContain("null"));
        assertThat(e.getMessage()).contains("policy " + source + " is not valid")
                .contains(e.problems().get(0));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String yaml = """
                time-zone: Mars/Olympus
                curfew: 6pm
                accounts: ["12345"]
                regions: [eu-west]
                mode: enforcing
                exemptions:
                  allow-list:
                    - {match: lab, until: someday}
                limits:
                  max-destructive-actions: -3
                rules:
                  ec2-idle:
                    windw: 2h
                    cpu-below: 150
                    network-below: lots
                  ec2-forgotten:
                    action: delete
                  ec2-stopped:
                    action: stop
                """;
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load(yaml, "many.yaml"));
        assertThat(e.problems()).map(PolicyLoaderTest::pathOf).containsExactly(
                "time-zone", "curfew", "accounts[0]", "regions[0]", "mode",
                "exemptions.allow-list[0].until", "limits.max-destructive-actions",
                "rules.ec2-idle.windw", "rules.ec2-idle.cpu-below", "rules.ec2-idle.network-below",
                "rules.ec2-forgotten.action", "rules.ec2-stopped.action");
        assertThat(e.getMessage()).contains("(12 problems)");
    }

    @Test
    void oneProblemIsSingular() {
        PolicyException e = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.load("curfew: 6pm",
                "one.yaml"));
        assertThat(e.getMessage()).startsWith("policy one.yaml is not valid (1 problem):");
    }

    /** The path of a problem: everything before the first ": " (paths themselves contain ':' only in keys). */
    private static String pathOf(String problem) {
        return problem.substring(0, problem.indexOf(": "));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PolicyLoaderTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void accountsAreASet() {
        Policy p = PolicyLoader.load("accounts: [\"123456789012\", \"123456789012\"]", "dup");
        assertThat(p.accounts()).isEqualTo(Set.of("123456789012"));
    }
}
