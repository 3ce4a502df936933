package dev.curfew.function.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.launch.JsonBody;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * When AWS refuses, the student hears what it means and AWS's error code, never AWS's own words: not the message,
 * not an encoded authorization message, not a role ARN. The launcher's log has them all, under the request id the
 * answer names. The handler talks to the emulator through a small local HTTP server that passes every call on to
 * moto except RunInstances, which it answers as EC2 would refuse it (the EC2 query protocol's error XML).
 */
class LauncherAwsErrorsIT extends MotoTest {
    static final String BLOB = "AXlqwRk1sP3xJvYd-EXAMPLE-ENCODED-BLOB-0123456789abcdefghijklmnopqrstuvwxyz";
    static final String ROLE = "arn:aws:sts::123456789012:assumed-role/curfew-LauncherFunctionRole-1ABC/curfew";
    static HttpServer proxy;
    static volatile String[] refusal; // status, code, message for RunInstances; null: pass on
    final List<String> logged = new CopyOnWriteArrayList<>();
    org.apache.logging.log4j.core.appender.AbstractAppender probe;
    LauncherHandler handler;

    @BeforeAll
    static void start() throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            try {
                handle(http, exchange);
            } catch (Exception e) {
                exchange.sendResponseHeaders(502, -1);
            } finally {
                exchange.close();
            }
        });
        proxy.start();
    }

    /** Answers RunInstances with the chosen refusal; anything else goes to moto and back unchanged. */
    static void handle(HttpClient http, HttpExchange ex) throws Exception {
        byte[] body = ex.getRequestBody().readAllBytes();
        String text = new String(body, StandardCharsets.UTF_8);
        String[] r = refusal;
        if (r != null && text.contains("Action=RunInstances")) {
            byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + r[1]
                    + "</Code><Message>" + r[2] + "</Message></Error></Errors><RequestID>"
                    + "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestID></Response>").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/xml;charset=UTF-8");
            ex.sendResponseHeaders(Integer.parseInt(r[0]), xml.length);
            ex.getResponseBody().write(xml);
            return;
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(moto.endpoint() + ex.getRequestURI()))
                .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        Set<String> restricted = Set.of("host", "content-length", "connection", "expect", "upgrade");
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!restricted.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        HttpResponse<byte[]> out = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        out.headers().map().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("content-length") && !k.equalsIgnoreCase("transfer-encoding")
                    && !k.equals(":status")) {
                vs.forEach(v -> ex.getResponseHeaders().add(k, v));
            }
        });
        byte[] answer = out.body();
        ex.sendResponseHeaders(out.statusCode(), answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            ex.getResponseBody().write(answer);
        }
    }

    @AfterAll
    static void stop() {
        proxy.stop(0);
    }

    @BeforeEach
    void account() {
        clients.ec2(EU).createKeyPair(b -> b.keyName("alice-key"));
        probe = new org.apache.logging.log4j.core.appender.AbstractAppender("aws-errors-probe", null, null, true,
                org.apache.logging.log4j.core.config.Property.EMPTY_ARRAY) {
            @Override
            public void append(org.apache.logging.log4j.core.LogEvent e) {
                logged.add(e.getMessage().getFormattedMessage());
            }
        };
        probe.start();
        logger().addAppender(probe);
        handler = Launchers.handler(moto, Map.of("aws.endpoint-url", "http://localhost:" + proxy.getAddress()
                .getPort(), "curfew.launcher.address-wait-seconds", "0"));
    }

    @AfterEach
    void close() {
        refusal = null;
        logger().removeAppender(probe);
        handler.close();
    }

    static org.apache.logging.log4j.core.Logger logger() {
        return (org.apache.logging.log4j.core.Logger) org.apache.logging.log4j.LogManager.getLogger(
                LaunchService.class);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("403", "UnauthorizedOperation", "You are not authorized to perform this operation. User: "
                        + ROLE + " is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:eu-west-1:"
                        + "123456789012:instance/* because no identity-based policy allows the ec2:RunInstances "
                        + "action. Encoded authorization failure message: " + BLOB, 500, "launcher-not-permitted"),
                Arguments.of("400", "InvalidKeyPair.NotFound", "The key pair 'alice-key' does not exist (seen by "
                        + ROLE + ") " + BLOB, 400, "key-pair-not-found"),
                Arguments.of("400", "InvalidAMIID.NotFound", "The image id '[ami-0123]' does not exist " + BLOB, 502,
                        "aws-error"),
                Arguments.of("500", "InsufficientInstanceCapacity", "We currently do not have sufficient t3.micro "
                        + "capacity in the Availability Zone you requested (eu-west-1a). " + BLOB, 503, "no-capacity"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    @SuppressWarnings("unchecked")
    void theAnswerHasAwsCodeButNotItsWordsAndTheLogHasThem(String httpStatus, String code, String message,
                                                            int status, String error) throws Exception {
        refusal = new String[] {httpStatus, code, message};
        JsonMapper json = handler.getApplicationContext().getBean(JsonMapper.class);
        APIGatewayV2HTTPEvent e = Events.read(json, "launcher-launch.json");
        String requestId = e.getRequestContext().getRequestId();

        APIGatewayV2HTTPResponse r = handler.handleRequest(e, null);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(status);
        Map<String, Object> out = (Map<String, Object>) JsonBody.parse(r.getBody());
        assertThat(out).containsEntry("error", error).containsEntry("awsError", code)
                .containsEntry("requestId", requestId);
        assertThat(r.getBody()).doesNotContain(BLOB).doesNotContain("Encoded authorization")
                .doesNotContain("curfew-LauncherFunctionRole").doesNotContain("not authorized to perform")
                .doesNotContain("7a62c49f").doesNotContain("We currently do not have");
        assertThat((String) out.get("message")).contains(code).contains("Nothing was launched");
        assertThat(logged).as("the instructor's log").anySatisfy(l -> assertThat(l).contains(requestId)
                .contains(code).contains(message).contains("7a62c49f-347e-4fc4-9331-6e8eEXAMPLE"));
        assertThat(clients.ec2(EU).describeInstances().reservations()).as("nothing launched").isEmpty();
        assertThat(clients.ec2(EU).describeSecurityGroups().securityGroups())
                .as("the group made for the launch is deleted again").noneMatch(g -> g.groupName()
                        .startsWith("curfew-ssh-"));
    }
}
