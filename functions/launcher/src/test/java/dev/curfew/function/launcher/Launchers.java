package dev.curfew.function.launcher;

import dev.curfew.aws.testing.MotoServer;
import dev.curfew.function.common.HandlerFixture;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** The launcher's emulator tests: one handler for the test class, at {@link #NOW}. */
abstract class Launchers extends HandlerFixture {
    static final String NOW = "2026-11-25T10:00:00Z";
    static LauncherHandler handler;

    @BeforeAll
    static void startHandler() {
        handler = start(handler(moto, Map.of()));
    }

    /** A launcher of the deployed configuration with {@code extra} over it (the caller closes it). */
    static LauncherHandler handler(MotoServer moto, Map<String, Object> extra) {
        return new LauncherHandler(deployed(moto, NOW, extra, "curfew.launcher.address-wait-seconds", "2"));
    }
}
