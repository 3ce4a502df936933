package dev.curfew.function.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.curfew.aws.testing.MotoIdentities;
import dev.curfew.core.launch.JsonBody;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Who the deployed launcher serves, with principal ARNs that STS really issued on the emulator: an IAM user's, a
 * federated user's (GetFederationToken with a name of the caller's choosing), an assumed role's session (AssumeRole
 * with a session name of the caller's choosing).
 */
class LauncherIdentityIT extends Launchers {
    MotoIdentities ids;

    @BeforeEach
    void account() {
        ids = new MotoIdentities(moto);
        clients.ec2(EU).createKeyPair(b -> b.keyName("alice-key"));
        clients.ec2(EU).createKeyPair(b -> b.keyName("bob-key"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> body(APIGatewayV2HTTPResponse r) {
        return (Map<String, Object>) JsonBody.parse(r.getBody());
    }

    static APIGatewayV2HTTPResponse as(LauncherHandler h, String file, String arn, String key, String id)
            throws Exception {
        APIGatewayV2HTTPEvent e = Events.read(json, file);
        e.getRequestContext().getAuthorizer().getIam().setUserArn(arn);
        if (key != null) {
            e.setBody("{\"instanceType\": \"t3.micro\", \"hours\": 1, \"keyName\": \"" + key + "\"}");
        }
        if (id != null) {
            e.setRawPath("/instances/" + id);
            e.getRequestContext().getHttp().setPath("/instances/" + id);
        }
        return h.handleRequest(e, null);
    }

    static String state(String id) {
        return clients.ec2(EU).describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0)
                .state().nameAsString();
    }

    static int instances() {
        return clients.ec2(EU).describeInstances().reservations().stream().mapToInt(r -> r.instances().size()).sum();
    }

    @Test
    void aFederatedUserNamedAliceIsRefusedAndCanNeitherListNorTerminateAlicesInstance() throws Exception {
        String alice = ids.iamUser("/students/", "alice");
        assertThat(alice).isEqualTo("arn:aws:iam::123456789012:user/students/alice");
        APIGatewayV2HTTPResponse launched = as(handler, "launcher-launch.json", alice, "alice-key", null);
        assertThat(launched.getStatusCode()).as(launched.getBody()).isEqualTo(201);
        String id = (String) body(launched).get("instanceId");
        assertThat(body(launched)).containsEntry("owner", "alice");

        String federated = ids.federatedUser("alice");
        assertThat(federated).isEqualTo("arn:aws:sts::123456789012:federated-user/alice");

        APIGatewayV2HTTPResponse list = as(handler, "launcher-list.json", federated, null, null);
        APIGatewayV2HTTPResponse kill = as(handler, "launcher-terminate.json", federated, null, id);
        APIGatewayV2HTTPResponse launch = as(handler, "launcher-launch.json", federated, "alice-key", null);

        for (APIGatewayV2HTTPResponse r : List.of(list, kill, launch)) {
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(403);
            assertThat(body(r)).containsEntry("error", "federated-user");
            assertThat((String) body(r).get("message")).contains("federated user \"alice\"")
                    .contains("sts:GetFederationToken").contains("IAM user").contains("Identity Center");
            assertThat(r.getBody()).doesNotContain(id);
        }
        assertThat(state(id)).isEqualTo("running");
        assertThat(instances()).isEqualTo(1);

        APIGatewayV2HTTPResponse mine = as(handler, "launcher-list.json", alice, null, null);
        assertThat((List<?>) body(mine).get("instances")).hasSize(1);
    }

    @Test
    void aRoleSessionNamedBobIsRefusedAndDoesNotUseBobsCap() throws Exception {
        String session = ids.roleSession("lab-role", "bob");
        assertThat(session).isEqualTo("arn:aws:sts::123456789012:assumed-role/lab-role/bob");
        String bob = ids.iamUser("/", "bob");

        for (int i = 0; i < 2; i++) {
            APIGatewayV2HTTPResponse r = as(handler, "launcher-launch.json", session, "bob-key", null);
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(403);
            assertThat(body(r)).containsEntry("error", "role-not-named");
            assertThat((String) body(r).get("message")).contains("lab-role").contains("identity.student-roles");
        }
        assertThat(instances()).isZero();

        // the bundled policy's cap is 2: both of bob's own launches go through
        for (int i = 0; i < 2; i++) {
            APIGatewayV2HTTPResponse r = as(handler, "launcher-launch.json", bob, "bob-key", null);
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
            assertThat(body(r)).containsEntry("owner", "bob");
        }
    }

    @Test
    void aSessionOfARoleThePolicyNamesIsTheStudentItNames() throws Exception {
        Path policy = Files.createTempFile("launcher-identity-", ".yaml");
        Files.writeString(policy, "identity:\n  student-roles: [StudentRole]\n");
        try (LauncherHandler h = Launchers.handler(moto, Map.of("curfew.policy", policy.toString()))) {
            String session = ids.roleSession("StudentRole", "bob");
            APIGatewayV2HTTPResponse r = as(h, "launcher-launch.json", session, "bob-key", null);
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
            String id = (String) body(r).get("instanceId");
            assertThat(clients.ec2(EU).describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances()
                    .get(0).tags()).extracting(Tag::key, Tag::value)
                    .contains(org.assertj.core.groups.Tuple.tuple("curfew:owner", "bob"),
                            org.assertj.core.groups.Tuple.tuple("curfew:created-by", session));
        } finally {
            Files.deleteIfExists(policy);
        }
    }
}
