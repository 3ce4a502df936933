package dev.curfew.function.sweeper;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoAccounts;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.Seed;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * The accounts state machine's steps, through their Lambda handler, on the moto server: a class account and a
 * student's own account (alice, enrolled: her curfew-access role is there), bob enrolled in the roster without the
 * role. The list step claims its curfew once; the worker sweeps only an account the policy and roster cover; the
 * summary reads the results as the Map's ResultWriter writes them and sends the instructor's summary to a local Slack.
 */
class AccountStepsIT {
    static final String EU = "eu-west-1";
    static final String HOME = "123456789012";
    static final String ALICE = "111111111111";
    static final String BOB = "222222222222";
    static final String BUCKET = "it-accounts-results";
    static final String E1 = "arn:aws:states:eu-west-1:123456789012:execution:it-accounts:first";
    static final String E2 = "arn:aws:states:eu-west-1:123456789012:execution:it-accounts:second";

    final MotoServer moto = MotoServer.get();
    final FakeSlack slack = new FakeSlack();
    AwsClients home;
    AwsClients alice;
    AccountStepsHandler handler;
    String classLab;
    String aliceLab;

    @BeforeEach
    void seed() {
        moto.reset();
        home = new AwsClients(moto.settings(EU));
        alice = MotoAccounts.clientsIn(moto, EU, ALICE);
        MotoAccounts.putEnrolmentKey(home);
        home.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value("""
                owner,name,email,slack,account
                alice,Alice,alice@example.edu,,111111111111
                bob,Bob,bob@example.edu,,222222222222
                """));
        home.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
        MotoAccounts.deployRole(alice);
        MotoAccounts.nextSecond();
        aliceLab = new Seed(alice).instance(EU, tags("Name", "lab"));
        classLab = new Seed(home).instance(EU, tags("Name", "lab", "curfew:owner", "erin"));
    }

    @AfterEach
    void close() {
        if (handler != null) {
            handler.close();
        }
        home.close();
        alice.close();
        slack.close();
    }

    AccountStepsHandler handler(String mode) {
        if (handler != null) {
            handler.close();
        }
        Map<String, Object> p = Sweepers.properties(moto, mode,
                Path.of("src/test/resources/accounts-steps-policy.yaml").toAbsolutePath().toString(), slack.apiBase());
        p.put("curfew.accounts", HOME);
        p.put("curfew.stack-name", "it");
        p.put("curfew.accounts.results-bucket", BUCKET);
        p.put("curfew.accounts.max-concurrency", "7");
        handler = new AccountStepsHandler(ApplicationContext.builder().properties(p));
        return handler;
    }

    static Map<String, Object> list(String execution) {
        return Map.of("step", "list", "pass", "curfew", "execution", execution);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> sweep(Map<String, Object> listed, Map<String, Object> target) {
        return handler.handleRequest(Map.of("step", "sweep", "pass", "curfew", "curfew", listed.get("curfew"),
                "execution", E1, "target", target), null);
    }

    String claim() {
        return home.ssm(EU).describeParameters(b -> b.parameterFilters(f -> f.key("Name").option("BeginsWith")
                .values("/curfew/it/sweep-lock/accounts/curfew/"))).parameters().stream()
                .map(p -> home.ssm(EU).getParameter(g -> g.name(p.name())).parameter().value()).findFirst()
                .orElse(null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theListStepClaimsTheCurfewForOneExecutionAndListsTheClassAndEnrolledAccounts() {
        AccountStepsHandler h = handler("enforce");

        Map<String, Object> first = h.handleRequest(list(E1), null);

        assertThat(first).containsEntry("pass", "curfew").containsEntry("stoodAside", false)
                .containsEntry("maxConcurrency", 7).containsEntry("mode", "enforce");
        assertThat((List<Map<String, Object>>) first.get("accounts")).containsExactly(
                Map.of("account", HOME, "source", "HOME"),
                Map.of("account", ALICE, "owner", "alice", "source", "ROSTER"),
                Map.of("account", BOB, "owner", "bob", "source", "ROSTER"));
        assertThat(claim()).isEqualTo(E1);
        // a retry of the same execution's step goes on; another execution for this curfew stands aside
        assertThat(h.handleRequest(list(E1), null)).containsEntry("stoodAside", false);
        Map<String, Object> second = h.handleRequest(list(E2), null);
        assertThat(second).containsEntry("stoodAside", true).containsEntry("curfew", first.get("curfew"));
        assertThat(String.valueOf(second.get("why"))).contains(E1).contains("/curfew/it/sweep-lock/accounts/curfew/");
        assertThat(claim()).isEqualTo(E1);
        // the instructor deletes the claim (README): the curfew can be swept again
        home.ssm(EU).deleteParameter(b -> b.name(String.valueOf(second.get("why")).replaceAll(
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
        assertThatThrownBy(() -> h.handleRequest(Map.of("step", "list", "pass", "warning", "execution", E1), null))
                .hasMessageContaining("pass is \"warning\"");
        assertThatThrownBy(() -> h.handleRequest(Map.of("step", "list", "pass", "curfew"), null))
                .hasMessageContaining("execution is missing");
        assertThatThrownBy(() -> h.handleRequest(Map.of("step", "nap"), null)).hasMessageContaining("step is \"nap\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWorkerSweepsOneCoveredAccountAndRefusesAnyOther() throws Exception {
        AccountStepsHandler h = handler("dry-run");
        Map<String, Object> listed = h.handleRequest(list(E1), null);
        List<Map<String, Object>> accounts = (List<Map<String, Object>>) listed.get("accounts");

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
        assertThat(new Seed(home).state(EU, classLab)).isEqualTo(InstanceStateName.RUNNING);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSummaryReadsTheMapsResultsAndSendsTheInstructorOneSummary() throws Exception {
        AccountStepsHandler h = handler("dry-run");
        Map<String, Object> listed = h.handleRequest(list(E1), null);
        List<Map<String, Object>> accounts = (List<Map<String, Object>>) listed.get("accounts");
        JsonMapper json = JsonMapper.createDefault();
        // the Map's results as its ResultWriter writes them: alice's and home's rows, bob's child execution failed
        List<Map<String, Object>> succeeded = new ArrayList<>();
        for (int i : new int[] {0, 1}) {
            Map<String, Object> in = Map.of("step", "sweep", "pass", "curfew", "curfew", listed.get("curfew"),
                    "execution", E1, "target", accounts.get(i));
            succeeded.add(Map.of("Input", json.writeValueAsString(in), "Output",
                    json.writeValueAsString(h.handleRequest(in, null)), "Status", "SUCCEEDED"));
        }
        List<Map<String, Object>> failed = List.of(Map.of("Input", json.writeValueAsString(Map.of("target",
                accounts.get(2))), "Status", "FAILED", "Error", "States.Timeout", "Cause", "the worker timed out"));
        home.s3().createBucket(b -> b.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint(EU)));
        put("runs/r1/SUCCEEDED_0.json", json.writeValueAsString(succeeded));
        put("runs/r1/FAILED_0.json", json.writeValueAsString(failed));
        put("runs/r1/manifest.json", json.writeValueAsString(Map.of("DestinationBucket", BUCKET, "MapRunArn",
                "arn:aws:states:eu-west-1:123456789012:mapRun:it-accounts/r1", "ResultFiles", Map.of(
                        "SUCCEEDED", List.of(Map.of("Key", "runs/r1/SUCCEEDED_0.json")),
                        "FAILED", List.of(Map.of("Key", "runs/r1/FAILED_0.json")), "PENDING", List.of()))));
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("step", "summary");
        in.put("pass", "curfew");
        in.put("curfew", listed.get("curfew"));
        in.put("execution", E1);
        in.put("accounts", accounts);
        in.put("results", Map.of("MapRunArn", "arn:x", "ResultWriterDetails", Map.of("Bucket", BUCKET,
                "Key", "runs/r1/manifest.json")));

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

    void put(String key, String body) {
        home.s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body));
    }
}
