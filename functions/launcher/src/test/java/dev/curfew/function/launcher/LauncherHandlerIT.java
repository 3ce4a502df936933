package dev.curfew.function.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.curfew.aws.testing.SshGroups;
import dev.curfew.core.launch.JsonBody;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;

/** The deployed handler, fed the sample Function URL events of events/, against the moto server. */
class LauncherHandlerIT extends Launchers {
    static final String ALICE = "arn:aws:iam::123456789012:user/alice";

    @BeforeEach
    void account() {
        ec2().createKeyPair(b -> b.keyName("alice-key"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> body(APIGatewayV2HTTPResponse r) {
        return (Map<String, Object>) JsonBody.parse(r.getBody());
    }

    static Instance instance(String id) {
        return ec2().describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void launchListAndTerminateWithTheSampleEvents() throws Exception {
        // launch
        APIGatewayV2HTTPResponse launched = handler.handleRequest(Events.read(json, "launcher-launch.json"), null);

        assertThat(launched.getStatusCode()).as(launched.getBody()).isEqualTo(201);
        assertThat(launched.getHeaders()).containsEntry("Content-Type", "application/json");
        Map<String, Object> out = body(launched);
        String id = (String) out.get("instanceId");
        assertThat(launched.getHeaders()).containsEntry("Location", "/instances/" + id);

        Instance i = instance(id);
        assertThat(i.instanceLifecycleAsString()).isEqualTo("spot");
        assertThat(i.instanceTypeAsString()).isEqualTo("t3.micro");
        assertThat(i.keyName()).isEqualTo("alice-key");
        assertThat(i.placement().availabilityZone()).isEqualTo(out.get("zone")).isEqualTo("eu-west-1a");
        assertThat(i.tags()).extracting(Tag::key, Tag::value).containsExactlyInAnyOrder(
                tuple("curfew:owner", "alice"),
                tuple("curfew:created-by", ALICE),
                tuple("curfew:expires-at", "2026-11-25T12:00:00Z"));
        String ami = clients.ssm(EU).getParameter(b -> b.name(
                "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")).parameter().value();
        assertThat(i.imageId()).isEqualTo(ami);

        // the security group: port 22 from the caller's address only, tagged like the instance
        assertThat(i.securityGroups()).hasSize(1);
        SecurityGroup g = ec2().describeSecurityGroups(b -> b.groupIds(i.securityGroups().get(0).groupId()))
                .securityGroups().get(0);
        SshGroups.assertOnlySshFrom(g, "203.0.113.7/32");
        assertThat(g.tags()).extracting(Tag::key, Tag::value).contains(tuple("curfew:owner", "alice"),
                tuple("curfew:expires-at", "2026-11-25T12:00:00Z"));
        assertThat(g.groupName()).startsWith("curfew-ssh-alice-20261125T100000Z-");

        // the price chosen: the emulator's constant spot price, capped at the policy's 0.05
        Map<String, Object> price = (Map<String, Object>) out.get("price");
        assertThat(price).containsEntry("spotPerHour", "0.00001").containsEntry("maxPricePerHour", "0.05")
                .containsEntry("onDemandPerHour", "0.0114").containsEntry("onDemandRegion", EU);
        assertThat((List<Map<String, Object>>) out.get("zones")).extracting(z -> z.get("zone"))
                .containsExactly("eu-west-1a", "eu-west-1b", "eu-west-1c");

        // the answer: when it is cleaned up, and the exact ssh command
        assertThat(out).containsEntry("expiresAt", "2026-11-25T12:00:00Z");
        assertThat((String) out.get("cleanup")).contains("It expires at 2026-11-25T12:00:00Z (Wed 25 Nov 13:00 "
                + "Europe/Amsterdam)");
        assertThat((Map<String, Object>) out.get("ssh")).containsEntry("command",
                "ssh -i ~/.ssh/alice-key.pem ec2-user@" + i.publicIpAddress());
        assertThat((String) out.get("message")).contains("ssh -i ~/.ssh/alice-key.pem ec2-user@"
                + i.publicIpAddress()).contains("https://a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6.lambda-url.eu-west-1.on.aws"
                + "/instances/" + id);

        // list
        APIGatewayV2HTTPResponse listed = handler.handleRequest(Events.read(json, "launcher-list.json"), null);
        assertThat(listed.getStatusCode()).isEqualTo(200);
        assertThat((List<Map<String, Object>>) body(listed).get("instances")).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("instanceId", id).containsEntry("lifecycle", "spot")
                        .containsEntry("expiresAt", "2026-11-25T12:00:00Z"));

        // terminate
        APIGatewayV2HTTPEvent terminate = Events.read(json, "launcher-terminate.json");
        terminate.setRawPath("/instances/" + id);
        terminate.getRequestContext().getHttp().setPath("/instances/" + id);
        APIGatewayV2HTTPResponse gone = handler.handleRequest(terminate, null);
        assertThat(gone.getStatusCode()).as(gone.getBody()).isEqualTo(200);
        assertThat(instance(id).state().nameAsString()).isIn("shutting-down", "terminated");
        assertThat(ec2().describeSecurityGroups().securityGroups()).extracting(SecurityGroup::groupName)
                .noneMatch(n -> n.startsWith("curfew-ssh-"));

        APIGatewayV2HTTPResponse empty = handler.handleRequest(Events.read(json, "launcher-list.json"), null);
        assertThat((List<?>) body(empty).get("instances")).isEmpty();
    }

    @Test
    void snapStartPrimingLaunchesAndCreatesNothing() {
        int groups = ec2().describeSecurityGroups().securityGroups().size();
        LaunchService service = handler.getApplicationContext().getBean(LaunchService.class);

        assertThat(service.priming().prime()).isTrue();

        assertThat(ec2().describeInstances().reservations()).isEmpty();
        assertThat(ec2().describeSecurityGroups().securityGroups()).hasSize(groups);
    }

    @Test
    void aRequestOverIpv6OpensPort22ToThatAddressOnly() throws Exception {
        APIGatewayV2HTTPEvent e = Events.read(json, "launcher-launch.json");
        e.getRequestContext().getHttp().setSourceIp("2001:db8:1234::7");
        APIGatewayV2HTTPResponse r = handler.handleRequest(e, null);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        Instance i = instance((String) body(r).get("instanceId"));
        SecurityGroup g = ec2().describeSecurityGroups(b -> b.groupIds(i.securityGroups().get(0).groupId()))
                .securityGroups().get(0);
        assertThat(g.ipPermissions()).singleElement().satisfies(p -> {
            assertThat(p.ipv6Ranges()).extracting(x -> x.cidrIpv6()).containsExactly("2001:db8:1234::7/128");
            assertThat(p.ipRanges()).isEmpty();
        });
    }

    @Test
    void anAssumedRoleSessionOwnsWhatItLaunches() throws Exception {
        ec2().createKeyPair(b -> b.keyName("bob-key"));
        APIGatewayV2HTTPEvent e = Events.read(json, "launcher-launch.json");
        e.getRequestContext().getAuthorizer().getIam().setUserArn(
                "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Student_0a1b2c3d/bob@uni.example");
        e.setBody("{\"instanceType\": \"t3.small\", \"hours\": 4, \"keyName\": \"bob-key\"}");
        APIGatewayV2HTTPResponse r = handler.handleRequest(e, null);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        assertThat(instance((String) body(r).get("instanceId")).tags()).extracting(Tag::key, Tag::value)
                .contains(tuple("curfew:owner", "bob@uni.example"), tuple("curfew:expires-at", "2026-11-25T14:00:00Z"));
    }

    @Test
    void anEventThatIsNotAnHttpRequestIsRefused() throws Exception {
        APIGatewayV2HTTPEvent e = json.readValue("{\"detail-type\": \"Scheduled Event\", \"source\": \"aws.scheduler\"}",
                APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPResponse r = handler.handleRequest(e, null);
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(body(r)).containsEntry("error", "not-an-http-request");
    }
}
