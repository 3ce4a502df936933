package dev.curfew.function.sentinel;

import dev.curfew.aws.testing.MotoServer;
import io.micronaut.context.ApplicationContext;
import java.util.Map;

/** The deployed handler's configuration against the moto server, as template.yaml would set it. */
final class Sentinels {
    static final String NOW = "2026-11-25T10:00:30Z";

    private Sentinels() {
    }

    static SentinelHandler handler(MotoServer moto, Map<String, Object> extra) {
        Map<String, Object> p = moto.functionProperties();
        p.put("curfew.now", NOW);
        p.put("curfew.stack-name", "curfew");
        p.putAll(extra);
        return new SentinelHandler(ApplicationContext.builder().properties(p));
    }
}
