package dev.curfew.core.notify;

import dev.curfew.core.plan.Plan;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.testing.Policies;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A small class's sweep: rows as the engine reports them, a roster, a policy in Europe/Amsterdam. */
final class Fixtures {
    static final Instant CURFEW = Instant.parse("2026-11-25T17:00:00Z"); // 18:00 in Amsterdam

    private Fixtures() {
    }

    static Policy policy(String mode) {
        return Policies.course("""
                mode: %s
                notifications:
                  roster: s3://course-admin/roster.csv
                  slack: {webhook-secret: curfew/slack-webhook}
                  email: {sender: curfew@example.edu}
                  instructor: {name: Dr Who, email: teacher@example.edu, slack: U0TEACHER}
                """.formatted(mode));
    }

    static Roster roster() {
        return RosterParser.parse("""
                owner,name,email,slack
                alice,Alice Liddell,alice@example.edu,U01ALICE
                bob,Bob <b>Builder</b> & Co,bob@example.edu,
                """, "roster.csv");
    }

    static SweepReport.Row row(String kind, String id, String name, String region, String owner, String decision,
                               String outcome, String detail, Double cost, String... findings) {
        return new SweepReport.Row(kind, id, name, region, owner, kind.equals("ec2-instance") ? "running" : null,
                kind.equals("ec2-instance") ? "t3.micro" : null, List.of(findings), decision,
                findings.length == 0 ? "no finding" : findings[0], outcome, detail, cost);
    }

    static Item item(SweepReport.Row r) {
        return new Item(r, Map.of("curfew:owner", String.valueOf(r.owner())), Map.of());
    }

    static Item item(SweepReport.Row r, Map<String, String> tags, Map<String, String> set) {
        return new Item(r, tags, set);
    }

    static SweepReport report(String mode, List<SweepReport.Row> rows, Map<String, String> regionErrors,
                              Plan.Breaker breaker) {
        return new SweepReport("Cloud Computing 101", "123456789012", mode, CURFEW, 1234,
                List.of("eu-west-1", "us-east-1"), regionErrors, "passed", breaker, rows, Map.of());
    }
}
