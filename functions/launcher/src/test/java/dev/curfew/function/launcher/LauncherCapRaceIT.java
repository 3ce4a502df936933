package dev.curfew.function.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.curfew.aws.launch.LaunchLeases;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.launch.JsonBody;
import io.micronaut.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;

/**
 * The per-student cap under real concurrency, on the emulator: ten launches of one student at once, through one
 * handler (one Lambda sandbox, ten threads) and through two (two sandboxes, each with its own SDK clients), with the
 * bundled policy's cap of 2. At the end the student has at most 2 pending or running instances; every other answer is
 * a 429 that says why; none is a 5xx. Two students launching at once do not block each other, and a lease left by a
 * launch that died lapses.
 */
class LauncherCapRaceIT extends MotoTest {
    static final String STACK = "curfew-race";
    static JsonMapper json;
    final List<LauncherHandler> handlers = new ArrayList<>();

    @BeforeEach
    void account() {
        for (String student : List.of("alice", "bob")) {
            clients.ec2(EU).createKeyPair(b -> b.keyName(student + "-key"));
        }
    }

    @AfterEach
    void close() {
        handlers.forEach(LauncherHandler::close);
    }

    LauncherHandler handler(Map<String, Object> extra) {
        Map<String, Object> p = new java.util.HashMap<>(Map.of("curfew.launcher.address-wait-seconds", "0",
                "curfew.stack-name", STACK));
        p.putAll(extra);
        LauncherHandler h = Launchers.handler(moto, p);
        json = h.getApplicationContext().getBean(JsonMapper.class);
        handlers.add(h);
        return h;
    }

    static APIGatewayV2HTTPEvent launch(String student, int n) throws Exception {
        APIGatewayV2HTTPEvent e = Events.read(json, "launcher-launch.json");
        e.getRequestContext().getAuthorizer().getIam().setUserArn("arn:aws:iam::123456789012:user/" + student);
        e.getRequestContext().setRequestId(student + "-request-" + n);
        e.setBody("{\"instanceType\": \"t3.micro\", \"hours\": 1, \"keyName\": \"" + student + "-key\"}");
        return e;
    }

