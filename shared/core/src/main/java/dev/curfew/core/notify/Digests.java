package dev.curfew.core.notify;

import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Mark;
import dev.curfew.core.plan.Prices;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.Json;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.Spend;
import dev.curfew.core.spend.SpendEstimator;
import dev.curfew.core.spend.SpendText;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the messages of a pass from what the sweep produced, one digest per person (never one message per
 * resource). Pure: the same report, roster and policy always give the same digests.
 */
public final class Digests {
    /** Written on a resource once its owner was warned about a curfew: {@code curfew:warned=<curfew instant>}. */
    public static final String WARNED_TAG = dev.curfew.core.model.CurfewTags.WARNED;
    public static final String INSTRUCTOR = "instructor";

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

    /** What a warning is about: actions that change or remove something, marks, and notices. */
    static final Set<String> ACTING = Set.of("stop", "terminate", "snapshot-then-delete", "delete", "empty",
            "release", "cancel", "narrow");

    private Digests() {
    }

    /** "Wed 25 Nov 18:00 Europe/Amsterdam": a time in the course's zone. */
    public static String when(Instant t, ZoneId zone) {
        return WHEN.format(t.atZone(zone)) + " " + zone.getId();
    }

    public static boolean warnable(Item i) {
        String d = i.row().decision();
        return ACTING.contains(d) || "mark".equals(d) || "notify".equals(d);
    }

    /** Resources whose owners were warned about this curfew already (a tag a previous run wrote). */
    public static boolean alreadyWarned(Item i, Instant curfew) {
        return curfew.toString().equals(i.tags().get(WARNED_TAG));
    }

    /**
     * The warnings before a curfew: per owner, what will happen at {@code curfew}, what it costs, and the one
     * command that keeps each resource. Resources already warned about this curfew are left out.
     *
     * @param items the plan as of the curfew (the warning pass plans in dry-run, with the clock at the curfew)
     */
    public static List<Digest> warnings(Policy p, Instant curfew, List<Item> items, Roster roster, boolean dryRun) {
        return warnings(p, curfew, items, roster, dryRun, null);
    }

    /** As above, each student's intro ending with what they have spent ({@code spend} null: not known). */
    public static List<Digest> warnings(Policy p, Instant curfew, List<Item> items, Roster roster, boolean dryRun,
                                        ClassSpend spend) {
        List<Item> todo = items.stream().filter(Digests::warnable).filter(i -> !alreadyWarned(i, curfew)).toList();
        Map<Contact, List<Item>> byPerson = group(p, todo, roster);
        List<Digest> out = new ArrayList<>();
        String at = when(curfew, p.timeZone());
        String hhmm = DateTimeFormatter.ofPattern("HH:mm").format(curfew.atZone(p.timeZone()));
        LocalDate day = curfew.atZone(p.timeZone()).toLocalDate();
        byPerson.forEach((to, list) -> {
            List<Digest.Line> lines = list.stream().map(i -> warningLine(p, i, day, dryRun)).toList();
            long acting = lines.stream().filter(l -> !l.notice()).count();
            boolean unknown = to.instructor();
            String whose = unknown ? "resource" + (acting == 1 ? "" : "s") + " with no known owner"
                    : "of your resources"; // "1 of your resources will be", "2 of your resources will be"
            String subject = prefix(p, dryRun) + "Curfew at " + hhmm + ": " + (acting == 0
                    ? lines.size() + " thing" + (lines.size() == 1 ? "" : "s") + " worth a look"
                    : acting + " " + whose + " will be " + verbs(list));
            String intro = (dryRun ? "Dry run: Curfew will not actually change anything; this is what it would do. " : "")
                    + "At " + at + " (in about " + dev.curfew.core.policy.Durations.format(p.notifications().warningLead())
                    + ") the course's cleanup policy acts on " + (unknown ? "these resources, whose owner "
                    + "the roster does not know" : "these resources of yours") + ". "
                    + "To keep one, run the command under it before then: the " + p.exemptions().keepTag()
                    + " tag keeps it until the end of that day." + spendSentence(p, to, spend);
            out.add(new Digest("warning", to, unknown, p.course(), subject, intro, at, dryRun, lines,
                    total(list), ids(list), null));
        });
        return out;
    }

