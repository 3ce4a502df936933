package dev.curfew.core.plan;

import static dev.curfew.core.plan.InstanceBuilder.instance;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.InstanceMetrics;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlannerTest {

    /** A Tuesday afternoon; the latest curfew (18:00 UTC) was yesterday, 2026-03-09T18:00Z. */
    static final Instant NOW = Instant.parse("2026-03-10T15:00:00Z");
    static final Instant LATEST_CURFEW = Instant.parse("2026-03-09T18:00:00Z");
    /** Launched this morning: after the latest curfew, older than the 2h idle window, younger than 12h. */
    static final Instant FRESH = NOW.minus(Duration.ofHours(6));

    static final InstanceMetrics IDLE = new InstanceMetrics(1.0, 100_000.0, 100_000.0);
    static final InstanceMetrics BUSY = new InstanceMetrics(80.0, 100_000.0, 100_000.0);

    static final String BASE = """
            course: Planner test
            time-zone: UTC
            curfew: "18:00"
            accounts: ["111122223333"]
            exemptions:
              longest-keep: 14d
              allow-list:
                - i-allowed
                - instructor-box
                - {match: i-allowed-today, until: 2026-03-10}
                - {match: i-allowed-yesterday, until: 2026-03-09}
                - {match: lab-db, until: 2026-03-12}
              stacks: [curfew-prod]
            limits:
              max-destructive-actions: %d
            rules:
              ec2-idle: {cpu-below: 5, network-below: 5MB, window: 2h, action: %s}
              ec2-forgotten: {enabled: %s, max-lifetime: %s, at-curfew: %s, action: %s}
              ec2-stopped: {longer-than: 24h, action: terminate}
            """;

    /** The rules a case runs under. */
    record Rules(String idleAction, boolean forgotten, String maxLifetime, boolean atCurfew, String forgottenAction) {
        static final Rules DEFAULT = new Rules("stop", true, "12h", true, "terminate");
        static final Rules AT_CURFEW_ONLY = new Rules("stop", true, "none", true, "terminate");
        static final Rules NO_AT_CURFEW = new Rules("stop", true, "none", false, "terminate");
        static final Rules NO_FORGOTTEN = new Rules("stop", false, "12h", true, "terminate");

        Rules idle(String action) {
            return new Rules(action, forgotten, maxLifetime, atCurfew, forgottenAction);
        }

        Rules forgottenAction(String action) {
            return new Rules(idleAction, forgotten, maxLifetime, atCurfew, action);
        }

        Policy policy() {
            return policy(100);
        }

        Policy policy(int limit) {
            return PolicyLoader.load(BASE.formatted(limit, idleAction, forgotten, maxLifetime, atCurfew,
                    forgottenAction), "planner-test");
        }
    }

    record Case(String name, Rules rules, Ec2Instance instance, InstanceMetrics metrics, Action action,
                String reasonContains, String cancelFirst, List<String> rulesMatched) {
        Case cancelFirst(String requestId) {
            return new Case(name, rules, instance, metrics, action, reasonContains, requestId, rulesMatched);
        }

        Case matched(String... ruleNames) {
            return new Case(name, rules, instance, metrics, action, reasonContains, cancelFirst, List.of(ruleNames));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, Rules rules, InstanceBuilder i, InstanceMetrics m, Action action, String reason) {
        return new Case(name, rules, i.build(), m, action, reason, null, null);
    }

    static InstanceBuilder fresh(String id) {
        return instance(id).launched(FRESH);
    }

    static Stream<Case> cases() {
        Rules d = Rules.DEFAULT;
        String expires = "curfew:expires-at";
        return Stream.of(
                // ---- idle
                c("idle -> the idle rule's action (stop)", d, fresh("i-idle"), IDLE, Action.STOP,
                        "idle: CPU 1.0% average, network 200.0 KB over 2h").matched("ec2-idle"),
                c("idle -> terminate when the rule says so", d.idle("terminate"), fresh("i-idle"), IDLE,
                        Action.TERMINATE, "idle: CPU 1.0%"),
                c("idle -> notify when the rule says so", d.idle("notify"), fresh("i-idle"), IDLE, Action.NOTIFY,
                        "idle: "),
                c("busy CPU -> skip busy", d, fresh("i-busy"), BUSY, Action.SKIP, "busy: CPU 80.0% average"),
                c("busy network (In+Out summed) -> skip busy", d, fresh("i-net"),
                        new InstanceMetrics(1.0, 3_000_000.0, 3_000_000.0), Action.SKIP, "busy: CPU 1.0% average, "
                                + "network 6.0 MB"),
                c("CPU exactly at the threshold is not below it", d, fresh("i-edge"),
                        new InstanceMetrics(5.0, 0.0, 0.0), Action.SKIP, "busy"),
                c("no datapoints -> skip, no data is not idle", d, fresh("i-nodata"), null, Action.SKIP,
                        "no data"),
                c("network but no CPU datapoints -> no data", d, fresh("i-nocpu"),
                        new InstanceMetrics(null, 10.0, 10.0), Action.SKIP, "no data"),
                c("younger than the window -> not idle yet", d, instance("i-young").launched(NOW.minusSeconds(3600)),
                        IDLE, Action.SKIP, "not idle yet: running 1h of the 2h window"),
                c("restarted 30m ago (launch time reset) -> not idle yet", d,
                        instance("i-restarted").launched(FRESH, NOW.minusSeconds(1800)), IDLE,
                        Action.SKIP, "not idle yet: running 30m"),
                c("pending instances are not judged idle", d, fresh("i-pending").state(InstanceState.PENDING),
                        IDLE, Action.SKIP, "no rule matched"),

                // ---- forgotten: expiry tag
                c("expires-at in the past -> forgotten", d, fresh("i-exp").tag(expires, "2026-03-10T12:00:00Z"),
                        BUSY, Action.TERMINATE, "expired: curfew:expires-at was 2026-03-10 12:00 UTC")
                        .matched("ec2-forgotten"),
                c("expires-at with an offset in the past -> forgotten", d,
                        fresh("i-exp-off").tag(expires, "2026-03-10T13:30:00+01:00"), BUSY, Action.TERMINATE,
                        "was 2026-03-10 12:30 UTC"),
                c("expires-at exactly now -> forgotten", d, fresh("i-exp-now").tag(expires, NOW.toString()), BUSY,
                        Action.TERMINATE, "expired"),
                c("expires-at in the future -> nothing", d, fresh("i-exp-future").tag(expires,
                        "2026-03-10T16:00:00Z"), BUSY, Action.SKIP, "busy"),
                c("expires-at today (a date) lasts until the day ends", d, fresh("i-exp-today")
                        .tag(expires, "2026-03-10"), BUSY, Action.SKIP, "busy"),
                c("expires-at yesterday (a date) -> forgotten", d, fresh("i-exp-yday").tag(expires, "2026-03-09"),
                        BUSY, Action.TERMINATE, "expired"),
                c("expires-at malformed -> noted, nothing", d, fresh("i-exp-bad").tag(expires, "friday"), BUSY,
                        Action.SKIP, "curfew:expires-at=\"friday\" is not a date or time"),
                c("expires-at on a pending instance counts", d, fresh("i-exp-pending").state(InstanceState.PENDING)
                        .tag(expires, "2026-03-09"), null, Action.TERMINATE, "expired"),

                // ---- forgotten: max lifetime (dated by the root volume, not the launch time)
                c("max lifetime exceeded -> forgotten", d, instance("i-old").launched(NOW.minusSeconds(13 * 3600),
                        NOW.minusSeconds(3 * 3600)), BUSY, Action.TERMINATE,
                        "running 13h, longer than the 12h maximum lifetime").matched("ec2-forgotten"),
                c("max lifetime not reached -> nothing", d, instance("i-11h").launched(NOW.minusSeconds(11 * 3600)),
                        BUSY, Action.SKIP, "busy"),

                // ---- forgotten: at curfew
                c("running since before the latest curfew -> forgotten", Rules.AT_CURFEW_ONLY,
                        instance("i-overnight").launched(LATEST_CURFEW.minusSeconds(3600)), BUSY, Action.TERMINATE,
                        "still running after curfew (2026-03-09 18:00 UTC)").matched("ec2-forgotten"),
                c("launched after the latest curfew -> not matched", Rules.AT_CURFEW_ONLY,
                        instance("i-evening").launched(LATEST_CURFEW.plusSeconds(1800)), BUSY, Action.SKIP, "busy"),
                c("launched exactly at the latest curfew -> not matched", Rules.AT_CURFEW_ONLY,
                        instance("i-atcurfew").launched(LATEST_CURFEW), BUSY, Action.SKIP, "busy"),
                c("restarted after curfew: running since the restart -> not matched", Rules.AT_CURFEW_ONLY,
                        instance("i-restart").launched(LATEST_CURFEW.minusSeconds(8 * 3600),
                                NOW.minusSeconds(7 * 3600)), BUSY, Action.SKIP, "busy"),
                c("at-curfew off -> not matched", Rules.NO_AT_CURFEW,
                        instance("i-overnight").launched(LATEST_CURFEW.minusSeconds(3600)), BUSY, Action.SKIP, "busy"),
                c("stopped since before curfew -> forgotten (stopped)", d,
                        instance("i-stopped-old").launched(NOW.minus(Duration.ofHours(48)))
                                .stopped(NOW.minusSeconds(2 * 3600)), null, Action.TERMINATE,
                        "still there (stopped) after curfew"),
                c("a stop action on a stopped instance -> already stopped", d.forgottenAction("stop"),
                        instance("i-stopped").launched(NOW.minus(Duration.ofHours(48)))
                                .stopped(NOW.minusSeconds(2 * 3600)), null, Action.SKIP, "already stopped"),

                // ---- stopped too long
                c("stopped longer than 24h -> the stopped rule's action", Rules.NO_FORGOTTEN,
                        instance("i-stopped-30h").launched(NOW.minus(Duration.ofHours(48)))
                                .stopped(NOW.minus(Duration.ofHours(30))), null, Action.TERMINATE,
                        "stopped for 1d6h (its EBS storage still costs money), longer than 1d").matched("ec2-stopped"),
                c("stopped 2h -> nothing", Rules.NO_FORGOTTEN, instance("i-stopped-2h")
                        .launched(NOW.minus(Duration.ofHours(48))).stopped(NOW.minusSeconds(7200)), null, Action.SKIP,
                        "stopped for 2h"),
                c("stopped since an unknown time -> nothing", Rules.NO_FORGOTTEN, instance("i-stopped-unknown")
                        .launched(NOW.minus(Duration.ofHours(48))).stopped(null), null, Action.SKIP,
                        "stopped since an unknown time"),

                // ---- keep tag
                c("keep tag in date -> kept", d, fresh("i-keep").tag("curfew:keep", "2026-03-12"), IDLE, Action.SKIP,
                        "kept until the end of 2026-03-12 (curfew:keep)"),
                c("keep tag today -> kept until the day ends", d, fresh("i-keep-today").tag("curfew:keep",
                        "2026-03-10"), IDLE, Action.SKIP, "kept until the end of 2026-03-10"),
                c("keep tag past -> acts", d, fresh("i-keep-past").tag("curfew:keep", "2026-03-09"), IDLE, Action.STOP,
                        "idle"),
                c("keep tag far in the future, first seen -> the cap is recorded (mark)", d, fresh("i-keep-far0")
                        .tag("curfew:keep", "2027-01-01"), IDLE, Action.MARK, "kept until the end of 2026-03-24 "
                        + "(curfew:keep=2027-01-01, capped by the policy's longest keep of 14d)"),
                c("keep tag far in the future, cap recorded -> kept until the cap", d, fresh("i-keep-far")
                        .tag("curfew:keep", "2027-01-01").tag("curfew:keep-cap", "2026-03-20"), IDLE, Action.SKIP,
                        "kept until the end of 2026-03-20 (curfew:keep=2027-01-01, capped by the policy's longest "
                        + "keep of 14d)"),
                c("keep tag far in the future, recorded cap passed -> acts", d, fresh("i-keep-far2")
                        .tag("curfew:keep", "2027-01-01").tag("curfew:keep-cap", "2026-03-01"), IDLE, Action.STOP,
                        "idle"),
                c("malformed keep tag, first seen -> the cap is recorded (mark)", d, fresh("i-keep-bad0")
                        .tag("curfew:keep", "next week"), IDLE, Action.MARK, "is not a date (write YYYY-MM-DD): "
                        + "nothing is destroyed until the end of 2026-03-24 at the latest"),
                c("malformed keep tag + stop -> notify only", d, fresh("i-keep-bad").tag("curfew:keep", "next week")
                        .tag("curfew:keep-cap", "2026-03-20"), IDLE, Action.NOTIFY,
                        "the keep tag curfew:keep=\"next week\" is not a date"),
                c("malformed keep tag + terminate -> notify only", d, fresh("i-keep-bad2")
                        .tag("curfew:keep", "2026-02-30").tag("curfew:keep-cap", "2026-03-20")
                        .tag(expires, "2026-03-09"), BUSY, Action.NOTIFY,
                        "is not a date (write YYYY-MM-DD): nothing is destroyed"),
                c("malformed keep tag + notify rule -> still notify", d.idle("notify"), fresh("i-keep-bad3")
                        .tag("curfew:keep", "forever").tag("curfew:keep-cap", "2026-03-20"), IDLE, Action.NOTIFY, ""),
                c("malformed keep tag, recorded cap passed -> acts", d, fresh("i-keep-bad4")
                        .tag("curfew:keep", "forever").tag("curfew:keep-cap", "2026-03-01"), IDLE, Action.STOP,
                        "idle"),

                // ---- allow-list
                c("allow-listed by id forever -> exempt", d, fresh("i-allowed"), IDLE, Action.SKIP,
                        "exempt: on the instructor's allow-list"),
                c("allow-listed by Name forever -> exempt", d, fresh("i-box").name("instructor-box")
                        .tag(expires, "2026-03-09"), IDLE, Action.SKIP, "exempt: on the instructor's allow-list"),
                c("allow-listed until today -> exempt", d, fresh("i-allowed-today"), IDLE, Action.SKIP,
                        "exempt: on the instructor's allow-list until 2026-03-10"),
                c("allow-listed until yesterday -> acts", d, fresh("i-allowed-yesterday"), IDLE, Action.STOP, "idle"),
                c("allow-listed by Name until a later day -> exempt", d, fresh("i-db").name("lab-db"), IDLE,
                        Action.SKIP, "until 2026-03-12"),
                c("a Name that merely contains an allow-listed one -> acts", d, fresh("i-db2").name("lab-db-2"), IDLE,
                        Action.STOP, "idle"),

                // ---- stacks
                c("part of an exempt stack -> exempt", d, fresh("i-stack").tag(Planner.STACK_TAG, "curfew-prod")
                        .tag(expires, "2026-03-09"), IDLE, Action.SKIP, "exempt: part of the stack curfew-prod"),
                c("part of another stack -> acts", d, fresh("i-other-stack").tag(Planner.STACK_TAG, "student-app"),
                        IDLE, Action.STOP, "idle"),

                // ---- protection
                c("termination protection + terminate -> protected", d, fresh("i-tp").protection(true, false)
                        .tag(expires, "2026-03-09"), BUSY, Action.SKIP, "protected: termination protection is on"),
                c("termination protection + stop -> stops", d, fresh("i-tp-stop").protection(true, false), IDLE,
                        Action.STOP, "idle"),
                c("stop protection + stop -> protected", d, fresh("i-sp").protection(false, true), IDLE, Action.SKIP,
                        "protected: stop protection is on"),
                c("stop protection + terminate -> terminates", d, fresh("i-sp-term").protection(false, true)
                        .tag(expires, "2026-03-09"), BUSY, Action.TERMINATE, "expired"),

                // ---- spot
                c("one-time spot + stop -> skip", d, fresh("i-spot1").oneTimeSpot("sir-once"), IDLE, Action.SKIP,
                        "one-time spot instance: it cannot be stopped"),
                c("one-time spot + terminate -> terminate, nothing to cancel", d.idle("terminate"),
                        fresh("i-spot1t").oneTimeSpot("sir-once"), IDLE, Action.TERMINATE, "idle"),
                c("persistent spot + terminate -> its request is cancelled first", d.idle("terminate"),
                        fresh("i-spotp").persistentSpot("sir-persist"), IDLE, Action.TERMINATE,
                        "its persistent spot request sir-persist is cancelled first").cancelFirst("sir-persist"),
                c("persistent spot + stop -> stops (persistent spot can be stopped)", d,
                        fresh("i-spotp-stop").persistentSpot("sir-persist"), IDLE, Action.STOP, "idle"),

                // ---- several rules
                c("idle (stop) + expired (terminate) -> terminate wins", d, fresh("i-both").tag(expires,
                        "2026-03-09"), IDLE, Action.TERMINATE, "expired").matched("ec2-idle", "ec2-forgotten"),
                c("idle (terminate) + expired (notify) -> terminate wins", d.idle("terminate")
                        .forgottenAction("notify"), fresh("i-both2").tag(expires, "2026-03-09"), IDLE,
                        Action.TERMINATE, "idle").matched("ec2-idle", "ec2-forgotten"),
                c("idle (notify) + expired (stop) -> stop wins", d.idle("notify").forgottenAction("stop"),
                        fresh("i-both3").tag(expires, "2026-03-09"), IDLE, Action.STOP, "expired"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(Case c) {
        Policy policy = c.rules().policy();
        Map<String, InstanceMetrics> metrics = c.metrics() == null ? Map.of()
                : Map.of(c.instance().id(), c.metrics());
        Plan plan = Planner.plan(new Inventory(List.of(c.instance()), metrics), policy, NOW);

        assertThat(plan.decisions()).hasSize(1);
        Decision d = plan.decisions().get(0);
        assertThat(d.resource()).isEqualTo(c.instance());
        assertThat(d.action()).as("action, reason: " + d.reason()).isEqualTo(c.action());
        assertThat(d.reason()).isNotBlank().contains(c.reasonContains());
        assertThat(d.cancelFirst()).isEqualTo(c.cancelFirst());
        if (c.rulesMatched() != null) {
            assertThat(d.findings()).extracting(Finding::rule).containsExactlyInAnyOrderElementsOf(c.rulesMatched());
        }
        assertThat(plan.breaker().tripped()).isFalse();
        assertThat(plan.mode()).isEqualTo(Mode.DRY_RUN);
        assertThat(plan.now()).isEqualTo(NOW);
    }

    // ---------------------------------------------------------------- evidence and owner

    @Test
    void idleEvidenceCarriesTheNumbers() {
        Ec2Instance i = fresh("i-ev").tag("curfew:owner", "alice").build();
        Decision d = Planner.plan(new Inventory(List.of(i), Map.of("i-ev", new InstanceMetrics(2.5, 1000.0, null))),
                Rules.DEFAULT.policy(), NOW).decisions().get(0);
        assertThat(d.owner()).isEqualTo("alice");
        assertThat(d.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("ec2-idle");
            assertThat(f.evidence()).containsEntry("cpuAveragePercent", "2.50").containsEntry("networkBytes", "1000")
                    .containsEntry("window", "2h").containsEntry("networkBelowBytes", "5000000");
        });
    }

    // ---------------------------------------------------------------- the circuit breaker

    static List<Ec2Instance> idleFleet(int n) {
        return IntStream.range(0, n).mapToObj(k -> fresh("i-%03d".formatted(k)).build()).toList();
    }

    static Inventory idleInventory(List<Ec2Instance> fleet, Ec2Instance... more) {
        Map<String, InstanceMetrics> m = new HashMap<>();
        fleet.forEach(i -> m.put(i.id(), IDLE));
        List<Ec2Instance> all = new ArrayList<>(fleet);
        all.addAll(List.of(more));
        return new Inventory(all, m);
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = {0, 1, 5})
    void exactlyAtTheLimitTheBreakerHolds(int limit) {
        Plan plan = Planner.plan(idleInventory(idleFleet(limit)), Rules.DEFAULT.policy(limit), NOW);
        assertThat(plan.breaker()).isEqualTo(new Plan.Breaker(false, limit, limit));
        assertThat(plan.destructive()).hasSize(limit);
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = {0, 1, 5})
    void aboveTheLimitTheBreakerTripsAndNothingIsDestructive(int limit) {
        Ec2Instance busy = fresh("i-zz-busy").build();
        Ec2Instance keptBad = fresh("i-zz-keepbad").tag("curfew:keep", "soon").tag("curfew:keep-cap", "2026-03-20")
                .build();
        Inventory idle = idleInventory(idleFleet(limit + 1), busy, keptBad);
        Map<String, InstanceMetrics> m = new HashMap<>(idle.metrics());
        m.put(busy.id(), BUSY);
        m.put(keptBad.id(), IDLE);
        Plan plan = Planner.plan(new Inventory(idle.instances(), m), Rules.DEFAULT.policy(limit), NOW);

        assertThat(plan.breaker()).isEqualTo(new Plan.Breaker(true, limit + 1, limit));
        assertThat(plan.destructive()).isEmpty();
        assertThat(plan.decisions()).hasSize(limit + 3);
        assertThat(plan.decisions()).filteredOn(d -> d.resource().id().startsWith("i-0"))
                .hasSize(limit + 1)
                .allSatisfy(d -> {
                    assertThat(d.action()).isEqualTo(Action.SKIP);
                    assertThat(d.reason()).startsWith("circuit breaker: " + (limit + 1)
                            + " destructive actions planned, the policy allows " + limit);
                    assertThat(d.findings()).as("findings are kept for the report").isNotEmpty();
                    assertThat(d.cancelFirst()).isNull();
                });
        // non-destructive decisions are untouched by the breaker
        assertThat(plan.decisions()).filteredOn(d -> d.resource().id().equals("i-zz-keepbad"))
                .singleElement().extracting(Decision::action).isEqualTo(Action.NOTIFY);
        assertThat(plan.decisions()).filteredOn(d -> d.resource().id().equals("i-zz-busy"))
                .singleElement().extracting(Decision::reason).asString().startsWith("busy");
    }

    @Test
    void aTrippedBreakerAlsoDropsTheSpotCancellation() {
        Ec2Instance p1 = fresh("i-p1").persistentSpot("sir-1").build();
        Ec2Instance p2 = fresh("i-p2").persistentSpot("sir-2").build();
        Plan plan = Planner.plan(new Inventory(List.of(p1, p2), Map.of("i-p1", IDLE, "i-p2", IDLE)),
                Rules.DEFAULT.idle("terminate").policy(1), NOW);
        assertThat(plan.breaker().tripped()).isTrue();
        assertThat(plan.decisions()).allSatisfy(d -> {
            assertThat(d.action()).isEqualTo(Action.SKIP);
            assertThat(d.cancelFirst()).isNull();
        });
    }

    @Test
    void skipsAndNotificationsDoNotCountAgainstTheBreaker() {
        List<Ec2Instance> notify = IntStream.range(0, 10)
                .mapToObj(k -> fresh("i-n%02d".formatted(k)).tag("curfew:keep", "bad")
                        .tag("curfew:keep-cap", "2026-03-20").build()).toList();
        Plan plan = Planner.plan(idleInventory(notify), Rules.DEFAULT.policy(0), NOW);
        assertThat(plan.breaker()).isEqualTo(new Plan.Breaker(false, 0, 0));
        assertThat(plan.decisions()).extracting(Decision::action).containsOnly(Action.NOTIFY);
    }

    // ---------------------------------------------------------------- what is in the plan

    @Test
    void goneInstancesAreNotInThePlanAndTheRestIsOrderedByRegionThenId() {
        Ec2Instance terminated = fresh("i-a-term").state(InstanceState.TERMINATED).build();
        Ec2Instance shuttingDown = fresh("i-a-shut").state(InstanceState.SHUTTING_DOWN).build();
        Ec2Instance b = fresh("i-b").region("us-east-1").build();
        Ec2Instance a = fresh("i-c").region("eu-west-1").build();
        Ec2Instance stopping = fresh("i-a").region("us-east-1").state(InstanceState.STOPPING).build();
        Ec2Instance unknown = fresh("i-d").region("eu-west-1").state(InstanceState.UNKNOWN).build();
        Inventory inv = new Inventory(List.of(terminated, b, shuttingDown, a, stopping, unknown),
                Map.of("i-a-term", IDLE, "i-a-shut", IDLE, "i-b", IDLE, "i-c", IDLE));
        Plan plan = Planner.plan(inv, Rules.DEFAULT.policy(), NOW);
        assertThat(plan.decisions()).extracting(d -> d.resource().id())
                .containsExactly("i-c", "i-d", "i-a", "i-b");
    }

    @Test
    void anEmptyInventoryGivesAnEmptyPlan() {
        Plan plan = Planner.plan(Inventory.empty(), Rules.DEFAULT.policy(), NOW);
        assertThat(plan.decisions()).isEmpty();
        assertThat(plan.breaker()).isEqualTo(new Plan.Breaker(false, 0, 100));
    }

    @Test
    void thePlanCarriesThePolicysMode() {
        Policy enforce = Rules.DEFAULT.policy().withMode(Mode.ENFORCE);
        assertThat(Planner.plan(Inventory.empty(), enforce, NOW).mode()).isEqualTo(Mode.ENFORCE);
    }

    @Test
    void keepTagsFollowTheCourseTimeZone() {
        // 2026-03-10 ends at 23:00Z in Amsterdam (UTC+1); one minute before that the keep still holds.
        Policy p = PolicyLoader.load("time-zone: Europe/Amsterdam\ncurfew: \"23:59\"\nrules:\n  ec2-forgotten:\n"
                + "    enabled: false\n", "ams");
        Ec2Instance i = instance("i-k").launched(Instant.parse("2026-03-10T18:00:00Z"))
                .tag("curfew:keep", "2026-03-10").build();
        Inventory inv = new Inventory(List.of(i), Map.of("i-k", IDLE));
        assertThat(Planner.plan(inv, p, Instant.parse("2026-03-10T22:59:00Z")).decisions().get(0).action())
                .isEqualTo(Action.SKIP);
        assertThat(Planner.plan(inv, p, Instant.parse("2026-03-10T23:00:00Z")).decisions().get(0).action())
                .isEqualTo(Action.STOP);
    }
}