    /** Sends {@code events} at once (all threads released together), each through {@code handlers[i % n]}. */
    static List<APIGatewayV2HTTPResponse> atOnce(List<LauncherHandler> via, List<APIGatewayV2HTTPEvent> events)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(events.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<APIGatewayV2HTTPResponse>> answers = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                LauncherHandler h = via.get(i % via.size());
                APIGatewayV2HTTPEvent e = events.get(i);
                answers.add(pool.submit(() -> {
                    go.await();
                    return h.handleRequest(e, null);
                }));
            }
            go.countDown();
            List<APIGatewayV2HTTPResponse> out = new ArrayList<>();
            for (Future<APIGatewayV2HTTPResponse> f : answers) {
                out.add(f.get(120, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The student's pending and running instances, as EC2 lists them. */
    static List<String> live(String student) {
        List<String> ids = new ArrayList<>();
        clients.ec2(EU).describeInstances(b -> b.maxResults(1000).filters(
                Filter.builder().name("tag:curfew:owner").values(student).build(),
                Filter.builder().name("instance-state-name").values("pending", "running").build()))
                .reservations().forEach(r -> r.instances().forEach(i -> ids.add(i.instanceId())));
        return ids;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> body(APIGatewayV2HTTPResponse r) {
        return (Map<String, Object>) JsonBody.parse(r.getBody());
    }

    static void assertCapHeld(List<APIGatewayV2HTTPResponse> answers, String student) {
        List<String> live = live(student);
        assertThat(live).as("pending or running instances of " + student).hasSizeLessThanOrEqualTo(2);
        List<Integer> statuses = answers.stream().map(APIGatewayV2HTTPResponse::getStatusCode).toList();
        assertThat(statuses).as("never a 5xx").allMatch(s -> s < 500);
        assertThat(statuses.stream().filter(s -> s == 201).count()).as("launched").isEqualTo(live.size())
                .isPositive();
        for (APIGatewayV2HTTPResponse r : answers) {
            if (r.getStatusCode() != 201) {
                assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(429);
                assertThat((String) body(r).get("error")).isIn("too-many-instances", "launch-in-progress");
                assertThat((String) body(r).get("message")).contains("the course allows 2");
            } else {
                assertThat(live).contains((String) body(r).get("instanceId"));
            }
        }
    }

    @Test
    void tenLaunchesAtOnceThroughOneSandboxEndWithAtMostTheCap() throws Exception {
        LauncherHandler one = handler(Map.of());
        List<APIGatewayV2HTTPEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(launch("alice", i));
        }

        List<APIGatewayV2HTTPResponse> answers = atOnce(List.of(one), events);

        assertCapHeld(answers, "alice");
        assertThat(answers.stream().filter(r -> r.getStatusCode() == 201)).hasSize(2);
        assertLeaseReleased("alice");
    }

    @Test
    void tenLaunchesAtOnceThroughTwoSandboxesEndWithAtMostTheCap() throws Exception {
        List<LauncherHandler> two = List.of(handler(Map.of()), handler(Map.of()));
        List<APIGatewayV2HTTPEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(launch("alice", i));
        }

        List<APIGatewayV2HTTPResponse> answers = atOnce(two, events);

        assertCapHeld(answers, "alice");
        assertLeaseReleased("alice");
    }

    @Test
    void aLaunchThatCannotGetTheLeaseInTimeIsA429WithRetryAfterAndLaunchesNothing() throws Exception {
        LauncherHandler impatient = handler(Map.of("curfew.launcher.lease-wait-seconds", "0"));
        // another launch of alice's holds her lease (written as the launcher writes it)
        String lease = LaunchLeases.prefix(STACK) + "/alice";
        clients.ssm(EU).putParameter(b -> b.name(lease).value("another-launch").type("String").overwrite(false));

        APIGatewayV2HTTPResponse r = impatient.handleRequest(launch("alice", 0), null);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(429);
        assertThat(body(r)).containsEntry("error", "launch-in-progress");
        assertThat(r.getHeaders()).containsEntry("Retry-After", "5");
        assertThat(live("alice")).isEmpty();
        assertThat(clients.ssm(EU).getParameter(b -> b.name(lease)).parameter().value()).isEqualTo("another-launch");
    }

    @Test
    void aLeaseLeftByALaunchThatDiedLapsesAndDoesNotBlockTheStudentForever() throws Exception {
        LauncherHandler h = handler(Map.of("curfew.launcher.lease-seconds", "2",
                "curfew.launcher.lease-wait-seconds", "0"));
        String lease = LaunchLeases.prefix(STACK) + "/alice";
        clients.ssm(EU).putParameter(b -> b.name(lease).value("a-launch-that-timed-out").type("String"));
        assertThat(h.handleRequest(launch("alice", 0), null).getStatusCode()).isEqualTo(429);

        Thread.sleep(3_000);
        APIGatewayV2HTTPResponse r = h.handleRequest(launch("alice", 1), null);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        assertThat(live("alice")).containsExactly((String) body(r).get("instanceId"));
        assertLeaseReleased("alice");
    }

    @Test
    void twoStudentsLaunchingAtOnceDoNotBlockEachOther() throws Exception {
        LauncherHandler h = handler(Map.of("curfew.launcher.lease-wait-seconds", "0"));
        // alice's lease is held for as long as this test runs: bob is not affected
        clients.ssm(EU).putParameter(b -> b.name(LaunchLeases.prefix(STACK) + "/alice").value("held")
                .type("String"));

        List<APIGatewayV2HTTPResponse> answers = atOnce(List.of(h), List.of(launch("bob", 0), launch("alice", 1)));

        assertThat(answers.get(0).getStatusCode()).as(answers.get(0).getBody()).isEqualTo(201);
        assertThat(answers.get(1).getStatusCode()).isEqualTo(429);
        assertThat(live("bob")).hasSize(1);
        assertThat(live("alice")).isEmpty();
    }

    static void assertLeaseReleased(String student) {
        List<String> names = new ArrayList<>();
        clients.ssm(EU).getParametersByPath(b -> b.path(LaunchLeases.prefix(STACK)).recursive(true)).parameters()
                .forEach(p -> names.add(p.name()));
        assertThat(names).as("leases left").doesNotContain(LaunchLeases.prefix(STACK) + "/" + student);
    }
}
