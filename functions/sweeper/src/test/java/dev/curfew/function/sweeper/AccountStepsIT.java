package dev.curfew.function.sweeper;

import static dev.curfew.aws.testing.MotoAccounts.ALICE;
import static dev.curfew.aws.testing.MotoAccounts.BOB;
import static dev.curfew.aws.testing.MotoAccounts.HOME;
import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.aws.testing.Seed;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The accounts state machine's steps, through their Lambda handler, on the moto server: a class account and a
 * student's own account (alice, enrolled: her curfew-access role is there), bob enrolled in the roster without the
 * role. The list step claims its curfew once; the worker sweeps only an account the policy and roster cover; the
 * summary reads the results as the Map's ResultWriter writes them and sends the instructor's summary to a local Slack.
 */
class AccountStepsIT extends MotoTest {
    static final String BUCKET = "it-accounts-results";
    static final String E1 = "arn:aws:states:eu-west-1:123456789012:execution:it-accounts:first";
    static final String E2 = "arn:aws:states:eu-west-1:123456789012:execution:it-accounts:second";

    final FakeSlack slack = new FakeSlack();
    AwsClients alice;
    AccountStepsHandler handler;
    /** The handler's clock (curfew.now), or null for the real one. */
    Instant now;
    String classLab;
    String aliceLab;

    @BeforeEach
    void seed() {
        alice = AccountsFixture.enrolAlice(moto, clients, slack);
        aliceLab = new Seed(alice).instance(EU, tags("Name", "lab"));
        classLab = seed.instance(EU, tags("Name", "lab", "curfew:owner", "erin"));
    }

    @AfterEach
    void close() {
        if (handler != null) {
            handler.close();
        }
        alice.close();
        slack.close();
    }

    AccountStepsHandler handler(String mode) {
        if (handler != null) {
            handler.close();
        }
        Map<String, Object> p = AccountsFixture.properties(moto, mode, "accounts-steps-policy.yaml", slack, BUCKET);
        p.put("curfew.accounts.max-concurrency", "7");
        if (now != null) {
            p.put("curfew.now", now.toString());
        }
        handler = new AccountStepsHandler(ApplicationContext.builder().properties(p));
        return handler;
    }

    static Map<String, Object> list(String execution) {
        return list("curfew", execution);
    }

