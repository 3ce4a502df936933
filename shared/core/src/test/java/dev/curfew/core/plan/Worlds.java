package dev.curfew.core.plan;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Protection;
import dev.curfew.core.model.SpotRequestType;
import dev.curfew.core.policy.AllowEntry;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators for property tests of the planner and the sweep engine: random policies (thresholds, windows,
 * actions, limits, modes, zones, curfews) and random inventories (states, spot kinds, tags incl. keep tags in and
 * out of date and malformed, allow-listed ids and names, stacks, protection, metrics incl. none, times).
 * Also the oracle: which instances the safety rules say must never be destroyed.
 */
public final class Worlds {
    public static final String ACCOUNT = "111122223333";
    public static final String OWN_STACK = "curfew-stack";
    public static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "ap-south-1");
    /** Fixed instants, some on DST changes: the tests stay pure and repeatable. */
    public static final List<Instant> NOWS = List.of(
            Instant.parse("2026-03-10T15:00:00Z"),
            Instant.parse("2026-03-29T12:00:00Z"),
            Instant.parse("2026-10-25T01:30:00Z"),
            Instant.parse("2026-11-01T06:30:00Z"),
            Instant.parse("2026-12-31T23:30:00Z"));
    static final List<String> ZONES = List.of("UTC", "Europe/Amsterdam", "America/New_York", "Asia/Kolkata",
            "Pacific/Auckland");
    static final List<String> MALFORMED_DATES = List.of("soon", "2026-13-01", "2026-02-30", "", "forever",
            "31/12/2026", "2026-3-1", "tomorrow ");

    private Worlds() {
    }

    // ------------------------------------------------------------------ the generated world

    /** A policy, the instances a sweep sees (protection included: the truth), their metrics, and now. */
    public record World(Policy policy, List<Ec2Instance> instances, Map<String, InstanceMetrics> metrics,
                        Instant now) {
        public Inventory inventory() {
            return new Inventory(instances, metrics);
        }

        /** Exempt under the safety rules: allow-listed (in date), own stack, or a keep tag in date. */
        public boolean exempt(Ec2Instance i) {
            ZoneId zone = policy.timeZone();
            for (AllowEntry e : policy.exemptions().allowList()) {
                boolean matches = e.match().equals(i.id()) || e.match().equals(i.tags().get("Name"));
                if (matches && (e.until() == null || now.isBefore(endOf(e.until(), zone)))) {
                    return true;
                }
            }
            String stack = i.tags().get(Planner.STACK_TAG);
            if (stack != null && policy.exemptions().stacks().contains(stack)) {
                return true;
            }
            LocalDate keep = keepDate(i);
            return keep != null && now.isBefore(endOf(keep, zone));
        }

        /** The keep tag is there but is not a date. */
        public boolean malformedKeep(Ec2Instance i) {
            String v = i.tags().get(policy.exemptions().keepTag());
            return v != null && keepDate(i) == null;
        }

        /**
         * The day of the keep tag, or null when there is none or it is one of the malformed values the world writes
         * (the others are days it wrote).
         */
        private LocalDate keepDate(Ec2Instance i) {
            String v = i.tags().get(policy.exemptions().keepTag());
            return v == null || MALFORMED_DATES.contains(v) ? null : LocalDate.parse(v);
        }

        private static Instant endOf(LocalDate day, ZoneId zone) {
            return day.plusDays(1).atStartOfDay(zone).toInstant();
        }
    }

    // ------------------------------------------------------------------ policies

    /** Mutable so jqwik's builder can fill it in. */
    public static final class PolicySpec {
        String zone;
        int curfewMinute;
        String mode;
        int longestKeepDays;
        int limit;
        boolean idleEnabled;
        double cpuBelow;
        long networkBelow;
        int windowMinutes;
        String idleAction;
        boolean forgottenEnabled;
        Integer maxLifetimeHours;
        boolean atCurfew;
        String forgottenAction;
        boolean stoppedEnabled;
        int stoppedHours;
        String stoppedAction;

        String yaml(List<String> allowList) {
            StringBuilder b = new StringBuilder();
            b.append("course: Property course\n");
            b.append("time-zone: ").append(zone).append('\n');
            b.append("curfew: \"%02d:%02d\"\n".formatted(curfewMinute / 60, curfewMinute % 60));
            b.append("accounts: [\"").append(ACCOUNT).append("\"]\n");
            b.append("regions: all\n");
            b.append("mode: ").append(mode).append('\n');
            b.append("exemptions:\n");
            b.append("  longest-keep: ").append(longestKeepDays).append("d\n");
            if (allowList.isEmpty()) {
                b.append("  allow-list: []\n");
            } else {
                b.append("  allow-list:\n");
                allowList.forEach(e -> b.append("    - ").append(e).append('\n'));
            }
            b.append("  stacks: [").append(OWN_STACK).append("]\n");
            b.append("limits:\n  max-destructive-actions: ").append(limit).append('\n');
            b.append("rules:\n");
            b.append("  ec2-idle: {enabled: %s, cpu-below: %s, network-below: %d, window: %dm, action: %s}\n"
                    .formatted(idleEnabled, cpuBelow, networkBelow, windowMinutes, idleAction));
            b.append("  ec2-forgotten: {enabled: %s, max-lifetime: %s, at-curfew: %s, action: %s}\n"
                    .formatted(forgottenEnabled, maxLifetimeHours == null ? "none" : maxLifetimeHours + "h",
                            atCurfew, forgottenAction));
            b.append("  ec2-stopped: {enabled: %s, longer-than: %dh, action: %s}\n"
                    .formatted(stoppedEnabled, stoppedHours, stoppedAction));
            return b.toString();
        }
    }

    static Arbitrary<String> ec2Action() {
        return Arbitraries.of("notify", "stop", "terminate");
    }

    public static Arbitrary<PolicySpec> policySpecs() {
        return Builders.withBuilder(PolicySpec::new)
                .use(Arbitraries.of(ZONES)).inSetter((p, v) -> p.zone = v)
                .use(Arbitraries.integers().between(0, 24 * 60 - 1)).inSetter((p, v) -> p.curfewMinute = v)
                .use(Arbitraries.of("dry-run", "enforce")).inSetter((p, v) -> p.mode = v)
                .use(Arbitraries.integers().between(1, 30)).inSetter((p, v) -> p.longestKeepDays = v)
                .use(Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(0, 2)),
                        Tuple.of(1, Arbitraries.integers().between(0, 12)))).inSetter((p, v) -> p.limit = v)
                .use(Arbitraries.of(true, true, true, false)).inSetter((p, v) -> p.idleEnabled = v)
                .use(Arbitraries.integers().between(0, 1000).map(n -> n / 10.0)).inSetter((p, v) -> p.cpuBelow = v)
                .use(Arbitraries.longs().between(0, 20_000_000)).inSetter((p, v) -> p.networkBelow = v)
                .use(Arbitraries.integers().between(1, 12 * 60)).inSetter((p, v) -> p.windowMinutes = v)
                .use(ec2Action()).inSetter((p, v) -> p.idleAction = v)
                .use(Arbitraries.of(true, true, true, false)).inSetter((p, v) -> p.forgottenEnabled = v)
                .use(Arbitraries.integers().between(1, 72).injectNull(0.3)).inSetter((p, v) -> p.maxLifetimeHours = v)
                .use(Arbitraries.of(true, false)).inSetter((p, v) -> p.atCurfew = v)
                .use(ec2Action()).inSetter((p, v) -> p.forgottenAction = v)
                .use(Arbitraries.of(true, true, true, false)).inSetter((p, v) -> p.stoppedEnabled = v)
                .use(Arbitraries.integers().between(1, 96)).inSetter((p, v) -> p.stoppedHours = v)
                .use(Arbitraries.of("notify", "terminate")).inSetter((p, v) -> p.stoppedAction = v)
                .build();
    }

    // ------------------------------------------------------------------ instances

    enum SpotKind { ON_DEMAND, ONE_TIME, ONE_TIME_NO_ID, PERSISTENT, PERSISTENT_NO_ID }

    enum KeepKind { NONE, DATE, MALFORMED }

    enum AllowKind { NONE, ID_FOREVER, ID_UNTIL, NAME_FOREVER, NAME_UNTIL }

    enum StackKind { NONE, OWN, OTHER }

    enum MetricsKind { NONE, NO_CPU, QUIET, ANY }

    enum ExpiresKind { NONE, PAST, FUTURE, MALFORMED }

    /** One instance, before it is given an id and placed at a now. Mutable for jqwik's builder. */
    public static final class InstanceSpec {
        int region;
        InstanceState state;
        SpotKind spot;
        boolean noTimes;
        int launchAgoMinutes;
        Integer rootOlderByMinutes;
        Integer stoppedAgoMinutes;
        String owner;
        String plainName;
        KeepKind keep;
        int keepOffsetDays;
        String malformed;
        AllowKind allow;
        int allowOffsetDays;
        StackKind stack;
        ExpiresKind expires;
        int expiresOffsetMinutes;
        Boolean terminationProtection;
        Boolean stopProtection;
        MetricsKind metrics;
        double cpu;
        double netIn;
        double netOut;
    }

    public static Arbitrary<InstanceSpec> instanceSpecs() {
        Arbitrary<Boolean> protection = Arbitraries.of(Boolean.TRUE, Boolean.FALSE, Boolean.FALSE).injectNull(0.2);
        return Builders.withBuilder(InstanceSpec::new)
                .use(Arbitraries.integers().between(0, REGIONS.size() - 1)).inSetter((s, v) -> s.region = v)
                .use(Arbitraries.frequencyOf(
                        Tuple.of(10, Arbitraries.just(InstanceState.RUNNING)),
                        Tuple.of(5, Arbitraries.just(InstanceState.STOPPED)),
                        Tuple.of(1, Arbitraries.of(InstanceState.values()))))
                .inSetter((s, v) -> s.state = v)
                .use(Arbitraries.of(SpotKind.class)).inSetter((s, v) -> s.spot = v)
                .use(Arbitraries.integers().between(0, 20)).inSetter((s, v) -> s.noTimes = v == 0)
                .use(Arbitraries.integers().between(0, 72 * 60)).inSetter((s, v) -> s.launchAgoMinutes = v)
                .use(Arbitraries.integers().between(0, 72 * 60).injectNull(0.3))
                .inSetter((s, v) -> s.rootOlderByMinutes = v)
                .use(Arbitraries.integers().between(0, 96 * 60).injectNull(0.15))
                .inSetter((s, v) -> s.stoppedAgoMinutes = v)
                .use(Arbitraries.of("alice", "bob", "arn:aws:sts::111122223333:assumed-role/student/carol")
                        .injectNull(0.3)).inSetter((s, v) -> s.owner = v)
                .use(Arbitraries.of("web", "lab-1", "spark-master").injectNull(0.4))
                .inSetter((s, v) -> s.plainName = v)
                .use(Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(KeepKind.NONE)),
                        Tuple.of(3, Arbitraries.just(KeepKind.DATE)), Tuple.of(1, Arbitraries.just(KeepKind.MALFORMED))))
                .inSetter((s, v) -> s.keep = v)
                .use(Arbitraries.oneOf(Arbitraries.integers().between(-3, 3), Arbitraries.integers().between(-400, 400)))
                .inSetter((s, v) -> s.keepOffsetDays = v)
                .use(Arbitraries.of(MALFORMED_DATES)).inSetter((s, v) -> s.malformed = v)
                .use(Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(AllowKind.NONE)),
                        Tuple.of(1, Arbitraries.of(AllowKind.class)))).inSetter((s, v) -> s.allow = v)
                .use(Arbitraries.integers().between(-3, 3)).inSetter((s, v) -> s.allowOffsetDays = v)
                .use(Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(StackKind.NONE)),
                        Tuple.of(1, Arbitraries.just(StackKind.OWN)), Tuple.of(1, Arbitraries.just(StackKind.OTHER))))
                .inSetter((s, v) -> s.stack = v)
                .use(Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(ExpiresKind.NONE)),
                        Tuple.of(1, Arbitraries.of(ExpiresKind.class)))).inSetter((s, v) -> s.expires = v)
                .use(Arbitraries.integers().between(1, 48 * 60)).inSetter((s, v) -> s.expiresOffsetMinutes = v)
                .use(protection).inSetter((s, v) -> s.terminationProtection = v)
                .use(protection).inSetter((s, v) -> s.stopProtection = v)
                .use(Arbitraries.of(MetricsKind.class)).inSetter((s, v) -> s.metrics = v)
                .use(Arbitraries.doubles().between(0, 100)).inSetter((s, v) -> s.cpu = v)
                .use(Arbitraries.doubles().between(0, 20_000_000)).inSetter((s, v) -> s.netIn = v)
                .use(Arbitraries.doubles().between(0, 20_000_000)).inSetter((s, v) -> s.netOut = v)
                .build();
    }

    // ------------------------------------------------------------------ worlds

    public static Arbitrary<World> worlds() {
        return worlds(25);
    }

    public static Arbitrary<World> worlds(int maxInstances) {
        return Combinators.combine(policySpecs(), instanceSpecs().list().ofMaxSize(maxInstances), Arbitraries.of(NOWS))
                .as(Worlds::build);
    }

    static World build(PolicySpec ps, List<InstanceSpec> specs, Instant now) {
        ZoneId zone = ZoneId.of(ps.zone);
        LocalDate today = now.atZone(zone).toLocalDate();
        List<String> allow = new ArrayList<>();
        List<Ec2Instance> instances = new ArrayList<>();
        Map<String, InstanceMetrics> metrics = new HashMap<>();
        for (int n = 0; n < specs.size(); n++) {
            InstanceSpec s = specs.get(n);
            String id = "i-%017x".formatted(n + 1);
            Map<String, String> tags = new LinkedHashMap<>();
            if (s.owner != null) {
                tags.put("curfew:owner", s.owner);
            }
            if (s.plainName != null) {
                tags.put("Name", s.plainName);
            }
            switch (s.allow) {
                case ID_FOREVER -> allow.add(id);
                case ID_UNTIL -> allow.add("{match: %s, until: %s}".formatted(id, today.plusDays(s.allowOffsetDays)));
                case NAME_FOREVER -> {
                    tags.put("Name", "keeper-" + n);
                    allow.add("{match: keeper-%d, until: forever}".formatted(n));
                }
                case NAME_UNTIL -> {
                    tags.put("Name", "keeper-" + n);
                    allow.add("{match: keeper-%d, until: %s}".formatted(n, today.plusDays(s.allowOffsetDays)));
                }
                default -> { }
            }
            switch (s.keep) {
                case DATE -> tags.put("curfew:keep", today.plusDays(s.keepOffsetDays).toString());
                case MALFORMED -> tags.put("curfew:keep", s.malformed);
                default -> { }
            }
            switch (s.stack) {
                case OWN -> tags.put(Planner.STACK_TAG, OWN_STACK);
                case OTHER -> tags.put(Planner.STACK_TAG, "student-app");
                default -> { }
            }
            switch (s.expires) {
                case PAST -> tags.put("curfew:expires-at", now.minusSeconds(60L * s.expiresOffsetMinutes).toString());
                case FUTURE -> tags.put("curfew:expires-at", now.plusSeconds(60L * s.expiresOffsetMinutes).toString());
                case MALFORMED -> tags.put("curfew:expires-at", s.malformed + "x");
                default -> { }
            }
            Instant launch = s.noTimes ? null : now.minus(Duration.ofMinutes(s.launchAgoMinutes));
            Instant root = launch == null || s.rootOlderByMinutes == null ? null
                    : launch.minus(Duration.ofMinutes(s.rootOlderByMinutes));
            Instant stoppedAt = s.state != InstanceState.STOPPED || s.stoppedAgoMinutes == null ? null
                    : now.minus(Duration.ofMinutes(Math.min(s.stoppedAgoMinutes, s.launchAgoMinutes)));
            boolean spot = s.spot != SpotKind.ON_DEMAND;
            String requestId = switch (s.spot) {
                case ONE_TIME, PERSISTENT -> "sir-" + Integer.toHexString(n + 0x1000);
                default -> null;
            };
            SpotRequestType type = switch (s.spot) {
                case ONE_TIME, ONE_TIME_NO_ID -> SpotRequestType.ONE_TIME;
                case PERSISTENT, PERSISTENT_NO_ID -> SpotRequestType.PERSISTENT;
                default -> null;
            };
            instances.add(new Ec2Instance(id, REGIONS.get(s.region), "t3.micro", s.state, spot, requestId, type,
                    launch, root, stoppedAt, tags, new Protection(s.terminationProtection, s.stopProtection)));
            switch (s.metrics) {
                case NO_CPU -> metrics.put(id, new InstanceMetrics(null, s.netIn, s.netOut));
                case QUIET -> metrics.put(id, new InstanceMetrics(s.cpu / 20, s.netIn / 10, s.netOut / 10));
                case ANY -> metrics.put(id, new InstanceMetrics(s.cpu, s.netIn, s.netOut));
                default -> { }
            }
        }
        Policy policy = PolicyLoader.load(ps.yaml(allow), "generated policy");
        return new World(policy, instances, metrics, now);
    }
}
