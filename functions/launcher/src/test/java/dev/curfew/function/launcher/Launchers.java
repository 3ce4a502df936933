package dev.curfew.function.launcher;

import dev.curfew.aws.testing.MotoServer;
import io.micronaut.context.ApplicationContext;
import java.util.Map;

/** The deployed handler's configuration against the moto server, as template.yaml would set it. */
final class Launchers {
    static final String NOW = "2026-11-25T10:00:00Z";

    private Launchers() {
    }

    static LauncherHandler handler(MotoServer moto, Map<String, Object> extra) {
        Map<String, Object> p = moto.functionProperties();
        p.put("curfew.now", NOW);
        p.put("curfew.launcher.address-wait-seconds", "2");
        p.putAll(extra);
        return new LauncherHandler(ApplicationContext.builder().properties(p));
    }
}
