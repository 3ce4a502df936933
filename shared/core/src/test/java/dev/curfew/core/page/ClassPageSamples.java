package dev.curfew.core.page;

import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Item;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.budget.Amount;
import dev.curfew.core.budget.BudgetRules;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The demo's class (./curfew demo) after its curfew sweep, as page input: the students and what the sweep did. */
public final class ClassPageSamples {
    public static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    /** Wednesday 25 November 2026, 18:00 in Amsterdam: the demo's curfew. */
    public static final Instant CURFEW = Instant.parse("2026-11-25T17:00:00Z");
    public static final String HOSTILE_NAME = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";
    public static final String HOSTILE_OWNER = "mallory\"><script>";

    private ClassPageSamples() {
    }

    public static Roster roster() {
        Map<String, Contact> m = new LinkedHashMap<>();
        for (String[] p : new String[][] {{"alice", "Alice Liddell"}, {"bob", "Bob Marley"},
            {"carol", "Carol Danvers"}, {"dave", "Dave Grohl"}, {"erin", "Erin Brockovich"},
            {"frank", "Frank Ocean"}, {"grace", "Grace Hopper"}, {"heidi", "Heidi Klum"}}) {
            m.put(p[0], new Contact(p[0], p[1], p[0] + "@students.example.edu", null));
        }
        return new Roster("demo roster", m, List.of());
    }

    static SweepReport.Row row(String kind, String id, String name, String region, String owner, String state,
                               String type, String decision, String outcome, String detail, Double perHour) {
        return new SweepReport.Row(kind, id, name, region, owner, state, type, List.of("idle"), decision, "rule",
                outcome, detail, perHour);
    }

    /** The sweep's items in enforce mode: stops, terminations, a mark, a failure, a hostile name. */
    public static List<Item> items(boolean hostile) {
        List<Item> out = new ArrayList<>();
        out.add(new Item(row("ec2-instance", "i-0a11ce", "web-lab", "eu-west-1", "alice", "running", "t3.micro",
                "terminate", "done", null, 0.0114), Map.of(), Map.of()));
        out.add(new Item(row("ebs-volume", "vol-0a11ce", "scratch-data", "eu-west-1", "alice", null, null,
                "snapshot-then-delete", "done", "snapshot snap-1; restore with: aws ec2 create-volume", 0.0022),
                Map.of(), Map.of()));
        out.add(new Item(row("ec2-instance", "i-0b0b", "ml-training", "eu-west-1", "bob", "running", "t3.micro",
                "stop", "done", null, 0.0114), Map.of(), Map.of()));
        out.add(new Item(row("s3-bucket", "lab-bob-results", "lab-bob-results", "eu-west-1", "bob", null, null,
                "mark", "done", null, null), Map.of(), Map.of("curfew:pending", "empty@2026-11-26T17:00:00Z")));
        out.add(new Item(new SweepReport.Row("ec2-instance", "i-0ca401", "thesis-data", "eu-west-1", "carol",
                "running", "t3.micro", List.of(), "skip", "kept until 2026-11-27 (curfew:keep)", "none", null,
                0.0114), Map.of("curfew:keep", "2026-11-27"), Map.of()));
        out.add(new Item(row("ec2-instance", "i-0da5e", "spot-experiment", "us-east-1", "dave", "running",
                "t3.micro (spot)", "terminate", "done", null, 0.0104), Map.of(), Map.of()));
        out.add(new Item(row("ec2-instance", "i-0e61", "old-lab", "us-east-1", "erin", "stopped", "t3.micro",
                "terminate", "failed", "UnauthorizedOperation: not allowed", 0.0), Map.of(), Map.of()));
        out.add(new Item(new SweepReport.Row("ec2-instance", "i-0f4a", "db-server", "us-east-1", "frank",
                "running", "t3.micro", List.of("idle"), "skip", "termination protection", "none", null, 0.0104),
                Map.of(), Map.of()));
        out.add(new Item(row("ec2-instance", "i-06ace", "sydney-test", "ap-southeast-2", "grace", "running",
                "t3.micro", "stop", "done", null, 0.0132), Map.of(), Map.of()));
        out.add(new Item(row("elastic-ip", "eipalloc-1", "eipalloc-1", "us-east-1", null, null, null, "release",
                "done", null, 0.005), Map.of(), Map.of()));
        if (hostile) {
            out.add(new Item(row("ec2-instance", "i-0bad", HOSTILE_NAME, "eu-west-1", HOSTILE_OWNER, "running",
                    "t3.micro", "mark", "done", null, 0.0114), Map.of(), Map.of("curfew:pending",
                    "terminate@2026-11-26T17:00:00Z")));
        }
        return out;
    }

    public static List<SavedWeeks.Week> saved() {
        List<SavedWeeks.Point> points = List.of(
                new SavedWeeks.Point(Instant.parse("2026-10-07T17:00:00Z"), 12.40),
                new SavedWeeks.Point(Instant.parse("2026-10-14T17:00:00Z"), 31.02),
                new SavedWeeks.Point(Instant.parse("2026-10-15T17:00:00Z"), 4.10),
                new SavedWeeks.Point(Instant.parse("2026-10-28T17:00:00Z"), 22.57),
                new SavedWeeks.Point(Instant.parse("2026-11-04T17:00:00Z"), 8.32),
                new SavedWeeks.Point(Instant.parse("2026-11-11T17:00:00Z"), 40.15),
                new SavedWeeks.Point(Instant.parse("2026-11-18T17:00:00Z"), 17.0),
                new SavedWeeks.Point(CURFEW, 36.94));
        return SavedWeeks.of(points, CURFEW, ZONE, 8);
    }

    public static List<Spend> spend() {
        Instant week = Instant.parse("2026-11-22T23:00:00Z");
        return List.of(new Spend("alice", week, 3.10, 9.85, 41.0, 130.0, Spend.Source.ESTIMATE),
                new Spend("bob", week, 12.40, 20.12, 160.5, 260.0, Spend.Source.COST_EXPLORER),
                new Spend("carol", week, 8.20, 8.20, 100.0, 100.0, Spend.Source.ESTIMATE));
    }

    /** {@link #spend()} with each owner's weekly budget in US dollars (by owner, any case), nothing for the course. */
    public static ClassSpend spend(Map<String, Double> weeklyUsd) {
        Map<String, Amount> weekly = new LinkedHashMap<>();
        weeklyUsd.forEach((k, v) -> weekly.put(k, Amount.dollars(v)));
        Map<String, Spend> by = new LinkedHashMap<>();
        spend().forEach(s -> by.put(s.student(), s));
        return new ClassSpend(Instant.parse("2026-11-22T23:00:00Z"), CURFEW, by, null, List.of(), null, Map.of())
                .withBudgets(new BudgetRules(null, null, weekly), Map.of());
    }

    /** @param spend each student's spend and limits, or null: no spend column */
    public static ClassPage page(boolean hostile, ClassSpend spend) {
        List<Item> items = items(hostile);
        List<String> failures = List.of("EC2 instance i-0e61 (old-lab) of erin: terminate failed: "
                + "UnauthorizedOperation: not allowed");
        return ClassPage.of("Cloud Computing 101 (demo)", "enforce", "123456789012", ZONE,
                CURFEW.plusSeconds(95), items, roster(), spend, saved(),
                "From the sweeps' recorded savings.", failures);
    }
}
