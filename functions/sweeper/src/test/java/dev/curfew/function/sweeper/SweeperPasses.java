package dev.curfew.function.sweeper;

import dev.curfew.aws.testing.FakeSlack;
import dev.curfew.aws.testing.MotoTest;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * An emulator test of the sweeper's passes under a policy file of its own: the moto account, a local Slack, the
 * policy's coming curfew (at least an hour ahead, set before each test), and the handler of the last pass run
 * (closed after the test, with the Slack).
 */
abstract class SweeperPasses extends MotoTest {
    final FakeSlack slack = new FakeSlack();
    /** The policy file the class's passes run under. */
    final String policy;
    SweeperHandler handler;
    Instant curfew;

    /** @param policyFile a file of src/test/resources */
    SweeperPasses(String policyFile) {
        policy = Path.of("src/test/resources", policyFile).toAbsolutePath().toString();
    }

    @BeforeEach
    void comingCurfew() throws IOException {
        curfew = Sweepers.nextCurfew(policy);
    }

    @AfterEach
    void closeHandler() {
        if (handler != null) {
            handler.close();
        }
        slack.close();
    }

    /**
     * Runs a pass (with its sample event, events/scheduled-PASS.json) through a new handler in {@code mode}, its clock
     * at {@code now}, with the class's {@code extra} properties; the handler before it is closed.
     */
    Map<String, Object> run(String pass, Instant now, String mode, Map<String, Object> extra) throws IOException {
        if (handler != null) {
            handler.close();
        }
        Map<String, Object> p = Sweepers.properties(moto, mode, policy, slack.apiBase());
        p.put("curfew.now", now.toString());
        p.putAll(extra);
        handler = new SweeperHandler(ApplicationContext.builder().properties(p));
        return Sweepers.pass(handler, pass);
    }
}
