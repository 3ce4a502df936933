package dev.curfew.function.sentinel;

import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.MotoTest;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The deployed handler's configuration against the moto server, as template.yaml would set it; extended, one such
 * handler for the test class (built once, the account emptied before each test).
 */
abstract class Sentinels extends MotoTest {
    static final String NOW = "2026-11-25T10:00:30Z";
    static SentinelHandler handler;
    static JsonMapper json;

    @BeforeAll
    static void startHandler() {
        handler = handler(moto, Map.of());
        json = handler.getApplicationContext().getBean(JsonMapper.class);
    }

    @AfterAll
    static void closeHandler() {
        handler.close();
    }

    static SentinelHandler handler(MotoServer moto, Map<String, Object> extra) {
        Map<String, Object> p = moto.functionProperties();
        p.put("curfew.now", NOW);
        p.put("curfew.stack-name", "curfew");
        p.putAll(extra);
        return new SentinelHandler(ApplicationContext.builder().properties(p));
    }
}
