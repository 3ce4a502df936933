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

    private static void put(AwsClients home, String bucket, String key, String body) {
        home.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }
}
