package dev.curfew.aws.budget;

import dev.curfew.aws.Errors;
import dev.curfew.core.budget.BudgetCheck;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.spend.ClosedWeeks;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The kept figures of closed course weeks ({@link ClosedWeeks}), SSM String parameters in the home region:
 * {@code /curfew/<stack>/budget/spent/<week>/<owner>} (dollars and instance hours of the week, Curfew's estimate)
 * and, once every student's is written, {@code /curfew/<stack>/budget/spent/<week>/_closed}. Each is created without
 * overwrite, so a repeated pass, or two at once, writes nothing twice. They are kept (one per student per week);
 * students may not write them (template.yaml, NeverWriteTheSentinelsRecords: budget/*).
 *
 * <p>One object per pass: the records are listed at most once (one paginated GetParametersByPath, the first time a
 * total is needed), and the weeks to close are closed at most once.
 */
public final class SpentRecords {
    /** What the sweeper calls. */
    public static final List<String> SWEEPER_ACTIONS = List.of("ssm:GetParametersByPath", "ssm:GetParameters",
            "ssm:PutParameter");
    /** The record that says a week is closed (no owner's name segment starts with "_c": SsmLease.segment). */
    static final String CLOSED = "_closed";

    private final SsmClient ssm;
    private final String prefix;
    private ClosedWeeks read;
    private boolean closing;
    private final List<String> problems = new ArrayList<>();

    /** @param ssm the home region's client of the home account */
    public SpentRecords(SsmClient ssm, String stackName) {
        this.ssm = ssm;
        this.prefix = prefix(stackName);
    }

    /**
     * Where a stack's kept weeks live: among the budget records, so that the sweeper's grant and the students' denial
     * of those cover them ({@link BudgetRecords#prune} deletes only told, over and top-up records).
     */
    public static String prefix(String stackName) {
        return BudgetRecords.prefix(stackName) + "spent/";
    }

    /** One owner's record of one week. */
    public String name(String week, String owner) {
        return prefix + week + "/" + BudgetRecords.owner(owner);
    }

    /**
     * The weeks a pass at {@code now} closes ({@link ClosedWeeks#toClose}) found without listing the kept weeks: one
     * GetParameters call asks for the closed records of the (at most {@link ClosedWeeks#WEEKS_BACK}) weeks that may be
     * due. When that call fails, every week that may be due is named (working out a week's figures twice is harmless;
     * closing one is done against the listing, {@link #close}).
     */
    public List<LocalDate> due(ZoneId zone, Instant now, LocalDate courseStart) {
        List<LocalDate> maybe = ClosedWeeks.NONE.toClose(zone, now, courseStart);
        if (maybe.isEmpty()) {
            return maybe;
        }
        Set<String> closed = new HashSet<>();
        try {
            ssm.getParameters(b -> b.names(maybe.stream().map(m -> prefix + m + "/" + CLOSED).toList()))
                    .parameters().forEach(p -> closed.add(p.name().substring(prefix.length(), prefix.length() + 10)));
        } catch (RuntimeException e) {
            return maybe;
        }
        return maybe.stream().filter(m -> !closed.contains(m.toString())).toList();
    }

    /** The kept weeks, listed once by this object; a failure is remembered ({@link ClosedWeeks#failure()}). */
    public synchronized ClosedWeeks read() {
        if (read == null) {
            read = list();
        }
        return read;
    }

    /**
     * Leaves the weeks over open this time, once per object, and says why in {@link #problems()}: the pass did not
     * see everything (a region could not be listed), and a kept week is never written again.
     */
    public synchronized void postpone(ZoneId zone, Instant now, LocalDate courseStart, String why) {
        if (closing) {
            return;
        }
        closing = true;
        if (read().failure() == null && !read().toClose(zone, now, courseStart).isEmpty()) {
            problems.add("the weeks over are not closed this time: " + why);
        }
    }

    /** What went wrong closing weeks (named in the pass's problems), empty when nothing did. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Closes, once per object, every week over that is not closed yet ({@link ClosedWeeks#toClose}): each student's
     * figures of the week ({@code week}, given the week's Monday), then the closed record. A week whose figures
     * carry a note (its run records could not be read) is left for a later pass; a record that fails to be written
     * leaves the week open. What was written counts in {@link #read()} at once.
     */
    public synchronized void close(ZoneId zone, Instant now, LocalDate courseStart,
                                   Function<LocalDate, ClassSpend> week) {
        if (closing) {
            return;
        }
        closing = true;
        ClosedWeeks kept = read();
        for (LocalDate monday : kept.toClose(zone, now, courseStart)) {
            String w = monday.toString();
            ClassSpend figures;
            try {
                figures = week.apply(monday);
            } catch (RuntimeException e) {
                problems.add("the week of " + w + " is not closed: " + Errors.describe(e));
                continue;
            }
            if (figures.note() != null) {
                problems.add("the week of " + w + " is not closed: " + figures.note());
                continue;
            }
            Map<String, ClosedWeeks.Figures> byOwner = ClosedWeeks.of(figures);
            boolean all = true;
            for (var e : byOwner.entrySet()) {
                all &= create(name(w, e.getKey()), e.getValue().wire() + BudgetRecords.ownerSuffix(e.getKey()),
                        "Curfew: what " + e.getKey()
                        + " spent in the course week of " + w + " (estimate)", w);
            }
            if (all && create(prefix + w + "/" + CLOSED, "students=" + byOwner.size(), "Curfew: the course week of "
                    + w + " is closed", w)) {
                kept = kept.with(w, byOwner);
            }
        }
        read = kept;
    }

    /** Creates a record without overwrite: true when it is there now (made, or made before). */
    private boolean create(String name, String value, String description, String week) {
        try {
            ssm.putParameter(b -> b.name(name).value(value).type(ParameterType.STRING).overwrite(false)
                    .description(description));
            return true;
        } catch (ParameterAlreadyExistsException e) {
            return true;
        } catch (RuntimeException e) {
            problems.add("the week of " + week + " is not closed: " + name + ": " + Errors.describe(e));
            return false;
        }
    }

    private ClosedWeeks list() {
        Map<String, Map<String, ClosedWeeks.Figures>> figures = new TreeMap<>();
        Set<String> closed = new HashSet<>();
        String base = prefix.substring(0, prefix.length() - 1);
        try {
            for (Parameter p : dev.curfew.aws.SsmPaths.below(ssm, base)) {
                String[] parts = p.name().substring(prefix.length()).split("/");
                String week = parts.length == 2 ? ClosedWeeks.weekKey(parts[0]) : null;
                if (week == null) {
                    continue;
                }
                if (parts[1].equals(CLOSED)) {
                    closed.add(week);
                    continue;
                }
                // a name too long for its record's name is in the value (BudgetRecords.owner)
                ClosedWeeks.Figures f = ClosedWeeks.Figures.parse(BudgetRecords.unsuffixed(p.value()));
                if (f == null) {
                    // never counted as $0: a kept week is never written again, so a total without it stays short
                    String v = p.value() == null ? "" : p.value();
                    return ClosedWeeks.failed(p.name() + " holds \"" + (v.length() > 80 ? v.substring(0, 80) + "…" : v)
                            + "\", not a week's figures (dollars=… hours=…): write it again in that form or delete it");
                }
                figures.computeIfAbsent(week, k -> new TreeMap<>()).put(BudgetCheck.key(
                        BudgetRecords.listedOwner(p, parts[1])), f);
            }
        } catch (RuntimeException e) {
            return ClosedWeeks.failed(base + ": " + Errors.describe(e));
        }
        return new ClosedWeeks(figures, closed, null);
    }
}
