package dev.curfew.core.launch;

import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.testing.Policies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A launcher over a {@link FakeCloud}, a fixed clock and a course policy; builds requests as Lambda would. */
final class LaunchWorld {
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final String ALICE = "arn:aws:iam::123456789012:user/alice";
    static final String BOB = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Student_1a2b/bob";
    static final String POLICY = Policies.COURSE + """
            mode: enforce
            launcher:
              allowed-types: [t3.micro, t3.small]
              max-hours: 4
              max-running-per-student: 2
              regions: [eu-west-1, us-east-1]
              price-cap: 0.05
            """;

    final FakeCloud cloud = new FakeCloud();
    final List<String> log = new ArrayList<>();
    String policyText = POLICY;
    RuntimeException policyError;
    Launcher launcher;

    LaunchWorld() {
        cloud.keyPairs.add("eu-west-1/alice-key");
        cloud.keyPairs.add("us-east-1/alice-key");
        cloud.keyPairs.add("eu-west-1/bob-key");
        cloud.price("eu-west-1a", "t3.micro", "0.004100", Instant.parse("2026-11-25T09:20:05Z"))
                .price("eu-west-1b", "t3.micro", "0.003800", Instant.parse("2026-11-25T09:47:30Z"))
                .price("eu-west-1c", "t3.micro", "0.003900", Instant.parse("2026-11-23T14:00:00Z"))
                .price("us-east-1a", "t3.micro", "0.003100", Instant.parse("2026-11-25T09:00:00Z"));
        launcher = new Launcher(cloud, this::policy, Clock.fixed(NOW, ZoneOffset.UTC),
                new Launcher.Settings("eu-west-1", Launcher.Settings.MAX_BODY_BYTES, Duration.ZERO), log::add);
    }

    Policy policy() {
        if (policyError != null) {
            throw policyError;
        }
        return PolicyLoader.load(policyText, "test-policy.yaml");
    }

    static HttpCall call(String method, String path, String body, String arn) {
        return call(method, path, Map.of(), body, arn, "203.0.113.7");
    }

    static HttpCall call(String method, String path, Map<String, String> query, String body, String arn,
                         String sourceIp) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("::(\\d{12}):").matcher(arn == null ? "" : arn);
        return new HttpCall(method, path, query, headers, body, false, arn, m.find() ? m.group(1) : null, sourceIp, "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "https://abcdefg.lambda-url.eu-west-1.on.aws");
    }

    HttpAnswer launch(String body) {
        return launcher.handle(call("POST", "/instances", body, ALICE));
    }

    static String body(String type, int hours, String key) {
        return "{\"instanceType\": \"" + type + "\", \"hours\": " + hours + ", \"keyName\": \"" + key + "\"}";
    }
}
