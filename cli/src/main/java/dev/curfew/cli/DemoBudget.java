package dev.curfew.cli;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.AwsSettings;
import dev.curfew.aws.budget.BudgetRecords;
import dev.curfew.aws.budget.BudgetSweep;
import dev.curfew.aws.spend.Spending;
import dev.curfew.core.budget.BudgetCheck;
import dev.curfew.core.budget.BudgetDigests;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.budget.OverBudget;
import dev.curfew.core.budget.Standing;
import dev.curfew.core.model.CurfewTags;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Renderer;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.sweep.SweepEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.function.Consumer;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The demo's student over budget (README, "Budgets"): the demo policy's budgets, kim's seeded things, and the idle
 * check during the lesson with the budget in it, which stops (never terminates) kim's instance, tells her, and records
 * her over budget for the launcher.
 *
 * <p>Kim has an Elastic IP she allocated half a year ago (the sentinel's {@code curfew:created-at} record of it), on a
 * lab instance: its hours alone are past the course's budget, so the idle check during the lesson finds her over.
 */
final class DemoBudget {
    /** The demo policy's budgets: $5.00 a week and $20.00 for the course, every student. */
    static final String POLICY = """
            budgets:
              weekly: 5.00
              course: 20.00
            """;
    static final String STUDENT = "kim";
    /** The stack whose budget records the demo writes (in the emulator's SSM). */
    static final String STACK = "curfew-demo";

    private DemoBudget() {
    }

    /** Kim's lab instance and her Elastic IP on it, allocated 180 days ago; returns the instance's id. */
    static String seed(AwsClients clients, String image, Instant now, Consumer<String> say) {
        say.accept("Seeding a student over budget in eu-west-1 ...");
        Ec2Client ec2 = clients.ec2("eu-west-1");
        String lab = ec2.runInstances(b -> b.imageId(image).instanceType("t3.micro").minCount(1).maxCount(1)
                .tagSpecifications(s -> s.resourceType(ResourceType.INSTANCE).tags(tag("Name", "lab-notebook"),
                        tag("curfew:owner", STUDENT)))).instances().get(0).instanceId();
        String eip = ec2.allocateAddress(b -> b.domain("vpc")).allocationId();
        ec2.createTags(b -> b.resources(eip).tags(tag("curfew:owner", STUDENT), tag(CurfewTags.CREATED_AT,
                now.minus(Duration.ofDays(180)).toString())));
        ec2.associateAddress(b -> b.allocationId(eip).instanceId(lab));
        say.accept("  + kim: lab-notebook, and an Elastic IP on it she allocated 180 days ago (over the course's "
                + "budget)");
        return lab;
    }

    private static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    /** The budget records of the demo's stack. */
    static BudgetRecords records(AwsClients clients) {
        return new BudgetRecords(clients.ssm(clients.settings().homeRegion().id()), STACK);
    }

    /**
     * A sweep of the class account at {@code at} with the budget in it, as the deployed sweeper runs the idle check:
     * the budget's stops go through the stop path; in enforce mode kim is recorded over budget, told once, and the
     * launcher's answer is shown.
     */
    static SweepReport sweep(AwsSettings settings, Policy enforce, Instant at, Consumer<String> say) {
        try (AwsClients clients = new AwsClients(settings)) {
            BudgetSweep budget = new BudgetSweep(records(clients), new Spending(null, Clock.fixed(at, ZoneOffset.UTC)));
            SweepEngine.Result r = new SweepEngine(new AwsCloud(clients), Clock.fixed(at, ZoneOffset.UTC), 4,
                    line -> say.accept("  ... " + line)).withBudget(budget.hook()).runWithPlan(enforce);
            r.report().rows().stream().filter(x -> STUDENT.equals(x.owner()) && x.kind().equals("ec2-instance"))
                    .forEach(x -> say.accept("  " + x.id() + " (" + x.name() + ", kim's): " + x.decision() + " - "
                            + x.outcome() + ": " + x.reason()));
            if (r.budget() == null) {
                return r.report();
            }
            BudgetSweep.Recorded rec = budget.record(enforce, r.budget(), at);
            rec.problems().forEach(p -> say.accept("  budget: " + p));
            for (BudgetCheck.Notice n : rec.toTell()) {
                Contact to = new Contact(n.student(), "Kim", n.student() + "@students.example.edu", null);
                say.accept("");
                say.accept("  ---- to " + to.name() + " ----");
                Renderer.render(BudgetDigests.notice(enforce, n, to, at, CourseWeek.end(enforce.timeZone(), at),
                        false)).text().lines().forEach(l -> say.accept("  | " + l));
            }
            String week = CourseWeek.key(enforce.timeZone(), at);
            BudgetRecords records = records(clients);
            Standing refused = OverBudget.refuses(enforce.budgets(), records.overRecord(week, STUDENT),
                    records.topUp(week, STUDENT));
            say.accept("");
            say.accept("  The launcher now answers kim's launches: " + (refused == null ? "allowed"
                    : "403 over-budget " + OverBudget.figures(refused, CourseWeek.end(enforce.timeZone(), at))));
            return r.report();
        }
    }

    /**
     * What each student of the class account has spent as of {@code now}, Curfew's estimate from what a sweep
     * decided about, against their budgets (this week's top-ups included).
     */
    static ClassSpend spend(AwsSettings settings, Policy p, Collection<Decision> decisions, Instant now) {
        try (AwsClients clients = new AwsClients(settings)) {
            return new Spending(null, Clock.fixed(now, ZoneOffset.UTC)).withBudgets(records(clients))
                    .estimate(p, decisions);
        }
    }
}
