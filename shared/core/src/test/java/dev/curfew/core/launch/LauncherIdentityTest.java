package dev.curfew.core.launch;

import static dev.curfew.core.launch.LaunchWorld.ALICE;
import static dev.curfew.core.launch.LaunchWorld.body;
import static dev.curfew.core.launch.LaunchWorld.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who the launcher serves, decided by the policy's identity section (the emulator tests use real STS ARNs). */
class LauncherIdentityTest {
    static final String FEDERATED_ALICE = "arn:aws:sts::123456789012:federated-user/alice";
    static final String ROLE_BOB = "arn:aws:sts::123456789012:assumed-role/lab-role/bob";
    LaunchWorld w = new LaunchWorld();

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpAnswer a) {
        return (Map<String, Object>) JsonBody.parse(a.body());
    }

    @Test
    void aFederatedUserNamedLikeAStudentCanNeitherListNorTerminateTheirInstances() {
        HttpAnswer launched = w.launch(body("t3.micro", 2, "alice-key"));
        String id = (String) json(launched).get("instanceId");
        int changes = w.cloud.changes.size();

        HttpAnswer list = w.launcher.handle(call("GET", "/instances", null, FEDERATED_ALICE));
        HttpAnswer kill = w.launcher.handle(call("DELETE", "/instances/" + id, null, FEDERATED_ALICE));

        for (HttpAnswer a : List.of(list, kill)) {
            assertThat(a.status()).as(a.body()).isEqualTo(403);
            assertThat(json(a)).containsEntry("error", "federated-user");
            assertThat(a.body()).doesNotContain(id);
        }
        assertThat(w.cloud.changes).hasSize(changes);
    }

    @Test
    void aRoleSessionThePolicyDoesNotNameIsRefusedUnlessThePolicyNamesTheRole() {
        HttpAnswer refused = w.launcher.handle(call("POST", "/instances", body("t3.micro", 1, "bob-key"), ROLE_BOB));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(json(refused)).containsEntry("error", "role-not-named");
        assertThat((String) json(refused).get("message")).contains("lab-role").contains("identity.student-roles");
        assertThat(w.cloud.changes).isEmpty();

        w.policyText = LaunchWorld.POLICY + "identity:\n  student-roles: [lab-role]\n";
        HttpAnswer named = w.launcher.handle(call("POST", "/instances", body("t3.micro", 1, "bob-key"), ROLE_BOB));
        assertThat(named.status()).as(named.body()).isEqualTo(201);
        assertThat(w.cloud.launches.get(0).tags()).containsEntry("curfew:owner", "bob");
    }

    @Test
    void aListedInstructorLaunchesAsThemselvesAndRootNever() {
        w.policyText = LaunchWorld.POLICY + "identity:\n  instructors: [\"arn:aws:iam::123456789012:user/teach*\"]\n";
        w.cloud.keyPairs.add("eu-west-1/t-key");
        HttpAnswer a = w.launcher.handle(call("POST", "/instances", body("t3.micro", 1, "t-key"),
                "arn:aws:iam::123456789012:user/teacher"));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(json(a)).containsEntry("owner", "teacher");

        HttpAnswer root = w.launcher.handle(call("POST", "/instances", body("t3.micro", 1, "t-key"),
                "arn:aws:iam::123456789012:root"));
        assertThat(root.status()).isEqualTo(403);
        assertThat(json(root)).containsEntry("error", "root");
        assertThat(w.cloud.launches).hasSize(1);
    }

    @Test
    void anIamUserIsServedWithTheDefaultPolicy() {
        assertThat(w.launcher.handle(call("GET", "/instances", null, ALICE)).status()).isEqualTo(200);
    }
}
