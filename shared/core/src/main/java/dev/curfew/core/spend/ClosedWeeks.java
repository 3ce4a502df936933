package dev.curfew.core.spend;

import dev.curfew.core.budget.CourseWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The course weeks already over, each student's figures kept once when the week closed (README, "What a student has
 * spent"): the week's estimate, dollars and instance hours, with the runs the sentinel recorded that week (its run
 * records expire; these are kept). A course total is the kept weeks since the course began plus this week's figure.
 *
 * @param figures each kept week ({@link CourseWeek#key}: its Monday) by owner (any case)
 * @param closed  the weeks recorded closed (every student's figures written)
 * @param failure why the kept weeks could not be read, or null
 */
public record ClosedWeeks(Map<String, Map<String, Figures>> figures, Set<String> closed, String failure) {
    /**
     * How many weeks back a pass still closes a week nobody closed: run records live 30 days (the default
     * told-retention-days), and a week 3 back began at most 27 days ago, so all its records are still there.
     */
    public static final int WEEKS_BACK = 3;
    private static final Pattern WIRE = Pattern.compile("dollars=(\\d{1,9}(?:\\.\\d{1,6})?) "
            + "hours=(\\d{1,9}(?:\\.\\d{1,6})?)");

    /** One student's figures of one closed week. */
    public record Figures(double dollars, double hours) {
        public Figures {
            if (!(dollars >= 0) || !(hours >= 0) || Double.isInfinite(dollars) || Double.isInfinite(hours)) {
                throw new IllegalArgumentException("a week's figures are 0 or more");
            }
        }

        /** How the record holds them: "dollars=3.100000 hours=12.500000". */
        public String wire() {
            return String.format(Locale.ROOT, "dollars=%.6f hours=%.6f", dollars, hours);
        }

        /** Reads {@link #wire()}; null when the text is not that form. */
        public static Figures parse(String text) {
            Matcher m = text == null ? null : WIRE.matcher(text.trim());
            return m != null && m.matches() ? new Figures(Double.parseDouble(m.group(1)),
                    Double.parseDouble(m.group(2))) : null;
        }

        Figures plus(Figures o) {
            return new Figures(dollars + o.dollars, hours + o.hours);
        }
    }

    public ClosedWeeks {
        Map<String, Map<String, Figures>> m = new TreeMap<>();
        figures.forEach((w, byOwner) -> {
            Map<String, Figures> o = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            o.putAll(byOwner);
            m.put(w, Collections.unmodifiableMap(o));
        });
        figures = Collections.unmodifiableMap(m);
        closed = Collections.unmodifiableSet(new TreeSet<>(closed));
    }

    /** None kept. */
    public static final ClosedWeeks NONE = new ClosedWeeks(Map.of(), Set.of(), null);

    /** The kept weeks could not be read: totals are partial. */
    public static ClosedWeeks failed(String why) {
        return new ClosedWeeks(Map.of(), Set.of(), why);
    }

    /**
     * Throws when the kept weeks could not be read and the rules set a course budget: a course total without them
     * would look under budget and clear whoever is over by them (nobody is weighed this time; the caller says why).
     */
    public void requireCourseTotals(dev.curfew.core.budget.BudgetRules rules) {
        if (failure != null && rules.course() != null) {
            throw new IllegalStateException("the course totals could not be read (" + failure
                    + "): nobody is weighed against their budget this time");
        }
    }

    /** The same with one more week closed and its figures. */
    public ClosedWeeks with(String week, Map<String, Figures> byOwner) {
        Map<String, Map<String, Figures>> m = new TreeMap<>(figures);
        Map<String, Figures> o = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        o.putAll(m.getOrDefault(week, Map.of()));
        byOwner.forEach(o::putIfAbsent); // a figure already kept stands (kept once)
        m.put(week, o);
        Set<String> c = new TreeSet<>(closed);
        c.add(week);
        return new ClosedWeeks(m, c, failure);
    }

    /**
     * The weeks a pass at {@code now} closes: those over (before the week of {@code now}), at most {@link #WEEKS_BACK}
     * back, none before the course's first week, not yet recorded closed; oldest first. None when the kept weeks could
     * not be read.
     *
     * @param courseStart the policy's course start, or null
     */
    public List<LocalDate> toClose(ZoneId zone, Instant now, LocalDate courseStart) {
        List<LocalDate> out = new ArrayList<>();
        if (failure != null) {
            return out;
        }
        LocalDate monday = CourseWeek.monday(zone, now);
        LocalDate first = courseStart == null ? null : CourseWeek.monday(zone, courseStart.atStartOfDay(zone)
                .toInstant());
        for (int back = WEEKS_BACK; back >= 1; back--) {
            LocalDate w = monday.minusWeeks(back);
            if ((first == null || !w.isBefore(first)) && !closed.contains(w.toString())) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * What a closed week keeps of its estimate ({@link SpendEstimator#week}): each student's week dollars and instance
     * hours; nobody's spend and students with nothing spent are left out.
     */
    public static Map<String, Figures> of(ClassSpend week) {
        Map<String, Figures> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        week.byStudent().forEach((who, s) -> {
            if (s.weekDollars() > 0 || s.weekInstanceHours() > 0) {
                out.put(who, new Figures(s.weekDollars(), s.weekInstanceHours()));
            }
        });
        return out;
    }

    /**
     * This week's spend with the course totals: each student's kept weeks since the course began (before this week's:
     * a record of this week or later is not counted) plus this week's figure, never below the total the estimate made
     * of what exists now (weeks before anything was kept). A student who spent only in kept weeks is listed with
     * nothing this week. A billed figure given later ({@link ClassSpend#withBilled}) replaces the dollars. When the
     * kept weeks could not be read, the totals are the estimate's and marked partial, and the note says why.
     *
     * @param courseStart the policy's course start, or null: every kept week counts
     */
    public ClassSpend total(ClassSpend current, ZoneId zone, LocalDate courseStart) {
        if (failure != null) {
            String why = "the course totals are partial: the kept figures of earlier weeks could not be read ("
                    + failure + ")";
            return new ClassSpend(current.weekStart(), current.now(), current.byStudent(), current.unowned(),
                    current.leftOut(), current.note() == null ? why : current.note() + "; " + why, current.budgets(),
                    true);
        }
        String thisWeek = CourseWeek.key(zone, current.now());
        String first = courseStart == null ? null : CourseWeek.key(zone, courseStart.atStartOfDay(zone).toInstant());
        Map<String, Figures> sums = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        figures.forEach((week, byOwner) -> {
            if (week.compareTo(thisWeek) < 0 && (first == null || week.compareTo(first) >= 0)) {
                byOwner.forEach((who, f) -> sums.merge(who.trim(), f, Figures::plus));
            }
        });
        if (sums.isEmpty()) {
            return current;
        }
        Map<String, Spend> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        m.putAll(current.byStudent());
        sums.forEach((who, f) -> {
            Spend s = m.get(who);
            if (s == null) {
                m.put(who, new Spend(who, current.weekStart(), 0, SpendEstimator.round(f.dollars()), 0,
                        SpendEstimator.round(f.hours()), Spend.Source.ESTIMATE));
            } else {
                m.put(who, new Spend(s.student(), s.weekStart(), s.weekDollars(),
                        Math.max(s.totalDollars(), SpendEstimator.round(f.dollars() + s.weekDollars())),
                        s.weekInstanceHours(), Math.max(s.totalInstanceHours(),
                        SpendEstimator.round(f.hours() + s.weekInstanceHours())), s.source()));
            }
        });
        return new ClassSpend(current.weekStart(), current.now(), m, current.unowned(), current.leftOut(),
                current.note(), current.budgets(), current.partialTotal());
    }

    /** A week key as the records name it, or null when {@code s} is not a date YYYY-MM-DD. */
    public static String weekKey(String s) {
        if (s == null || !s.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return null;
        }
        try {
            return LocalDate.parse(s).toString();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
