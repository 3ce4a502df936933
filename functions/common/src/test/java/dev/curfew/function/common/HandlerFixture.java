package dev.curfew.function.common;

import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.MotoTest;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextProvider;
import io.micronaut.json.JsonMapper;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/**
 * What a function's emulator tests share: a handler configured as template.yaml would deploy it against the moto
 * server, and the one handler of a test class (started by the function's fixture in its {@code @BeforeAll}, closed
 * after the class's last test; the account is emptied before each test by {@link MotoTest}).
 */
public abstract class HandlerFixture extends MotoTest {
    /** The started handler's JSON mapper (reads events as Lambda's runtime would). */
    protected static JsonMapper json;
    private static AutoCloseable started;

    /**
     * The deployed configuration against {@code moto}, at the instant {@code now}, with the function's own
     * {@code settings} (key, value, key, value ...) and then the test's {@code extra} over it.
     */
    protected static ApplicationContextBuilder deployed(MotoServer moto, String now, Map<String, Object> extra,
                                                        String... settings) {
        Map<String, Object> p = moto.functionProperties();
        p.put("curfew.now", now);
        for (int i = 0; i + 1 < settings.length; i += 2) {
            p.put(settings[i], settings[i + 1]);
        }
        p.putAll(extra);
        return ApplicationContext.builder().properties(p);
    }

    /** Makes {@code handler} the test class's handler: closed after the class's last test. */
    protected static <H extends ApplicationContextProvider & AutoCloseable> H start(H handler) {
        started = handler;
        json = handler.getApplicationContext().getBean(JsonMapper.class);
        return handler;
    }

    @AfterAll
    static void closeHandler() throws Exception {
        if (started != null) {
            started.close();
            started = null;
        }
    }
}
