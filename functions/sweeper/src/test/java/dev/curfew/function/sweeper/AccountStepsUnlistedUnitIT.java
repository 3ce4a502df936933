package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoAccounts;
import dev.curfew.aws.testing.MotoServer;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The accounts state machine with a policy whose Organization unit does not exist: the list step still lists the
 * class account and the roster's accounts, and carries the unit's failure to the summary step, whose output and
 * instructor's summary name it.
 */
class AccountStepsUnlistedUnitIT {
    static final String EU = "eu-west-1";
    static final String BUCKET = "it-unit-results";
    static final String EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:it-accounts:unit";

    @Test
    @SuppressWarnings("unchecked")
    void aUnitThatCannotBeListedLeavesTheOtherAccountsListedAndIsNamedInTheSummary() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        Path policy = Files.createTempFile("unit-policy", ".yaml");
        Files.writeString(policy, Files.readString(Path.of("src/test/resources/accounts-steps-policy.yaml"))
                + "enrolment:\n  organization-unit: ou-zzzz-zzzzzzzz\n");
        try (AwsClients home = new AwsClients(moto.settings(EU)); FakeSlack slack = new FakeSlack()) {
            MotoAccounts.putEnrolmentKey(home);
            home.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String")
                    .value("owner,name,email,slack,account\nalice,Alice,alice@example.edu,,111111111111\n"));
            home.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
            home.s3().createBucket(b -> b.bucket(BUCKET).createBucketConfiguration(c -> c.locationConstraint(EU)));
            home.s3().putObject(b -> b.bucket(BUCKET).key("runs/u/manifest.json"), RequestBody.fromString(
                    "{\"ResultFiles\": {\"SUCCEEDED\": [], \"FAILED\": [], \"PENDING\": []}}"));
            Map<String, Object> p = new HashMap<>(Map.of("aws.endpoint-url", moto.endpoint(), "aws.region", EU,
                    "curfew.regions", EU, "curfew.accounts", "123456789012", "curfew.mode", "dry-run",
                    "curfew.stack-name", "it", "curfew.policy", policy.toString(), "curfew.slack-api-url",
                    slack.apiBase(), "curfew.accounts.results-bucket", BUCKET));
            try (AccountStepsHandler h = new AccountStepsHandler(ApplicationContext.builder().properties(p))) {
                Map<String, Object> listed = h.handleRequest(Map.of("step", "list", "pass", "curfew", "execution",
                        EXECUTION), null);

                Object due = ((List<Map<String, Object>>) listed.get("accounts")).get(0).get("weeksOver");
                assertThat((List<Map<String, Object>>) listed.get("accounts")).containsExactly(
                        Map.of("account", "123456789012", "source", "HOME", "weeksOver", due),
                        Map.of("account", "111111111111", "owner", "alice", "source", "ROSTER", "weeksOver", due));
                assertThat((List<String>) listed.get("problems")).singleElement().asString()
                        .contains("enrolment.organization-unit \"ou-zzzz-zzzzzzzz\"");

                // the summary's input as the state machine builds it (template.yaml, Summarize)
                Map<String, Object> in = new LinkedHashMap<>();
                in.put("step", "summary");
                in.put("pass", "curfew");
                in.put("curfew", listed.get("curfew"));
                in.put("execution", EXECUTION);
                in.put("accounts", List.of());
                in.put("problems", listed.get("problems"));
                in.put("results", Map.of("ResultWriterDetails", Map.of("Bucket", BUCKET,
                        "Key", "runs/u/manifest.json")));
                Map<String, Object> out = h.handleRequest(in, null);

                assertThat(out.get("problems")).isEqualTo(listed.get("problems"));
                assertThat(slack.requests()).anySatisfy(r -> assertThat(r.body())
                        .contains("Accounts left out of the sweep", "ou-zzzz-zzzzzzzz"));
            }
        } finally {
            Files.deleteIfExists(policy);
        }
    }
}
