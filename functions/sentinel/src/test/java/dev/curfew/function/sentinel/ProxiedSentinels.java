package dev.curfew.function.sentinel;

import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.aws.testing.MotoTest;
import io.micronaut.json.JsonMapper;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * As {@link Sentinels}, the deployed handler for the test class, reaching moto through the test harness's
 * {@link FaultProxy} (no faults until a test asks for them; a test class may have it rewrite answers).
 */
abstract class ProxiedSentinels extends MotoTest {
    static FaultProxy proxy;
    static SentinelHandler handler;
    static JsonMapper json;

    @BeforeAll
    static void startHandler() {
        proxy = FaultProxy.start(moto.endpoint(), 0, 1);
        handler = Sentinels.handler(moto, Map.of("aws.endpoint-url", proxy.endpoint()));
        json = handler.getApplicationContext().getBean(JsonMapper.class);
    }

    @AfterAll
    static void stopHandler() {
        handler.close();
        proxy.close();
    }
}