    /**
     * After a pass that acted: per owner, what was done (and what failed), and how to get a deleted volume back.
     * In dry-run, what would have been done.
     */
    public static List<Digest> afterAction(Policy p, Instant now, List<Item> items, Roster roster, boolean dryRun) {
        return afterAction(p, now, items, roster, dryRun, null);
    }

    /** As above, each student's intro ending with what they have spent ({@code spend} null: not known). */
    public static List<Digest> afterAction(Policy p, Instant now, List<Item> items, Roster roster, boolean dryRun,
                                           ClassSpend spend) {
        List<Item> todo = items.stream().filter(i -> reportable(i, dryRun)).toList();
        Map<Contact, List<Item>> byPerson = group(p, todo, roster);
        List<Digest> out = new ArrayList<>();
        String at = when(now, p.timeZone());
        byPerson.forEach((to, list) -> {
            List<Digest.Line> lines = list.stream().map(i -> afterLine(p, i, now)).toList();
            long failed = lines.stream().filter(Digest.Line::failed).count();
            boolean unknown = to.instructor();
            long acted = lines.size() - failed;
            String subject = prefix(p, dryRun) + "After curfew: " + (acted > 0 ? acted + " " + (unknown
                    ? "resource" + (acted == 1 ? "" : "s") + " with no known owner " : "of your resources ") + (dryRun ? "would have been " : (acted == 1 ? "was " : "were "))
                    + verbsPast(list.stream().filter(i -> !"failed".equals(i.row().outcome())).toList()) : "")
                    + (acted > 0 && failed > 0 ? ", " : "") + (failed > 0 ? failed + " could not be" : "");
            String intro = (dryRun ? "Dry run: nothing was actually changed; this is what Curfew would have done. "
                    : "") + "Curfew's sweep at " + at + " acted on " + (unknown ? "these resources, whose owner "
                    + "the roster does not know" : "these resources of yours") + " under the course's cleanup "
                    + "policy." + (lines.stream().anyMatch(l -> l.restore() != null) ? " A deleted volume was "
                    + "snapshotted first: the command under it makes a new volume from the snapshot." : "")
                    + spendSentence(p, to, spend);
            out.add(new Digest("after-action", to, unknown, p.course(), subject, intro, at, dryRun, lines,
                    total(list), ids(list), null));
        });
        return out;
    }

    /** Whether an after-action digest tells of this item (what was done, failed, or in dry-run would be). */
    public static boolean reportable(Item i, boolean dryRun) {
        String d = i.row().decision();
        String o = i.row().outcome();
        if (!(ACTING.contains(d) || "mark".equals(d))) {
            return false;
        }
        return "done".equals(o) || "failed".equals(o) || dryRun && "would".equals(o);
    }

    /**
     * The instructor's summary of a day's curfew sweep: per student what was found and done, errors, the money
     * saved, the circuit breaker, region errors, roster problems and failed deliveries.
     */
    public static Digest summary(Policy p, SweepReport report, List<Item> items, Roster roster, Contact instructor,
                                 List<Delivery> deliveries) {
        return summary(p, report, items, roster, instructor, deliveries, null);
    }

