package dev.curfew.aws.testing;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsCloud;
import dev.curfew.core.policy.PolicyLoader;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.sweep.SweepEngine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;

/** One sweep of the emulator's account, and the rows of its report, as the emulator tests read them. */
public final class Sweeps {
    private Sweeps() {
    }

    /**
     * A sweep under {@code policyYaml} at {@code now} (a fixed clock, also the cloud's), two resources at a time,
     * through clients of its own in {@value MotoTest#EU}.
     */
    public static SweepReport at(MotoServer moto, Instant now, String policyYaml) {
        try (AwsClients c = new AwsClients(moto.settings(MotoTest.EU))) {
            Clock clock = Clock.fixed(now, ZoneOffset.UTC);
            return new SweepEngine(new AwsCloud(c, clock), clock, 2, null).run(PolicyLoader.load(policyYaml, "test"));
        }
    }

    /**
     * A policy for the class account in {@value MotoTest#EU} in {@code mode}, the EC2 instance rules off, then
     * {@code rules}: lines under {@code rules:}, each indented two spaces and ending in a newline.
     */
    public static String policy(String mode, String rules) {
        return """
                mode: %s
                accounts: ["123456789012"]
                regions: [eu-west-1]
                rules:
                  ec2-idle: {enabled: false}
                  ec2-forgotten: {enabled: false}
                  ec2-stopped: {enabled: false}
                """.formatted(mode) + rules;
    }

    /** Each row as {@code decision|outcome|reason}, by resource id. */
    public static Map<String, String> rows(SweepReport r) {
        return r.rows().stream().collect(Collectors.toMap(SweepReport.Row::id,
                x -> x.decision() + "|" + x.outcome() + "|" + x.reason()));
    }

    /** The row of resource {@code id}. */
    public static SweepReport.Row row(SweepReport r, String id) {
        return r.rows().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    }
}
