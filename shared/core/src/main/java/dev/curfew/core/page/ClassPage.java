package dev.curfew.core.page;

import dev.curfew.core.model.InstanceState;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Digests;
import dev.curfew.core.notify.Item;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Mark;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the instructor's class page shows (README, "The class page"): every student with what runs, what is marked
 * and when it goes, what the last run did, spend against budget where given, the money saved by week, and the last
 * run's failures. Built from a sweep's items (report rows with their tags), pure; {@link ClassPageHtml} renders it.
 *
 * @param course    the course's name (from the policy)
 * @param mode      the last run's mode, {@code enforce} or {@code dry-run}
 * @param account   the account(s) swept
 * @param generated when the page was made
 * @param zone      the course's time zone (every time on the page is in it)
 * @param students  one row per student: the roster's and every owner the sweep saw, by name; the resources with no
 *                  owner tag last
 * @param failures  what failed in the last run: actions, regions, the circuit breaker, other problems
 * @param saved     money saved by week, oldest first (may be empty: no record)
 * @param savedNote where the saved figures come from, or why there are none
 * @param spendShown whether spend figures were given (the page shows no spend column without them)
 * @param partialTotal the course totals leave out kept weeks that could not be read ({@link ClassSpend#partialTotal}):
 *                  each is at least what it says
 * @param spendNote how the spend figures were come by when that needs saying ({@link ClassSpend#note}), or null
 */
public record ClassPage(String course, String mode, String account, Instant generated, ZoneId zone,
                        List<Student> students, List<String> failures, List<SavedWeeks.Week> saved,
                        String savedNote, boolean spendShown, boolean partialTotal, String spendNote) {

    public ClassPage {
        spendNote = spendNote == null || spendNote.isBlank() ? null : spendNote.trim();
        Objects.requireNonNull(course, "course");
        Objects.requireNonNull(generated, "generated");
        Objects.requireNonNull(zone, "zone");
        students = List.copyOf(students);
        failures = List.copyOf(failures);
        saved = List.copyOf(saved);
    }

    /**
     * One student's row.
     *
     * @param owner           the owner tag, or null for resources without one
     * @param name            the roster's name, or null when the roster does not know the owner
     * @param running         what runs now (instances, clusters, NAT gateways not stopped or removed by the last run)
     * @param marked          what is marked and when it goes
     * @param acted           what the last run stopped or removed (in dry-run: would have)
     * @param failed          how many of the last run's actions on this student's resources failed
     * @param spend           the student's spend, or null when not known (or none was given)
     * @param budget          the spend against the student's limits (week and course, top-up included), or null
     *                        without a spend or a budget
     */
    public record Student(String owner, String name, List<Entry> running, List<Entry> marked, List<Entry> acted,
                          int failed, Spend spend, dev.curfew.core.budget.Standing budget) {
        public Student {
            running = List.copyOf(running);
            marked = List.copyOf(marked);
            acted = List.copyOf(acted);
        }
    }

    /**
     * One resource on the page.
     *
     * @param label the resource's name tag, else its id
     * @param what  kind, id, type and region, e.g. "EC2 instance i-0abc, t3.micro, eu-west-1"
     * @param note  what happens or happened to it ("empty at Thu 26 Nov 18:00 Europe/Amsterdam"), or null
     * @param failed whether the note says what failed
     */
    public record Entry(String label, String what, String note, boolean failed) {
    }

    /** The resource kinds that run (and cost by the hour) while they exist. */
    private static final Set<String> ALWAYS_RUNNING = Set.of("emr-cluster", "nat-gateway");
    private static final Set<String> DONE = Set.of("done", "already");

    /**
     * The page of one sweep of one account.
     *
     * @param plan       the sweep's plan (its resources' tags say what is marked), or null
     * @param spend      each student's spend and limits ({@link ClassSpend#budgets()}, top-ups included), or null when
     *                   there are no figures: the page then has no spend column
     * @param saved      money saved by week ({@link SavedWeeks#of}); {@code savedNote} says where it comes from
     * @param problems   other failures to list (the page's own, messages): after the sweep's own
     */
    public static ClassPage of(String course, ZoneId zone, Instant generated, SweepReport report, Plan plan,
                               Roster roster, ClassSpend spend, List<SavedWeeks.Week> saved, String savedNote,
                               List<String> problems) {
        List<String> failures = new ArrayList<>(failuresOf(report, zone));
        failures.addAll(problems == null ? List.of() : problems);
        return of(course, report.mode(), report.account(), zone, generated, Item.of(report, plan), roster, spend,
                saved, savedNote, failures);
    }

    /**
     * The page of some items (of one or many accounts' sweeps), with the failures already listed, with each student's
     * spend and limits ({@link ClassSpend#budgets()}, top-ups included); {@code spend} null: no spend column.
     */
    public static ClassPage of(String course, String mode, String account, ZoneId zone, Instant generated,
                               List<Item> items, Roster roster, ClassSpend spend, List<SavedWeeks.Week> saved,
                               String savedNote, List<String> failures) {
        Roster r = roster == null ? Roster.empty(null) : roster;
        Map<String, String> owners = new TreeMap<>(String.CASE_INSENSITIVE_ORDER); // key -> owner as written
        r.byOwner().values().forEach(c -> {
            if (c.owner() != null) {
                owners.putIfAbsent(c.owner().trim(), c.owner().trim());
            }
        });
        Map<String, List<Item>> byOwner = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<Item> unowned = new ArrayList<>();
        for (Item i : items) {
            String o = i.row().owner() == null || i.row().owner().isBlank() ? null : i.row().owner().trim();
            if (o == null) {
                unowned.add(i);
            } else {
                owners.putIfAbsent(o, o);
                byOwner.computeIfAbsent(o, k -> new ArrayList<>()).add(i);
            }
        }
        List<Student> students = new ArrayList<>();
        for (String owner : owners.values()) {
            Contact c = r.find(owner);
            students.add(student(owner, c == null ? null : c.name(), byOwner.getOrDefault(owner, List.of()), zone,
                    mode, spend == null ? null : spend.of(owner), spend == null ? null : spend.standing(owner)));
        }
        students.sort(Comparator.comparing((Student s) -> (s.name() == null ? s.owner() : s.name())
                .toLowerCase(Locale.ROOT)));
        if (!unowned.isEmpty()) {
            students.add(student(null, null, unowned, zone, mode, null, null));
        }
        return new ClassPage(course, mode, account, generated, zone, students, failures,
                saved == null ? List.of() : saved, savedNote, spend != null, spend != null && spend.partialTotal(),
                spend == null ? null : spend.note());
    }

    /** The last run's failures as the page lists them: failed actions, regions not read, the circuit breaker. */
    public static List<String> failuresOf(SweepReport report, ZoneId zone) {
        List<String> out = new ArrayList<>();
        if (report.breaker().tripped()) {
            out.add("Circuit breaker tripped: " + report.breaker().planned() + " destructive actions planned, the "
                    + "limit is " + report.breaker().limit() + "; nothing was acted on.");
        }
        report.regionErrors().forEach((region, error) -> out.add(region + " could not be read: " + error));
        for (SweepReport.Row row : report.rows()) {
            if ("failed".equals(row.outcome()) || "partial".equals(row.outcome())) {
                out.add(Digests.kindLabel(row.kind()) + " " + row.id() + (row.name() == null
                        || row.name().equals(row.id()) ? "" : " (" + row.name() + ")") + " of "
                        + (row.owner() == null ? "no known owner" : row.owner()) + ": " + row.decision() + " "
                        + row.outcome() + (row.detail() == null ? "" : ": " + row.detail()));
            }
        }
        return out;
    }

    private static Student student(String owner, String name, List<Item> items, ZoneId zone, String mode,
                                   Spend spend, dev.curfew.core.budget.Standing standing) {
        List<Entry> running = new ArrayList<>();
        List<Entry> marked = new ArrayList<>();
        List<Entry> acted = new ArrayList<>();
        int failed = 0;
        boolean dryRun = !"enforce".equals(mode);
        for (Item i : items) {
            SweepReport.Row row = i.row();
            Action a = Action.fromWire(row.decision());
            boolean destructive = a != null && a.destructive();
            boolean removed = destructive && DONE.contains(row.outcome());
            if ("failed".equals(row.outcome()) || "partial".equals(row.outcome())) {
                failed++;
                acted.add(new Entry(entry(row, null).label(), entry(row, null).what(), ("failed".equals(row.outcome())
                        ? "could not be " : "only partly ") + Digests.participle(row.decision())
                        + (row.detail() == null ? "" : ": " + row.detail()), true));
            }
            if (removed || destructive && "would".equals(row.outcome())) {
                acted.add(entry(row, ("would".equals(row.outcome()) ? "would be " : "")
                        + Digests.participle(row.decision())));
            }
            boolean runs = "ec2-instance".equals(row.kind())
                    ? InstanceState.fromAws(row.state()).isUp()
                    : ALWAYS_RUNNING.contains(row.kind());
            boolean gone = removed && (a != Action.NARROW && a != Action.EMPTY);
            if (runs && !gone) {
                running.add(entry(row, dryRun && destructive && "would".equals(row.outcome())
                        ? "enforce would " + row.decision() + " it" : null));
            }
            Mark m = Mark.parse(i.setTags().get(Mark.TAG));
            if (m == null && !"unmark".equals(row.decision()) && !removed) {
                m = Mark.parse(i.tags().get(Mark.TAG));
            }
            if (m != null && !("mark".equals(row.decision()) && "failed".equals(row.outcome()))) {
                marked.add(entry(row, (dryRun && "mark".equals(row.decision()) ? "would be " : "")
                        + Digests.participle(m.action().wireName()) + " at " + Digests.when(m.due(), zone)
                        + " unless kept"));
            }
        }
        return new Student(owner, name, running, marked, acted, failed, spend, standing);
    }

    private static Entry entry(SweepReport.Row row, String note) {
        String label = row.name() == null || row.name().isBlank() ? row.id() : row.name();
        StringBuilder what = new StringBuilder(Digests.kindLabel(row.kind())).append(' ').append(row.id());
        if (row.type() != null) {
            what.append(", ").append(row.type());
        }
        if (row.region() != null && !row.region().isBlank()) {
            what.append(", ").append(row.region());
        }
        return new Entry(label, what.toString(), note, false);
    }

    /** Resources running now. */
    public long runningCount() {
        return students.stream().mapToLong(s -> s.running().size()).sum();
    }

    public long markedCount() {
        return students.stream().mapToLong(s -> s.marked().size()).sum();
    }

    /** What the last run stopped or removed (would have, in dry-run); failed actions not counted. */
    public long actedCount() {
        return students.stream().mapToLong(s -> s.acted().stream().filter(e -> !e.failed()).count()).sum();
    }

    /** The number of students (the row of resources without an owner tag not counted). */
    public long studentCount() {
        return students.stream().filter(s -> s.owner() != null).count();
    }

    /** Students at or over a limit (the week's or the course's). */
    public long overBudget() {
        return students.stream().filter(s -> s.budget() != null && s.budget().over()).count();
    }

    /** Saved this week ($ a month), 0 without a record. */
    public double savedThisWeek() {
        return saved.isEmpty() ? 0 : saved.get(saved.size() - 1).usdPerMonth();
    }
}
