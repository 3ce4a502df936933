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
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("step", "summary");
        in.put("pass", listed.get("pass"));
        in.put("curfew", listed.get("curfew"));
        in.put("execution", execution);
        in.put("accounts", listed.get("accounts"));
        in.put("results", mapResults(home, bucket, "r1", succeeded, failed));
        return in;
    }

    /**
     * Writes a Map run's results files and manifest below runs/{@code run}/ as its ResultWriter does, and returns the
     * Map state's output that names them.
     */
    static Map<String, Object> mapResults(AwsClients home, String bucket, String run,
                                          List<Map<String, Object>> succeeded, List<Map<String, Object>> failed)
            throws Exception {
        JsonMapper json = JsonMapper.createDefault();
        String prefix = "runs/" + run + "/";
        put(home, bucket, prefix + "SUCCEEDED_0.json", json.writeValueAsString(succeeded));
        put(home, bucket, prefix + "FAILED_0.json", json.writeValueAsString(failed));
        put(home, bucket, prefix + "manifest.json", json.writeValueAsString(Map.of("DestinationBucket", bucket,
                "MapRunArn", "arn:aws:states:eu-west-1:123456789012:mapRun:it-accounts/" + run, "ResultFiles", Map.of(
                        "SUCCEEDED", List.of(Map.of("Key", prefix + "SUCCEEDED_0.json")),
                        "FAILED", List.of(Map.of("Key", prefix + "FAILED_0.json")), "PENDING", List.of()))));
        return Map.of("MapRunArn", "arn:x:" + run, "ResultWriterDetails", Map.of("Bucket", bucket,
                "Key", prefix + "manifest.json"));
    }

    /**
     * One pass of the state machine as its states run it: the list step ({@code input} is the execution's input),
     * each account's worker (its row, by account, into {@code rows}, and as the Map writes it to {@code bucket}),
     * the summary. Returns the summary's answer; the list step's goes into {@code listed}.
     */
    static Map<String, Object> pass(AccountStepsHandler h, AwsClients home, String bucket, String execution,
                                    Map<String, Object> input, Map<String, Object> listed,
                                    Map<String, Map<String, Object>> rows) throws Exception {
        Pass p = run(h, home, bucket, execution, input, () -> { });
        listed.putAll(p.listed());
        rows.putAll(p.rows());
        return p.summary();
    }

    /**
     * What one pass's steps were given and answered: the list step's answer, each account's row (by account), the
     * budget step's input and answer, each stop's input and answer (as the stops' Map ran them), the summary's.
     */
    record Pass(Map<String, Object> listed, Map<String, Map<String, Object>> rows, Map<String, Object> budgetsIn,
                Map<String, Object> weighed, List<Map<String, Object>> stopIns, List<Map<String, Object>> stopped,
                Map<String, Object> summary) {
    }

    /**
     * One pass as the state machine's states run it (template.yaml AccountsStateMachine): ListAccounts, each
     * account's SweepAccount (the Map's results written as its ResultWriter does), WeighBudgets, then, when it has
     * stops to make, {@code beforeStops} and StopEachAccount (each STOP item the budget step wrote, read as its
     * ItemReader does, through the stop step; a stop that throws becomes StopFailed's answer, as its Catch makes it),
     * then Summarize with the budget step's answer and the stops' results.
     */
    @SuppressWarnings("unchecked")
    static Pass run(AccountStepsHandler h, AwsClients home, String bucket, String execution,
                    Map<String, Object> input, Runnable beforeStops) throws Exception {
        JsonMapper json = JsonMapper.createDefault();
        String pass = String.valueOf(input.get("pass"));
        Map<String, Object> listed = h.handleRequest(Map.of("step", "list", "pass", pass, "input", input,
                "execution", execution), null);
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
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
        Map<String, Object> budgetsIn = new LinkedHashMap<>(in);
        budgetsIn.put("step", "budgets");
        Map<String, Object> weighed = new LinkedHashMap<>(h.handleRequest(budgetsIn, null));
        List<Map<String, Object>> stopIns = new java.util.ArrayList<>();
        List<Map<String, Object>> stopped = new java.util.ArrayList<>();
        Map<String, Object> budgets = new LinkedHashMap<>(weighed);
        if (Boolean.TRUE.equals(weighed.get("stopping"))) {
            beforeStops.run();
            Map<String, Object> where = (Map<String, Object>) weighed.get("stops");
            List<Object> items = (List<Object>) json.readValue(home.s3().getObjectAsBytes(b -> b.bucket(String.valueOf(
                    where.get("Bucket"))).key(String.valueOf(where.get("Key")))).asByteArray(), Object.class);
            List<Map<String, Object>> stopResults = new java.util.ArrayList<>();
            for (Object item : items) {
                Map<String, Object> stopIn = Map.of("step", "stop", "pass", pass, "curfew", listed.get("curfew"),
                        "execution", execution, "stop", item);
                stopIns.add(stopIn);
                Map<String, Object> out;
                try {
                    out = h.handleRequest(stopIn, null);
                } catch (RuntimeException e) {
                    // StopFailed: the Catch's {Error, Cause}, the Cause as Lambda's runtime writes it
                    Map<String, Object> failed = new LinkedHashMap<>();
                    failed.put("target", ((Map<String, Object>) item).get("target"));
                    failed.put("owners", ((Map<String, Object>) item).get("owners"));
                    failed.put("status", "FAILED");
                    failed.put("error", json.writeValueAsString(Map.of("errorMessage", String.valueOf(
                            e.getMessage()), "errorType", e.getClass().getName())));
                    failed.put("errorType", e.getClass().getName());
                    out = failed;
                }
                stopped.add(out);
                stopResults.add(Map.of("Input", json.writeValueAsString(stopIn), "Output",
                        json.writeValueAsString(out), "Status", "SUCCEEDED"));
            }
            budgets.put("stopped", mapResults(home, bucket, "s1", stopResults, List.of()));
        }
        Map<String, Object> summaryIn = new LinkedHashMap<>(in);
        summaryIn.put("budgets", budgets);
        return new Pass(listed, rows, budgetsIn, weighed, stopIns, stopped, h.handleRequest(summaryIn, null));
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
