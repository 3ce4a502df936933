package dev.curfew.function.sentinel;

import dev.curfew.aws.testing.MotoServer;
import io.micronaut.context.ApplicationContext;
import java.util.HashMap;
import java.util.Map;

/** The deployed handler's configuration against the moto server, as template.yaml would set it. */
final class Sentinels {
    static final String NOW = "2026-11-25T10:00:30Z";

    private Sentinels() {
    }

    static SentinelHandler handler(MotoServer moto, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put("aws.endpoint-url", moto.endpoint());
        p.put("aws.region", "eu-west-1");
        p.put("curfew.policy", "bundled");
        p.put("curfew.mode", "enforce");
        p.put("curfew.time-zone", "Europe/Amsterdam");
        p.put("curfew.accounts", "123456789012");
        p.put("curfew.stack-name", "curfew");
        p.put("curfew.now", NOW);
        p.putAll(extra);
        return new SentinelHandler(ApplicationContext.builder().properties(p));
    }
}
