package dev.curfew.function.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.curfew.aws.testing.MotoTest.OneAccount;
import dev.curfew.core.launch.JsonBody;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The corpus of bad requests, through the deployed handler against the emulator: each is refused with the status a
 * client expects and a message naming the problem, and the account holds exactly what it held before (instances,
 * security groups, tags, read through the SDK).
 */
@OneAccount
class LauncherBadRequestsIT extends Launchers {
    static String bobsInstance;

    /**
     * One account for the whole class (a refused request changes nothing, and each test compares the account
     * before and after): alice's key pair, and an instance of bob's.
     */
    @BeforeAll
    static void start() {
        clients.ec2(EU).createKeyPair(b -> b.keyName("alice-key"));
        clients.ec2(EU).createKeyPair(b -> b.keyName("carol-key"));
        String ami = dev.curfew.aws.samples.Samples.launchImage(clients.ec2(EU));
        bobsInstance = clients.ec2(EU).runInstances(b -> b.imageId(ami).instanceType("t3.micro").minCount(1)
                .maxCount(1).tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                        .tags(Tag.builder().key("curfew:owner").value("bob").build()).build()))
                .instances().get(0).instanceId();
    }

    static APIGatewayV2HTTPEvent launch(Consumer<APIGatewayV2HTTPEvent> change) {
        try {
            APIGatewayV2HTTPEvent e = Events.read(json, "launcher-launch.json");
            change.accept(e);
            return e;
        } catch (java.io.IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }

    static Consumer<APIGatewayV2HTTPEvent> body(String b) {
        return e -> e.setBody(b);
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                Arguments.of("forged owner in the body", body("{\"instanceType\": \"t3.micro\", \"hours\": 2, "
                        + "\"keyName\": \"alice-key\", \"owner\": \"bob\"}"), 403, "owner-in-body"),
                Arguments.of("forged owner tag in the body", body("{\"instanceType\": \"t3.micro\", \"hours\": 2, "
                        + "\"keyName\": \"alice-key\", \"tags\": {\"curfew:owner\": \"bob\"}}"), 403, "owner-in-body"),
                Arguments.of("forged identity in the body", body("{\"instanceType\": \"t3.micro\", \"hours\": 2, "
                        + "\"keyName\": \"alice-key\", \"requestContext\": {\"authorizer\": {\"iam\": {\"userArn\": "
                        + "\"arn:aws:iam::123456789012:user/bob\"}}}}"), 403, "owner-in-body"),
                Arguments.of("no identity (an unsigned direct invoke)", (Consumer<APIGatewayV2HTTPEvent>)
                        e -> e.getRequestContext().setAuthorizer(null), 403, "no-identity"),
                Arguments.of("an identity from another account", (Consumer<APIGatewayV2HTTPEvent>) e -> {
                    e.getRequestContext().getAuthorizer().getIam().setUserArn("arn:aws:iam::999999999999:user/alice");
                    e.getRequestContext().getAuthorizer().getIam().setAccountId("999999999999");
                }, 403, "account-not-enrolled"),
                Arguments.of("disallowed type", body("{\"instanceType\": \"p4d.24xlarge\", \"hours\": 2, "
                        + "\"keyName\": \"alice-key\"}"), 400, "type-not-allowed"),
                Arguments.of("too many hours", body("{\"instanceType\": \"t3.micro\", \"hours\": 48, "
                        + "\"keyName\": \"alice-key\"}"), 400, "too-many-hours"),
                Arguments.of("unknown region", body("{\"instanceType\": \"t3.micro\", \"hours\": 2, "
                        + "\"keyName\": \"alice-key\", \"region\": \"us-east-1\"}"), 400, "region-not-allowed"),
                Arguments.of("huge body", body("{\"instanceType\": \"t3.micro\", \"hours\": 2, \"keyName\": "
                        + "\"alice-key\", \"padding\": \"" + "x".repeat(17 * 1024) + "\"}"), 413, "body-too-large"),
                Arguments.of("huge base64 body", (Consumer<APIGatewayV2HTTPEvent>) e -> {
                    e.setIsBase64Encoded(true);
                    e.setBody(Base64.getEncoder().encodeToString(("{\"keyName\": \"" + "y".repeat(20_000) + "\"}")
                            .getBytes(StandardCharsets.UTF_8)));
                }, 413, "body-too-large"),
                Arguments.of("malformed JSON", body("{\"instanceType\": \"t3.micro\", \"hours\": 2, keyName: "
                        + "\"alice-key\"}"), 400, "malformed-json"),
                Arguments.of("no body", body(null), 400, "malformed-json"),
                Arguments.of("missing key pair", body("{\"instanceType\": \"t3.micro\", \"hours\": 2, "
                        + "\"keyName\": \"no-such-key\"}"), 400, "key-pair-not-found"),
                Arguments.of("wrong HTTP method", (Consumer<APIGatewayV2HTTPEvent>)
                        e -> e.getRequestContext().getHttp().setMethod("PUT"), 405, "method-not-allowed"),
                Arguments.of("unknown path", (Consumer<APIGatewayV2HTTPEvent>) e -> e.setRawPath("/admin"), 404,
                        "no-such-path"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @SuppressWarnings("unchecked")
    void refusedWithItsStatusAndNothingCreated(String what, Consumer<APIGatewayV2HTTPEvent> change, int status,
                                               String code) {
        Account before = Account.read(clients);

        APIGatewayV2HTTPResponse r = handler.handleRequest(launch(change), null);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
        Map<String, Object> out = (Map<String, Object>) JsonBody.parse(r.getBody());
        assertThat(out).containsEntry("error", code);
        assertThat((String) out.get("message")).isNotBlank();
        assertThat(Account.read(clients)).isEqualTo(before);
        if (status == 405) {
            assertThat(r.getHeaders()).containsEntry("Allow", "GET, POST");
        }
    }

    @Test
    void overThePerStudentCapIs429AndCreatesNothing() {
        Consumer<APIGatewayV2HTTPEvent> carol = e -> {
            e.getRequestContext().getAuthorizer().getIam().setUserArn("arn:aws:iam::123456789012:user/carol");
            e.setBody("{\"instanceType\": \"t3.micro\", \"hours\": 1, \"keyName\": \"carol-key\"}");
        };
        for (int i = 0; i < 2; i++) {
            assertThat(handler.handleRequest(launch(carol), null).getStatusCode()).isEqualTo(201);
        }
        Account before = Account.read(clients);

        APIGatewayV2HTTPResponse third = handler.handleRequest(launch(carol), null);

        assertThat(third.getStatusCode()).as(third.getBody()).isEqualTo(429);
        assertThat(third.getBody()).contains("carol already has 2 running instances")
                .contains("the course allows 2 per student");
        assertThat(Account.read(clients)).isEqualTo(before);
    }

    @Test
    void terminatingSomeoneElsesInstanceIs403AndChangesNothing() throws Exception {
        Account before = Account.read(clients);
        APIGatewayV2HTTPEvent e = Events.read(json, "launcher-terminate.json");
        e.setRawPath("/instances/" + bobsInstance);

        APIGatewayV2HTTPResponse r = handler.handleRequest(e, null);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(403);
        assertThat(r.getBody()).contains("not-yours").contains("Nothing was changed");
        assertThat(clients.ec2(EU).describeInstances(b -> b.instanceIds(bobsInstance)).reservations().get(0)
                .instances().get(0).state().nameAsString()).isEqualTo("running");
        assertThat(Account.read(clients)).isEqualTo(before);
    }

    @Test
    void terminatingAnInstanceThatDoesNotExistIs404() throws Exception {
        APIGatewayV2HTTPResponse r = handler.handleRequest(Events.read(json, "launcher-terminate.json"), null);
        assertThat(r.getStatusCode()).isEqualTo(404);
        assertThat(r.getBody()).contains("there is no instance i-0123456789abcdef0 in eu-west-1");
    }

    @Test
    void theListShowsNothingOfSomeoneElses() throws Exception {
        APIGatewayV2HTTPResponse r = handler.handleRequest(Events.read(json, "launcher-list.json"), null);
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getBody()).doesNotContain(bobsInstance);
    }

    @Test
    void theAccountGuardRefusesWith503AndCreatesNothing() {
        LauncherHandler guarded = Launchers.handler(moto, Map.of("curfew.accounts", "111111111111"));
        try {
            Account before = Account.read(clients);
            APIGatewayV2HTTPResponse r = guarded.handleRequest(launch(e -> { }), null);
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(503);
            assertThat(r.getBody()).contains("account-not-allowed").contains("111111111111")
                    .contains("switched off in account 123456789012");
            assertThat(Account.read(clients)).isEqualTo(before);
        } finally {
            guarded.close();
        }
    }
}
