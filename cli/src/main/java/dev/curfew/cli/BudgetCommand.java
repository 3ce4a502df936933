package dev.curfew.cli;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.PolicySource;
import dev.curfew.aws.budget.BudgetRecords;
import dev.curfew.core.budget.Amount;
import dev.curfew.core.budget.BudgetCheck;
import dev.curfew.core.budget.BudgetRules;
import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.budget.TopUp;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.Json;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code curfew budget}: each student's budget and this week's top-up; with {@code --student NAME --add AMOUNT}, tops
 * one student up for this course week (README, "Budgets"). Top-ups are kept in SSM under the stack's prefix, where the
 * sweeper and the launcher read them.
 */
@Command(name = "budget", mixinStandardHelpOptions = true,
        description = "Show each student's budget and this week's top-up; --student NAME --add AMOUNT tops one "
                + "student up for this course week.")
public final class BudgetCommand implements Callable<Integer> {
    private static final Pattern OWNER = Pattern.compile("[\\p{L}\\p{N}_.:/=+\\-@]{1,256}");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--policy", paramLabel = "FILE|s3://BUCKET/KEY|bundled", defaultValue = "bundled",
            description = "The deployed policy, whose budgets section this shows (default: ${DEFAULT-VALUE}).")
    String policy;

    /** The stack whose records are read when none is named. */
    static final String DEFAULT_STACK = "curfew";

    @Option(names = "--stack", paramLabel = "NAME", defaultValue = DEFAULT_STACK,
            description = "Curfew's stack: its records are under /curfew/NAME/budget/ (default: ${DEFAULT-VALUE}).")
    String stack;

    @Option(names = "--student", paramLabel = "NAME", description = "One student: their owner name (the owner tag).")
    String student;

    @Option(names = "--add", paramLabel = "AMOUNT", description = "Top the student up for this week: dollars (5, "
            + "$5.50) or instance hours (3h); a bare number is in the unit of their weekly budget.")
    String add;

    @Option(names = "--now", paramLabel = "INSTANT", description = "As if it were this ISO-8601 instant (its week).")
    String now;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Mixin
    AwsOptions aws;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Instant at = SweepCommand.clock(now).instant();
        if (stack == null || !stack.matches("[A-Za-z][A-Za-z0-9-]{0,127}")) {
            throw new IllegalArgumentException("--stack \"" + stack + "\" is not a CloudFormation stack name");
        }
        if (student != null && !OWNER.matcher(student.trim()).matches()) {
            throw new IllegalArgumentException("--student \"" + student + "\" is not an owner name (the value of the "
                    + "owner tag: an IAM user or role session name)");
        }
        if (add != null && student == null) {
            throw new IllegalArgumentException("--add needs --student NAME: whom to top up");
        }
        try (AwsClients clients = aws.clients()) {
            Policy p = PolicySource.load(policy, List.of(), clients);
            BudgetRules rules = p.budgets();
            String week = CourseWeek.key(p.timeZone(), at);
            BudgetRecords records = new BudgetRecords(clients.ssm(clients.settings().homeRegion().id()), stack);
            if (add != null) {
                Amount more = amount(rules, student.trim(), add);
                TopUp now = records.addTopUp(week, student.trim(), more);
                Map<String, Object> done = new LinkedHashMap<>();
                done.put("student", student.trim());
                done.put("week", week);
                done.put("added", more.wire());
                done.put("topUp", Map.of("dollars", now.dollars(), "hours", now.hours()));
                done.put("weekly", limit(rules.weeklyFor(student.trim()), now));
                done.put("course", limit(rules.course(), now));
                out.println(json ? Json.write(done) : "topped up " + student.trim() + " by " + more.show()
                        + " for the week of " + week + ": this week's top-up is " + now.show() + "; weekly budget "
                        + show(rules.weeklyFor(student.trim()), now) + ", course budget " + show(rules.course(), now)
                        + " (the launcher counts it at once, the sweeper at its next run)");
                return 0;
            }
            Map<String, TopUp> topUps = records.topUps(week);
            Set<String> over = records.over(week);
            Set<String> names = new TreeSet<>();
            rules.students().keySet().forEach(names::add);
            names.addAll(topUps.keySet());
            names.addAll(over);
            if (student != null) {
                names = Set.of(BudgetCheck.key(student));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String s : names) {
                TopUp t = topUps.getOrDefault(s, TopUp.NONE);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("student", s);
                row.put("weekly", limit(rules.weeklyFor(s), t));
                row.put("course", limit(rules.course(), t));
                row.put("topUp", Map.of("dollars", t.dollars(), "hours", t.hours()));
                row.put("overBudget", over.contains(s));
                rows.add(row);
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("week", week);
                m.put("weekly", rules.weekly() == null ? null : rules.weekly().wire());
                m.put("course", rules.course() == null ? null : rules.course().wire());
                m.put("students", rows);
                out.println(Json.write(m));
                return 0;
            }
            out.println("budgets for the week of " + week + " (" + policy + "): " + (rules.any()
                    ? "weekly " + (rules.weekly() == null ? "none" : rules.weekly().show()) + ", course "
                    + (rules.course() == null ? "none" : rules.course().show()) + " per student"
                    : "the policy sets no budgets"));
            for (String s : names) {
                TopUp t = topUps.getOrDefault(s, TopUp.NONE);
                out.println(String.format("  %-20s weekly %-10s course %-10s top-up %-18s%s", s,
                        show(rules.weeklyFor(s), t), show(rules.course(), t), t.show(),
                        over.contains(s) ? " OVER BUDGET" : ""));
            }
            return 0;
        }
    }

    /** The amount to add: its own unit, or a bare number in the unit of the student's weekly budget (or the course's). */
    static Amount amount(BudgetRules rules, String student, String text) {
        if (!rules.any()) {
            throw new IllegalArgumentException("--add: the policy sets no budgets (budgets: in the policy; give the "
                    + "deployed one with --policy FILE|s3://BUCKET/KEY)");
        }
        String s = text.trim();
        Amount a = Amount.parse(s);
        if (a == null) {
            throw new IllegalArgumentException("--add \"" + text + "\" is not an amount above 0: dollars (5, $5.50) or "
                    + "instance hours (3h), at most 1000000");
        }
        Amount own = rules.weeklyFor(student) != null ? rules.weeklyFor(student) : rules.course();
        boolean explicit = s.startsWith("$") || s.toLowerCase(java.util.Locale.ROOT).endsWith("h");
        if (!explicit && own != null) {
            a = new Amount(a.value(), own.unit());
        }
        Amount.Unit unit = a.unit();
        boolean used = rules.weeklyFor(student) != null && rules.weeklyFor(student).unit() == unit
                || rules.course() != null && rules.course().unit() == unit;
        if (!used) {
            throw new IllegalArgumentException("--add " + text + ": " + student + "'s budgets are not in "
                    + (unit == Amount.Unit.DOLLARS ? "dollars" : "instance hours") + ", so it would raise nothing");
        }
        return a;
    }

    private static Object limit(Amount a, TopUp t) {
        return a == null ? null : a.plus(t.of(a.unit())).wire();
    }

    private static String show(Amount a, TopUp t) {
        return a == null ? "none" : a.plus(t.of(a.unit())).show();
    }
}