    /** What the list state gives its step: the pass, and the execution's input as the schedule sent it. */
    static Map<String, Object> list(String pass, String execution, String... scheduled) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("pass", pass);
        if (scheduled.length > 0) {
            input.put("scheduled", scheduled[0]);
        }
        return Map.of("step", "list", "pass", pass, "input", input, "execution", execution);
    }

    /** The accounts a list step gave. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> accounts(Map<String, Object> listed) {
        return (List<Map<String, Object>>) listed.get("accounts");
    }

    Map<String, Object> sweep(Map<String, Object> listed, Map<String, Object> target) {
        return handler.handleRequest(Map.of("step", "sweep", "pass", listed.get("pass"), "curfew",
                listed.get("curfew"), "execution", E1, "target", target), null);
    }

    String claim() {
        return claim("curfew");
    }

    /** The execution holding the claim of {@code pass}, or null. */
    String claim(String pass) {
        return clients.ssm(EU).describeParameters(b -> b.parameterFilters(f -> f.key("Name").option("BeginsWith")
                .values("/curfew/it/sweep-lock/accounts/" + pass + "/"))).parameters().stream()
                .map(p -> clients.ssm(EU).getParameter(g -> g.name(p.name())).parameter().value()).findFirst()
                .orElse(null);
    }

    /** The test policy's coming curfew (18:00 UTC) at least ten minutes ahead of the real time. */
    static Instant comingCurfew() {
        Instant real = Instant.now();
        Instant today = real.truncatedTo(ChronoUnit.DAYS).plus(18, ChronoUnit.HOURS);
        return today.isAfter(real.plus(10, ChronoUnit.MINUTES)) ? today : today.plus(1, ChronoUnit.DAYS);
    }

    String tag(AwsClients in, String instance, String key) {
        return in.ec2(EU).describeInstances(b -> b.instanceIds(instance)).reservations().get(0).instances().get(0)
                .tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    @Test
    void theListStepClaimsTheCurfewForOneExecutionAndListsTheClassAndEnrolledAccounts() {
        AccountStepsHandler h = handler("enforce");

        Map<String, Object> first = h.handleRequest(list(E1), null);

        assertThat(first).containsEntry("pass", "curfew").containsEntry("stoodAside", false)
                .containsEntry("maxConcurrency", 7).containsEntry("mode", "enforce");
        // the policy names no course start: each account works out its figures of the 3 weeks before this one
        Object due = accounts(first).get(0).get("weeksOver");
        assertThat(due).asList().hasSize(dev.curfew.core.spend.ClosedWeeks.WEEKS_BACK);
        assertThat(accounts(first)).containsExactly(
                Map.of("account", HOME, "source", "HOME", "weeksOver", due),
                Map.of("account", ALICE, "owner", "alice", "source", "ROSTER", "weeksOver", due),
                Map.of("account", BOB, "owner", "bob", "source", "ROSTER", "weeksOver", due));
        assertThat(claim()).isEqualTo(E1);
        // a retry of the same execution's step goes on; another execution for this curfew stands aside
        assertThat(h.handleRequest(list(E1), null)).containsEntry("stoodAside", false);
        Map<String, Object> second = h.handleRequest(list(E2), null);
        assertThat(second).containsEntry("stoodAside", true).containsEntry("curfew", first.get("curfew"));
        assertThat(String.valueOf(second.get("why"))).contains(E1).contains("/curfew/it/sweep-lock/accounts/curfew/");
        assertThat(claim()).isEqualTo(E1);
        // the instructor deletes the claim (README): the curfew can be swept again
        clients.ssm(EU).deleteParameter(b -> b.name(String.valueOf(second.get("why")).replaceAll(
                ".*delete the SSM parameter (\\S+).*", "$1")));
        assertThat(h.handleRequest(list(E2), null)).containsEntry("stoodAside", false);
        assertThat(claim()).isEqualTo(E2);
    }

    @Test
    void aDryRunListClaimsNothingAndABadInputNamesItsField() {
        AccountStepsHandler h = handler("dry-run");

        assertThat(h.handleRequest(list(E1), null)).containsEntry("stoodAside", false);
        assertThat(h.handleRequest(list(E2), null)).containsEntry("stoodAside", false);
        assertThat(claim()).isNull();
        assertThatThrownBy(() -> h.handleRequest(Map.of("step", "list", "pass", "nap", "execution", E1), null))
                .hasMessageContaining("pass is \"nap\"");
        assertThatThrownBy(() -> h.handleRequest(list("idle-check", E1, "at ten"), null))
                .hasMessageContaining("input.scheduled is \"at ten\"");
        assertThatThrownBy(() -> h.handleRequest(Map.of("step", "list", "pass", "curfew"), null))
                .hasMessageContaining("execution is missing");
        assertThatThrownBy(() -> h.handleRequest(Map.of("step", "nap"), null)).hasMessageContaining("step is \"nap\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWorkerSweepsOneCoveredAccountAndRefusesAnyOther() throws Exception {
        AccountStepsHandler h = handler("dry-run");
        Map<String, Object> listed = h.handleRequest(list(E1), null);
        List<Map<String, Object>> accounts = accounts(listed);

        Map<String, Object>[] swept = new Map[2];
        List<Map<String, Object>> logged = Stdout.jsonLines(Stdout.capture(() -> {
            swept[0] = sweep(listed, accounts.get(1));
            swept[1] = sweep(listed, accounts.get(0));
        }));
        Map<String, Object> inAlice = swept[0];
        Map<String, Object> inHome = swept[1];
        Map<String, Object> inBob = sweep(listed, accounts.get(2));
        // not enrolled: whatever the input says, nothing is read there
        Map<String, Object> forged = sweep(listed, Map.of("account", "444444444444", "owner", "mallory",
                "source", "ROSTER"));
        // alice's account under bob's name
        Map<String, Object> swapped = sweep(listed, Map.of("account", ALICE, "owner", "bob", "source", "ROSTER"));

        assertThat(inAlice).containsEntry("status", "SWEPT").containsEntry("mode", "dry-run");
        assertThat(inHome).containsEntry("status", "SWEPT");
        assertThat((Map<String, Object>) inAlice.get("report")).containsEntry("line", RunLog.REPORT)
                .containsEntry("account", ALICE);
        // the full reports are in the log (a long one in parts), each of its own account: where the row points
        Map<String, List<Object>> resources = new LinkedHashMap<>();
        String account = null;
        for (Map<String, Object> l : logged) {
            if (RunLog.REPORT.equals(l.get("log"))) {
                account = String.valueOf(l.get("account"));
                resources.put(account, new ArrayList<>());
                if (l.get("resources") instanceof List<?> r) {
                    resources.get(account).addAll(r);
                }
            } else if (RunLog.RESOURCES.equals(l.get("log"))) {
                resources.get(account).addAll((List<?>) l.get("resources"));
            }
        }
        assertThat(resources).containsOnlyKeys(ALICE, HOME);
        assertThat(resources.get(ALICE)).extracting(r -> ((Map<String, Object>) r).get("id"))
                .contains(aliceLab).doesNotContain(classLab);
        assertThat(resources.get(HOME)).extracting(r -> ((Map<String, Object>) r).get("id"))
                .contains(classLab).doesNotContain(aliceLab);
        assertThat(inBob).containsEntry("status", "UNREACHABLE");
        assertThat(forged).containsEntry("status", "REFUSED_BY_GUARD");
        assertThat(String.valueOf(forged.get("error"))).contains("444444444444").contains("not one of the accounts");
        assertThat(swapped).containsEntry("status", "REFUSED_BY_GUARD");
        // dry-run: nothing changed in either account
        assertThat(new Seed(alice).state(EU, aliceLab)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(EU, classLab)).isEqualTo(InstanceStateName.RUNNING);
    }

    /**
     * The stop step, as the stops' Map gives it a STOP item: in an account the policy and roster cover, the stop path
     * stops the running instances of the owners named over budget; a target they do not cover (whatever the item
     * says) is refused before anything is read there; a bad item names its field and changes nothing.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theStopStepStopsOnlyInACoveredAccountAndABadItemNamesItsField() {
        Map<String, Object> p = AccountsFixture.properties(moto, "enforce", "accounts-spend-policy.yaml", slack,
                BUCKET);
        handler = new AccountStepsHandler(ApplicationContext.builder().properties(p));
        Map<String, Object> spent = Map.of("student", "alice", "weekStart", "2026-11-30T00:00:00Z", "weekDollars",
                12.0, "totalDollars", 12.0, "weekHours", 100.0, "totalHours", 100.0, "source", "ESTIMATE");
        java.util.function.Function<Map<String, Object>, Map<String, Object>> stop = target -> handler.handleRequest(
                Map.of("step", "stop", "pass", "curfew", "curfew", "2026-12-01T18:00:00Z", "execution", E1, "stop",
                        Map.of("target", target, "owners", List.of("alice"), "spend", Map.of("alice", spent))), null);

        // alice's account under bob's name, and an account nobody enrolled: refused, nothing read there
        Map<String, Object> swapped = stop.apply(Map.of("account", ALICE, "owner", "bob", "source", "ROSTER"));
        Map<String, Object> forged = stop.apply(Map.of("account", "444444444444", "owner", "alice",
                "source", "ROSTER"));
        assertThat(swapped).containsEntry("status", "REFUSED_BY_GUARD").containsEntry("rows", List.of());
        assertThat(forged).containsEntry("status", "REFUSED_BY_GUARD");
        assertThat(String.valueOf(forged.get("error"))).contains("444444444444").contains("not one of the accounts");
        assertThat(new Seed(alice).state(EU, aliceLab)).isEqualTo(InstanceStateName.RUNNING);
        assertThatThrownBy(() -> handler.handleRequest(Map.of("step", "stop", "pass", "curfew", "curfew",
                "2026-12-01T18:00:00Z", "execution", E1, "stop", Map.of("target", Map.of("account", ALICE,
                        "owner", "alice", "source", "ROSTER"), "owners", List.of(), "spend", Map.of())), null))
                .hasMessageContaining("stop.spend is empty");
        assertThatThrownBy(() -> handler.handleRequest(Map.of("step", "stop", "pass", "curfew", "curfew",
                "2026-12-01T18:00:00Z", "execution", E1), null)).hasMessageContaining("stop is missing");
        assertThat(new Seed(alice).state(EU, aliceLab)).isEqualTo(InstanceStateName.RUNNING);

        // her own account, but Curfew has not recorded her over budget (the item alone says so): nothing stopped,
        // and the answer says why
        Map<String, Object> unrecorded = stop.apply(Map.of("account", ALICE, "owner", "alice", "source", "ROSTER"));
        assertThat(unrecorded).containsEntry("status", "FAILED").containsEntry("rows", List.of());
        assertThat(String.valueOf(unrecorded.get("error"))).contains("[alice] not recorded over budget");
        assertThat(new Seed(alice).state(EU, aliceLab)).isEqualTo(InstanceStateName.RUNNING);

        // recorded over budget: her running instance is stopped, only it
        new dev.curfew.aws.budget.BudgetRecords(clients.ssm(EU), "it").markOver(dev.curfew.core.budget.CourseWeek
                .key(java.time.ZoneOffset.UTC, java.time.Instant.now()), "alice", AccountStepsJson.spend(spent,
                "spent"));
        Map<String, Object> own = stop.apply(Map.of("account", ALICE, "owner", "alice", "source", "ROSTER"));
        assertThat(own).containsEntry("status", "SWEPT").containsEntry("owners", List.of("alice"));
        assertThat((List<Map<String, Object>>) own.get("rows")).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("id", aliceLab).containsEntry("decision", "stop").containsEntry("outcome", "done"));
        assertThat(new Seed(alice).state(EU, aliceLab)).isEqualTo(InstanceStateName.STOPPED);
        assertThat(seed.state(EU, classLab)).isEqualTo(InstanceStateName.RUNNING);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSummaryReadsTheMapsResultsAndSendsTheInstructorOneSummary() throws Exception {
        AccountStepsHandler h = handler("dry-run");
        Map<String, Object> listed = h.handleRequest(list(E1), null);
        Map<String, Object> in = results(h, listed, "the worker timed out");

        Map<String, Object> out = h.handleRequest(in, null);

        assertThat(out).containsEntry("accounts", 3).containsEntry("byStatus", Map.of("SWEPT", 2L, "FAILED", 1L));
        assertThat((List<Map<String, Object>>) out.get("notSwept")).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("account", BOB).containsEntry("error", "States.Timeout: the worker timed out"));
        assertThat(slack.requests()).filteredOn(r -> r.body().contains(BOB)).singleElement()
                .satisfies(r -> assertThat(r.body()).contains("Accounts steps").contains(ALICE));
        // only the stack's results bucket is read
        in.put("results", Map.of("ResultWriterDetails", Map.of("Bucket", "someone-elses", "Key", "m.json")));
        assertThatThrownBy(() -> h.handleRequest(in, null))
                .hasMessageContaining("results.ResultWriterDetails.Bucket is \"someone-elses\"");
    }

    /**
     * The warning pass over the class account and alice's own account, in enforce mode: the plan is made as of the
     * curfew and nothing is acted on in either account; alice is told what will happen to her instance, and her
     * instance is marked curfew:warned in her own account. The claims are per pass: a curfew execution does not keep
     * the warning from running, and the warning's schedule delivered twice runs once.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aWarningTellsTheStudentInHerOwnAccountChangesNothingAndRunsOncePerCurfew() {
        Instant curfew = comingCurfew();
        now = curfew.minus(20, ChronoUnit.MINUTES);
        AccountStepsHandler h = handler("enforce");
        assertThat(h.handleRequest(list("curfew", E1), null)).containsEntry("stoodAside", false);

        Map<String, Object> listed = h.handleRequest(list("warning", E2), null);

        assertThat(listed).containsEntry("pass", "warning").containsEntry("stoodAside", false)
                .containsEntry("curfew", curfew.toString());
        assertThat(claim("warning")).isEqualTo(E2);
        List<Map<String, Object>> accounts = accounts(listed);
        Map<String, Object> inHome = sweep(listed, accounts.get(0));
        Map<String, Object> inAlice = sweep(listed, accounts.get(1));

        assertThat(inHome).containsEntry("status", "SWEPT").containsEntry("mode", "dry-run");
        assertThat(inAlice).containsEntry("status", "SWEPT").containsEntry("mode", "dry-run");
        assertThat(new Seed(alice).state(EU, aliceLab)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(seed.state(EU, classLab)).isEqualTo(InstanceStateName.RUNNING);
        assertThat(slack.requests()).filteredOn(r -> r.body().contains(aliceLab)).singleElement()
                .satisfies(r -> assertThat(r.body()).contains("will be terminated").doesNotContain(classLab));
        assertThat(tag(alice, aliceLab, "curfew:warned")).isEqualTo(curfew.toString());
        // the same schedule delivered again: another execution, which stands aside before any account is read
        Map<String, Object> again = h.handleRequest(list("warning", E1), null);
        assertThat(again).containsEntry("stoodAside", true);
        assertThat(String.valueOf(again.get("why"))).contains("warning pass").contains(E2);
        assertThat(claim("warning")).isEqualTo(E2);
        assertThat(claim("curfew")).isEqualTo(E1);
    }

    /**
     * A warning out of its time reads no account: started hours before its curfew (a late or stray start), the list
     * step stands aside and claims nothing; a worker that runs after the curfew it was listed for tells nobody and
     * marks nothing (its row says why).
     */
    @Test
    void aWarningOutOfItsTimeReadsNoAccount() {
        Instant curfew = comingCurfew();
        now = curfew.minus(5, ChronoUnit.HOURS);
        AccountStepsHandler h = handler("enforce");

        Map<String, Object> early = h.handleRequest(list("warning", E1), null);

        assertThat(early).containsEntry("stoodAside", true);
        assertThat(String.valueOf(early.get("why"))).contains("more than the warning lead");
        assertThat(claim("warning")).isNull();

        now = curfew.plus(5, ChronoUnit.MINUTES);
        handler("enforce");
        Map<String, Object> late = sweep(Map.of("pass", "warning", "curfew", curfew.toString()),
                Map.of("account", ALICE, "owner", "alice", "source", "ROSTER"));

        assertThat(late).containsEntry("status", "FAILED");
        assertThat(String.valueOf(late.get("error"))).contains("after that curfew");
        assertThat(tag(alice, aliceLab, "curfew:warned")).isNull();
        assertThat(slack.requests()).isEmpty();
    }

    /**
     * The idle check runs several times a day: each scheduled time is claimed once, so the same schedule delivered
     * twice stands aside and the next hour's check runs; the claims of the same time on the days before are deleted.
     */
    @Test
    void eachIdleCheckIsClaimedByItsScheduledTime() {
        AccountStepsHandler h = handler("enforce");
        String yesterday = "/curfew/it/sweep-lock/accounts/idle-check/20261130T100000Z";
        clients.ssm(EU).putParameter(b -> b.name(yesterday).type("String").value("arn:old"));

        Map<String, Object> first = h.handleRequest(list("idle-check", E1, "2026-12-01T10:00:00Z"), null);
        Map<String, Object> twice = h.handleRequest(list("idle-check", E2, "2026-12-01T10:00:00Z"), null);
        Map<String, Object> nextHour = h.handleRequest(list("idle-check", E2, "2026-12-01T11:00:00Z"), null);

        assertThat(first).containsEntry("stoodAside", false).containsEntry("pass", "idle-check")
                .containsEntry("curfew", "2026-12-01T10:00:00Z");
        assertThat(twice).containsEntry("stoodAside", true);
        assertThat(String.valueOf(twice.get("why"))).contains("idle check scheduled for 2026-12-01T10:00:00Z")
                .contains(E1);
        assertThat(nextHour).containsEntry("stoodAside", false);
        assertThat(clients.ssm(EU).describeParameters(b -> b.parameterFilters(f -> f.key("Name").option("BeginsWith")
                .values("/curfew/it/sweep-lock/accounts/idle-check/"))).parameters())
                .extracting(software.amazon.awssdk.services.ssm.model.ParameterMetadata::name).containsExactlyInAnyOrder(
                        "/curfew/it/sweep-lock/accounts/idle-check/20261201T100000Z",
                        "/curfew/it/sweep-lock/accounts/idle-check/20261201T110000Z");
    }

    /**
     * The Map's results as its ResultWriter writes them (home's and alice's rows, bob's child execution failed with
     * {@code bobsCause}), and the summary step's input that names them.
     */
    Map<String, Object> results(AccountStepsHandler h, Map<String, Object> listed, String bobsCause) throws Exception {
        List<Map<String, Object>> accounts = accounts(listed);
        JsonMapper json = JsonMapper.createDefault();
        List<Map<String, Object>> succeeded = new ArrayList<>();
        for (int i : new int[] {0, 1}) {
            Map<String, Object> in = Map.of("step", "sweep", "pass", listed.get("pass"), "curfew",
                    listed.get("curfew"), "execution", E1, "target", accounts.get(i));
            succeeded.add(Map.of("Input", json.writeValueAsString(in), "Output",
                    json.writeValueAsString(h.handleRequest(in, null)), "Status", "SUCCEEDED"));
        }
        List<Map<String, Object>> failed = List.of(Map.of("Input", json.writeValueAsString(Map.of("target",
                accounts.get(2))), "Status", "FAILED", "Error", "States.Timeout", "Cause", bobsCause));
        clients.s3().createBucket(b -> b.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint(EU)));
        return AccountsFixture.summaryInput(clients, BUCKET, listed, E1, succeeded, failed);
    }

    /**
     * After an idle check across accounts (enforce) the instructor gets no summary (the curfew's comes in the
     * evening; the execution's output has the numbers): bob's account, which the summary rebuilds as failed, is in
     * the output, and nothing is posted about it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void afterAnIdleCheckTheInstructorGetsNoSummary() throws Exception {
        AccountStepsHandler h = handler("enforce");
        Map<String, Object> listed = h.handleRequest(list("idle-check", E1, "2026-12-01T10:00:00Z"), null);
        Map<String, Object> in = results(h, listed, "the idle worker timed out");
        slack.clear();

        Map<String, Object> out = h.handleRequest(in, null);

        assertThat(out).containsEntry("pass", "idle-check").containsEntry("accounts", 3)
                .containsEntry("byStatus", Map.of("SWEPT", 2L, "FAILED", 1L));
        assertThat((List<Map<String, Object>>) out.get("notSwept")).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("account", BOB));
        assertThat(slack.requests()).isEmpty();
    }
}
