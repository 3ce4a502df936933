package dev.curfew.function.sweeper;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoAccounts;
import dev.curfew.aws.testing.MotoServer;
import io.micronaut.json.JsonMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What the accounts state machine's emulator tests share: alice's own account enrolled (her curfew-access role
 * deployed) beside the class account, the steps' settings, and the Map's results written as its ResultWriter writes
 * them, with the summary step's input that names them.
 */
final class AccountsFixture {
    static final String HOME = "123456789012";
    static final String ALICE = "111111111111";
    static final String BOB = "222222222222";
    static final String EU = Sweepers.EU;

    private AccountsFixture() {
    }

    /** The roster: alice and bob each have an account of their own; {@link #enrolAlice} adds more rows. */
    static final String ROSTER = """
            owner,name,email,slack,account
            alice,Alice,alice@example.edu,,111111111111
            bob,Bob,bob@example.edu,,222222222222
            """;

    /**
     * The enrolment key, the roster ({@link #ROSTER} and {@code rows}, in SSM {@code /curfew/roster}), the Slack
     * webhook secret, and alice's role; a second later (so that what is made next is after her enrolment). Returns
     * her clients.
     */
    static AwsClients enrolAlice(MotoServer moto, AwsClients home, FakeSlack slack, String... rows) {
        String roster = ROSTER + String.join("\n", rows);
        AwsClients alice = MotoAccounts.clientsIn(moto, EU, ALICE);
        MotoAccounts.putEnrolmentKey(home);
        home.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value(roster));
        home.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
        MotoAccounts.deployRole(alice);
        MotoAccounts.nextSecond();
        return alice;
    }

    /** The steps' settings: the class account guarded, stack "it", the results bucket, {@code policy} in resources. */
    static Map<String, Object> properties(MotoServer moto, String mode, String policy, FakeSlack slack,
                                          String resultsBucket) {
        Map<String, Object> p = Sweepers.properties(moto, mode,
                Path.of("src/test/resources/" + policy).toAbsolutePath().toString(), slack.apiBase());
        p.put("curfew.accounts", HOME);
        p.put("curfew.stack-name", "it");
        p.put("curfew.accounts.results-bucket", resultsBucket);
        return p;
    }

    /**
     * The steps' handler with Cost Explorer on and {@code policy}; {@code more} are further settings (name, value).
     */
    static AccountStepsHandler costExplorerOn(MotoServer moto, String mode, String policy, FakeSlack slack,
                                              String resultsBucket, String... more) {
        Map<String, Object> p = properties(moto, mode, policy, slack, resultsBucket);
        p.put("curfew.cost-explorer", "on");
        for (int i = 0; i + 1 < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return new AccountStepsHandler(io.micronaut.context.ApplicationContext.builder().properties(p));
    }

    /**
     * Writes the Map run's results files and manifest to {@code bucket} (which must exist) and returns the summary
     * step's input naming them.
     */
    static Map<String, Object> summaryInput(AwsClients home, String bucket, Map<String, Object> listed,
                                            String execution, List<Map<String, Object>> succeeded,
                                            List<Map<String, Object>> failed) throws Exception {
        JsonMapper json = JsonMapper.createDefault();
        put(home, bucket, "runs/r1/SUCCEEDED_0.json", json.writeValueAsString(succeeded));
        put(home, bucket, "runs/r1/FAILED_0.json", json.writeValueAsString(failed));
        put(home, bucket, "runs/r1/manifest.json", json.writeValueAsString(Map.of("DestinationBucket", bucket,
                "MapRunArn", "arn:aws:states:eu-west-1:123456789012:mapRun:it-accounts/r1", "ResultFiles", Map.of(
                        "SUCCEEDED", List.of(Map.of("Key", "runs/r1/SUCCEEDED_0.json")),
                        "FAILED", List.of(Map.of("Key", "runs/r1/FAILED_0.json")), "PENDING", List.of()))));
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("step", "summary");
        in.put("pass", listed.get("pass"));
        in.put("curfew", listed.get("curfew"));
        in.put("execution", execution);
        in.put("accounts", listed.get("accounts"));
        in.put("results", Map.of("MapRunArn", "arn:x", "ResultWriterDetails", Map.of("Bucket", bucket,
                "Key", "runs/r1/manifest.json")));
        return in;
    }

    /**
     * One pass of the state machine as its states run it: the list step ({@code input} is the execution's input),
     * each account's worker (its row, by account, into {@code rows}, and as the Map writes it to {@code bucket}),
     * the summary. Returns the summary's answer; the list step's goes into {@code listed}.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> pass(AccountStepsHandler h, AwsClients home, String bucket, String execution,
                                    Map<String, Object> input, Map<String, Object> listed,
                                    Map<String, Map<String, Object>> rows) throws Exception {
        JsonMapper json = JsonMapper.createDefault();
        String pass = String.valueOf(input.get("pass"));
        listed.putAll(h.handleRequest(Map.of("step", "list", "pass", pass, "input", input, "execution", execution),
                null));
        List<Map<String, Object>> results = new java.util.ArrayList<>();
        for (Map<String, Object> target : (List<Map<String, Object>>) listed.get("accounts")) {
            Map<String, Object> in = Map.of("step", "sweep", "pass", pass, "curfew", listed.get("curfew"),
                    "execution", execution, "target", target);
            Map<String, Object> row = h.handleRequest(in, null);
            rows.put(String.valueOf(target.get("account")), row);
            results.add(Map.of("Input", json.writeValueAsString(in), "Output", json.writeValueAsString(row),
                    "Status", "SUCCEEDED"));
        }
        Map<String, Object> in = summaryInput(home, bucket, listed, execution, results, List.of());
        in.put("problems", List.of());
        return h.handleRequest(in, null);
    }

    /** This week's over-budget record of {@code owner} in stack "it", or null. */
    static String overRecord(AwsClients home, String owner) {
        try {
            return home.ssm(EU).getParameter(b -> b.name("/curfew/it/budget/over/" + dev.curfew.core.budget
                    .CourseWeek.key(java.time.ZoneOffset.UTC, java.time.Instant.now()) + "/" + owner)).parameter()
                    .value();
        } catch (software.amazon.awssdk.services.ssm.model.ParameterNotFoundException e) {
            return null;
        }
    }

    private static void put(AwsClients home, String bucket, String key, String body) {
        home.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }
}