    /** As above, with a table of what each student has spent ({@code spend} null: no table). */
    public static Digest summary(Policy p, SweepReport report, List<Item> items, Roster roster, Contact instructor,
                                 List<Delivery> deliveries, ClassSpend spend) {
        boolean dryRun = !"enforce".equals(report.mode());
        Map<String, List<SweepReport.Row>> byOwner = new TreeMap<>(Comparator.nullsLast(
                String.CASE_INSENSITIVE_ORDER));
        for (Item i : items) {
            SweepReport.Row r = i.row();
            if (r.findings().isEmpty() && !"failed".equals(r.outcome()) && !"done".equals(r.outcome())) {
                continue;
            }
            byOwner.computeIfAbsent(r.owner() == null ? null : r.owner().trim(), k -> new ArrayList<>()).add(r);
        }
        List<Digest.Student> students = new ArrayList<>();
        byOwner.forEach((owner, rows) -> {
            Contact c = roster.find(owner);
            students.add(new Digest.Student(owner == null ? "(no owner tag)" : owner,
                    c == null ? (owner == null ? "-" : "not in the roster") : c.name(),
                    rows.stream().filter(r -> !r.findings().isEmpty()).count(),
                    rows.stream().filter(r -> counted(r, dryRun)).count(),
                    rows.stream().filter(r -> "failed".equals(r.outcome())).count(),
                    SpendText.money(SweepReport.savedPerMonth(rows)), c != null));
        });
        long found = students.stream().mapToLong(Digest.Student::found).sum();
        long done = students.stream().mapToLong(Digest.Student::done).sum();
        long errors = students.stream().mapToLong(Digest.Student::errors).sum();
        String saved = SpendText.money(report.savedPerMonth());
        List<Digest.Line> failures = items.stream().filter(i -> "failed".equals(i.row().outcome()))
                .map(i -> afterLine(p, i, report.now())).toList();
        List<String> regionErrors = report.regionErrors().entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).toList();
        List<String> deliveryProblems = deliveries.stream().filter(d -> d.status() == Delivery.Status.FAILED)
                .map(d -> d.message() + " to " + d.to() + " by " + d.channel() + ": " + d.detail()).toList();
        var b = report.breaker();
        String breaker = b.tripped() ? "TRIPPED: " + b.planned() + " destructive actions planned, the limit is "
                + b.limit() + "; nothing was acted on. Check the plan, then raise limits.max-destructive-actions or "
                + "act by hand." : "not tripped (" + b.planned() + " destructive action" + (b.planned() == 1 ? "" : "s")
                + " planned, limit " + b.limit() + ")";
        String day = DAY.format(report.now().atZone(p.timeZone()));
        String subject = prefix(p, dryRun) + "Curfew summary for " + day + ": " + found + " found, " + done
                + (dryRun ? " would be done, " : " done, ") + errors + " error" + (errors == 1 ? "" : "s") + ", about "
                + saved + "/month " + (dryRun ? "to save" : "saved") + (b.tripped() ? " - CIRCUIT BREAKER TRIPPED" : "");
        String intro = "The curfew sweep of " + when(report.now(), p.timeZone()) + " in account " + report.account()
                + " (" + report.mode() + ", " + report.regions().size() + " region"
                + (report.regions().size() == 1 ? "" : "s") + ")." + (dryRun ? " Dry run: nothing was changed, and "
                + (p.notifications().studentsInDryRun() ? "students were told what would happen."
                : "students were not messaged.") : "");
        Digest.Summary s = new Digest.Summary(students, String.valueOf(found), String.valueOf(done),
                String.valueOf(errors), saved, breaker, b.tripped(), regionErrors, roster.problems(),
                deliveryProblems, failures, report.account(), report.mode(), spendRows(spend, roster),
                spendNote(p, spend));
        return new Digest("summary", instructor, false, p.course(), subject, intro,
                when(report.now(), p.timeZone()), dryRun, List.of(), saved + "/month", List.of(), s);
    }

    /** " Your spending this week ...", or "" for the instructor's digest or a student with no spend on record. */
    static String spendSentence(Policy p, Contact to, ClassSpend spend) {
        if (spend == null || to.owner() == null) {
            return "";
        }
        Spend s = spend.of(to.owner());
        return s == null ? "" : " " + SpendText.withBudget(s, spend.standing(to.owner()), p.timeZone())
                + (spend.partialTotal() ? " " + PARTIAL : "");
    }

    /** What a partial course total says ({@link ClassSpend#partialTotal}). */
    static final String PARTIAL = "The total is partial: the figures of earlier weeks could not be read.";

    /** The summary's spend table: each student's row, against their limits (null spend: none). */
    public static List<Digest.SpendRow> spendRows(ClassSpend spend, Roster roster) {
        if (spend == null) {
            return List.of();
        }
        return spend.rows().stream().map(s -> {
            boolean nobody = SpendEstimator.NOBODY.equals(s.student());
            Contact c = nobody ? null : roster.find(s.student());
            ClassSpend.Budget b = nobody ? null : spend.budget(s.student());
            return new Digest.SpendRow(c == null ? (nobody ? "-" : "not in the roster") : c.name(), s.student(),
                    SpendText.against(s.weekDollars(), s.weekInstanceHours(), b == null ? null : b.week(), " of "),
                    (spend.partialTotal() ? "at least " : "") + SpendText.against(s.totalDollars(),
                            s.totalInstanceHours(), b == null ? null : b.course(), " of "),
                    SpendText.hours(s.weekInstanceHours()),
                    s.source() == Spend.Source.COST_EXPLORER ? "billed" : "estimate", c != null);
        }).toList();
    }

    /** Where the spend table's figures come from, and what went wrong getting them (null spend: null). */
    public static String spendNote(Policy p, ClassSpend spend) {
        if (spend == null) {
            return null;
        }
        return "Spend this week (since " + when(spend.weekStart(), p.timeZone()) + ") and in total: "
                + spend.sources() + "." + (spend.note() == null ? "" : " " + spend.note())
                + (spend.leftOut().isEmpty() ? "" : " Not priced: " + spend.leftOut().size() + " resource"
                + (spend.leftOut().size() == 1 ? "" : "s") + " (see the sweep's report).");
    }

    private static boolean counted(SweepReport.Row r, boolean dryRun) {
        if ("unmark".equals(r.decision())) {
            return false;
        }
        return "done".equals(r.outcome()) || dryRun && "would".equals(r.outcome());
    }

    /** The instructor as a contact (for the summary and for resources nobody in the roster owns). */
    public static Contact instructor(Policy p) {
        var n = p.notifications();
        return new Contact(null, n.instructorName(), n.instructorEmail(), n.instructorSlack());
    }

    private static Map<Contact, List<Item>> group(Policy p, List<Item> items, Roster roster) {
        Map<Contact, List<Item>> out = new LinkedHashMap<>();
        Contact instructor = instructor(p);
        List<Item> sorted = new ArrayList<>(items);
        // by owner; within an owner, in the report's order (instances first, as the plan lists them)
        sorted.sort(Comparator.comparing((Item i) -> i.row().owner() == null ? "\uffff" : i.row().owner()
                .toLowerCase(Locale.ROOT)));
        for (Item i : sorted) {
            Contact c = roster.find(i.row().owner());
            out.computeIfAbsent(c == null ? instructor : c, k -> new ArrayList<>()).add(i);
        }
        // the instructor's digest (unknown owners) last
        if (out.containsKey(instructor)) {
            out.put(instructor, out.remove(instructor));
        }
        return out;
    }

    private static String prefix(Policy p, boolean dryRun) {
        return "[" + p.course() + "] " + (dryRun ? "[dry run] " : "");
    }

    private static List<String> ids(List<Item> list) {
        return list.stream().map(i -> i.row().kind() + "/" + i.row().id()).toList();
    }

    private static String total(List<Item> list) {
        double perHour = list.stream().filter(i -> i.row().costPerHour() != null && !"notify".equals(i.row()
                .decision())).mapToDouble(i -> i.row().costPerHour()).sum();
        return perHour == 0 ? null : SpendText.money(perHour * Prices.HOURS_PER_MONTH) + "/month";
    }

    static String cost(Double perHour) {
        if (perHour == null) {
            return null;
        }
        return String.format(Locale.ROOT, "$%.4f/h, about $%,.2f/month", perHour, perHour * Prices.HOURS_PER_MONTH);
    }

    private static String verbs(List<Item> list) {
        return join(list.stream().filter(i -> !"notify".equals(i.row().decision()))
                .map(i -> shortVerb(effective(i))).distinct().toList());
    }

    private static String verbsPast(List<Item> list) {
        return join(list.stream().map(i -> shortVerb(effective(i))).distinct().toList());
    }

    /** A mark's announced action, else the decision's. */
    private static String effective(Item i) {
        if ("mark".equals(i.row().decision())) {
            Mark m = Mark.parse(i.setTags().get(Mark.TAG));
            return m == null ? "marked" : "marked";
        }
        return i.row().decision();
    }

    private static String shortVerb(String action) {
        return switch (action) {
            case "snapshot-then-delete", "delete" -> "deleted";
            case "marked" -> "marked for deletion";
            default -> participle(action);
        };
    }

    private static String join(List<String> parts) {
        if (parts.size() <= 1) {
            return parts.isEmpty() ? "" : parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " or " + parts.get(parts.size() - 1);
    }

    /** "stopped", "terminated", "snapshotted, then deleted": what an action did, in words. */
    public static String participle(String action) {
        return switch (action) {
            case "stop" -> "stopped";
            case "terminate" -> "terminated";
            case "snapshot-then-delete" -> "snapshotted, then deleted";
            case "delete" -> "deleted";
            case "empty" -> "emptied (every object and version deleted)";
            case "release" -> "released";
            case "cancel" -> "cancelled";
            case "narrow" -> "closed to the internet (the open SSH/RDP rule removed)";
            default -> action;
        };
    }

    /** "EC2 instance", "EBS volume": a kind in words. */
    public static String kindLabel(String kind) {
        for (dev.curfew.core.plan.KindRules k : dev.curfew.core.plan.Kinds.ALL) {
            if (k.kind().wireName().equals(kind)) {
                return k.label();
            }
        }
        return switch (kind) {
            case "ec2-instance" -> "EC2 instance";
            case "s3-bucket" -> "S3 bucket";
            case "spot-request" -> "Spot request";
            case "emr-cluster" -> "EMR cluster";
            default -> kind;
        };
    }

    private static String what(SweepReport.Row r) {
        StringBuilder b = new StringBuilder(kindLabel(r.kind())).append(' ').append(r.id());
        List<String> extra = new ArrayList<>();
        if (r.name() != null && !r.name().isBlank()) {
            extra.add("\u201c" + r.name() + "\u201d");
        }
        if (r.type() != null) {
            extra.add(r.type());
        }
        if (!extra.isEmpty()) {
            b.append(" (").append(String.join(", ", extra)).append(')');
        }
        if (r.region() != null && !r.region().isBlank()) {
            b.append(" in ").append(r.region());
        }
        return b.toString();
    }

    private static Digest.Line warningLine(Policy p, Item i, LocalDate day, boolean dryRun) {
        SweepReport.Row r = i.row();
        String will = dryRun ? "would be " : "will be ";
        String verb;
        boolean notice = false;
        if ("mark".equals(r.decision())) {
            Mark m = Mark.parse(i.setTags().get(Mark.TAG));
            verb = m == null ? will + "marked for action" : will + "marked: " + participle(m.action().wireName())
                    + " at " + when(m.due(), p.timeZone()) + " unless kept";
        } else if ("notify".equals(r.decision())) {
            verb = "worth a look (nothing will be done to it)";
            notice = true;
        } else {
            verb = will + participle(r.decision());
        }
        String why = r.findings().isEmpty() ? r.reason() : String.join("; ", r.findings());
        return new Digest.Line(r.kind(), kindLabel(r.kind()), r.id(), r.name(), r.region(), r.owner(), what(r), verb,
                why, cost(r.costPerHour()), notice ? null : keepCommand(p, i, day), restoreOf(i), null, false, notice);
    }

    private static Digest.Line afterLine(Policy p, Item i, Instant now) {
        SweepReport.Row r = i.row();
        String verb;
        String keep = null;
        boolean failed = "failed".equals(r.outcome());
        if ("mark".equals(r.decision())) {
            Mark m = Mark.parse(i.setTags().get(Mark.TAG));
            // the day the mark is due; a mark that cannot be read: the day of this pass
            keep = keepCommand(p, i, (m == null ? now : m.due()).atZone(p.timeZone()).toLocalDate());
            String what = m == null ? "action" : participle(m.action().wireName()) + " at "
                    + when(m.due(), p.timeZone());
            verb = failed ? "could not be marked" : ("would".equals(r.outcome()) ? "would have been marked: "
                    : "marked: will be ") + what + " unless kept";
        } else if (failed) {
            verb = "could not be " + participle(r.decision());
        } else if ("would".equals(r.outcome())) {
            verb = "would have been " + participle(r.decision());
        } else {
            verb = participle(r.decision());
        }
        String why = r.findings().isEmpty() ? r.reason() : String.join("; ", r.findings());
        return new Digest.Line(r.kind(), kindLabel(r.kind()), r.id(), r.name(), r.region(), r.owner(), what(r), verb,
                why, cost(r.costPerHour()), keep, restoreOf(i), r.detail(), failed, false);
    }

    /** The command that brings a deleted volume back: in the action's outcome, or on the snapshot's tag. */
    static String restoreOf(Item i) {
        String detail = i.row().detail();
        if (detail != null && detail.contains("restore with: ")) {
            return detail.substring(detail.indexOf("restore with: ") + "restore with: ".length()).trim();
        }
        return i.tags().get(dev.curfew.core.model.CurfewTags.RESTORE);
    }

    /**
     * The one command that keeps a resource past this curfew: the keep tag with that day's date (in the course's
     * zone).
     */
    public static String keepCommand(Policy p, Item i, LocalDate day) {
        SweepReport.Row r = i.row();
        String key = p.exemptions().keepTag();
        String value = day.toString();
        return switch (r.kind()) {
            case "s3-bucket" -> {
                // put-bucket-tagging replaces every tag: keep the bucket's own (the owner tag above all)
                Map<String, String> tags = new LinkedHashMap<>();
                new TreeMap<>(i.tags()).forEach((k, v) -> {
                    if (!k.startsWith("aws:")) {
                        tags.put(k, v);
                    }
                });
                tags.remove(key);
                tags.put(key, value);
                StringBuilder json = new StringBuilder("{\"TagSet\":[");
                boolean first = true;
                for (var e : tags.entrySet()) {
                    json.append(first ? "" : ",").append("{\"Key\":").append(Json.quote(e.getKey()))
                            .append(",\"Value\":").append(Json.quote(e.getValue())).append('}');
                    first = false;
                }
                json.append("]}");
                yield "aws s3api put-bucket-tagging --bucket " + r.id() + " --tagging " + shellQuote(json.toString());
            }
            case "emr-cluster" -> "aws emr add-tags --region " + r.region() + " --resource-id " + r.id() + " --tags "
                    + shellQuote(key + "=" + value);
            default -> "aws ec2 create-tags --region " + r.region() + " --resources " + r.id() + " --tags "
                    + shellQuote("Key=" + key + ",Value=" + value);
        };
    }

    static String shellQuote(String s) {
        if (s.matches("[\\w@%+=:,./-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The Name-style label of the day a summary is for. */
    public static String day(Instant t, ZoneId zone) {
        return DAY.format(t.atZone(zone));
    }

    static Action action(String wire) {
        return Action.fromWire(wire);
    }
}
