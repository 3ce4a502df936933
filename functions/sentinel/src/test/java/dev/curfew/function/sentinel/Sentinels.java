package dev.curfew.function.sentinel;

import dev.curfew.aws.testing.MotoServer;
import dev.curfew.function.common.HandlerFixture;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** The sentinel's emulator tests: one handler for the test class, at {@link #NOW}, in the stack "curfew". */
abstract class Sentinels extends HandlerFixture {
    static final String NOW = "2026-11-25T10:00:30Z";
    static SentinelHandler handler;

    @BeforeAll
    static void startHandler() {
        handler = start(handler(moto, Map.of()));
    }

    /** A sentinel of the deployed configuration with {@code extra} over it (the caller closes it). */
    static SentinelHandler handler(MotoServer moto, Map<String, Object> extra) {
        return new SentinelHandler(deployed(moto, NOW, extra, "curfew.stack-name", "curfew"));
    }
}
