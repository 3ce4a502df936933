package dev.curfew.function.sweeper;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.MotoServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** What the sweeper's emulator tests share: a function's configuration against the moto server, and seeds. */
final class Sweepers {
    static final String EU = "eu-west-1";
    static final String ACCOUNT = "123456789012";

    private Sweepers() {
    }

    /**
     * A function's properties as template.yaml would set them, in the moto server's class account and one region
     * ({@value #EU}); a mutable map the caller adds to.
     */
    static Map<String, Object> properties(MotoServer moto, String mode, String policy, String slackApiBase) {
        Map<String, Object> p = new HashMap<>();
        p.put("aws.endpoint-url", moto.endpoint());
        p.put("aws.region", EU);
        p.put("curfew.regions", EU);
        p.put("curfew.accounts", ACCOUNT);
        p.put("curfew.mode", mode);
        p.put("curfew.policy", policy);
        p.put("curfew.slack-api-url", slackApiBase);
        return p;
    }

    /**
     * Where the messages go: the roster in SSM (alice on Slack and by email, bob by email, then {@code moreRows},
     * each ending in a newline), the Slack webhook secret pointing at {@code slack}, the SES sender verified.
     */
    static void messaging(AwsClients clients, dev.curfew.aws.testing.FakeSlack slack, String... moreRows) {
        clients.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value("""
                owner,name,email,slack
                alice,Alice Liddell,alice@example.edu,U01ALICE
                bob,Bob,bob@example.edu,
                """ + String.join("", moreRows)));
        clients.secrets().createSecret(b -> b.name("curfew/slack-webhook").secretString(slack.webhookUrl()));
        clients.ses().createEmailIdentity(b -> b.emailIdentity("curfew@example.edu"));
    }

    /** The first curfew of a policy file at least an hour from now. */
    static Instant nextCurfew(String policyFile) throws java.io.IOException {
        return dev.curfew.core.plan.CurfewTimes.next(dev.curfew.core.policy.PolicyLoader.load(
                java.nio.file.Files.readString(java.nio.file.Path.of(policyFile)), policyFile),
                Instant.now().plus(Duration.ofHours(1)));
    }

    /** A pass of a handler, with the sample scheduled event of that pass (events/scheduled-PASS.json). */
    static Map<String, Object> pass(SweeperHandler handler, String pass) throws java.io.IOException {
        io.micronaut.json.JsonMapper json = handler.getApplicationContext().getBean(io.micronaut.json.JsonMapper.class);
        return handler.handleRequest(Events.scheduledFromText(json, java.nio.file.Files.readString(
                Events.dir().resolve("scheduled-" + pass + ".json"))), null);
    }

    /**
     * The sweeper's handler in {@code mode} with {@code policy}, its clock at {@code now}, messages to {@code slack},
     * and any beans of the test's own (a spend source).
     */
    static SweeperHandler handler(MotoServer moto, String mode, String policy, dev.curfew.aws.testing.FakeSlack slack,
                                  Instant now, Map<String, Object> more) {
        Map<String, Object> p = properties(moto, mode, policy, slack.apiBase());
        p.put("curfew.now", now.toString());
        p.putAll(more);
        return new SweeperHandler(io.micronaut.context.ApplicationContext.builder().properties(p));
    }

    static SweeperHandler handler(MotoServer moto, String mode, String policy, dev.curfew.aws.testing.FakeSlack slack,
                                  Instant now, Object... beans) {
        Map<String, Object> p = properties(moto, mode, policy, slack.apiBase());
        p.put("curfew.now", now.toString());
        return new SweeperHandler(io.micronaut.context.ApplicationContext.builder().properties(p).singletons(beans));
    }

    /**
     * An 8 GiB volume of {@code owner} in {@value #EU}, marked for snapshot-then-delete an hour before
     * {@code curfew}: due at the curfew pass. The mark is at most a minute short of 24 hours after the real clock
     * (it was set 24 hours before it is due), which dates moto's snapshots.
     */
    static String markedVolume(AwsClients clients, String owner, Instant curfew) {
        Instant due = curfew.minus(Duration.ofHours(1));
        Instant latestDue = Instant.now().plus(Duration.ofHours(24)).minus(Duration.ofMinutes(1));
        Instant volumeDue = due.isAfter(latestDue) ? latestDue : due;
        return clients.ec2(EU).createVolume(b -> b.availabilityZone(EU + "a").size(8).volumeType("gp3")
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(
                        Tag.builder().key("curfew:owner").value(owner).build(),
                        Tag.builder().key("curfew:pending").value("snapshot-then-delete@" + volumeDue).build())
                        .build())).volumeId();
    }
}
