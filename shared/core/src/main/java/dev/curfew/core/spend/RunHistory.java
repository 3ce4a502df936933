package dev.curfew.core.spend;

import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.model.Ec2Instance;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The instances' runs of one course week as the sentinel recorded them from EC2's state-change events, for the spend
 * estimate ({@link SpendEstimator}): EC2 itself keeps only an instance's last start, and forgets a terminated instance
 * within the hour.
 *
 * <p>Each transition is one SSM String parameter, created without overwrite, so a redelivered event writes nothing new
 * and two events at once never lose each other's record:
 * {@code /curfew/<stack>/runs/<week>/<account>/<region>/<instance>/<epoch second>-<start|end>} ({@code <week>} is the
 * week's Monday in the course zone, {@link CourseWeek#key}; {@code <account>} is {@code home} for the class account),
 * holding the instance type and the owner (or the type alone while the owner is not known yet). A run starts at
 * {@code running} and ends at {@code stopping}, {@code stopped}, {@code shutting-down} or {@code terminated},
 * whichever comes first; events that arrive late or out of order do not matter, since the runs are paired by time
 * when read ({@link #runs}).
 *
 * <p>The owner is Curfew's own record of who created the instance ({@link #ownerName}, written by the sentinel from the
 * CloudTrail identity of the RunInstances call, or the roster's student of an enrolled account), never a tag.
 *
 * @param transitions what was read
 * @param failure     why the records could not be read, or null
 */
public record RunHistory(List<Transition> transitions, String failure) {
    /** No records asked for (the estimate counts each instance's current or last run only). */
    public static final RunHistory NONE = new RunHistory(List.of(), null);
    /** The account segment of the class account's own instances. */
    public static final String HOME = "home";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9.-]{1,64}");

    public RunHistory {
        transitions = List.copyOf(transitions);
    }

    /** The records could not be read: the estimate falls back to each instance's current or last run. */
    public static RunHistory failed(String why) {
        return new RunHistory(List.of(), why);
    }

    public enum Kind { START, END }

    /**
     * One state change of one instance.
     *
     * @param account the enrolled account, or {@link #HOME}
     * @param type    the instance type, or null when it was not known
     * @param owner   the owner as Curfew recorded it at creation, or null when not known (yet)
     */
    public record Transition(String account, String region, String instanceId, Instant at, Kind kind, String type,
                             String owner) {
    }

    /** A run of an instance: [{@code from}, {@code to}), its type and its owner (null: not known). */
    public record Run(String account, String region, String instanceId, Instant from, Instant to, String type,
                      String owner) {
    }

    /** What an EC2 state means for a run: running starts one; stopping, stopped, shutting-down, terminated end it. */
    public static Kind kindOf(String state) {
        return switch (state) {
            case "running" -> Kind.START;
            case "stopping", "stopped", "shutting-down", "terminated" -> Kind.END;
            default -> null;
        };
    }

    /** Where a stack's run records live. */
    public static String prefix(String stackName) {
        return stackName == null || stackName.isBlank() ? "/curfew/runs/" : "/curfew/" + stackName + "/runs/";
    }

    /** The path of one week's run records (read with one paginated GetParametersByPath). */
    public static String weekPath(String stackName, String week) {
        return prefix(stackName) + week;
    }

    /** The record of a transition, in the week of its time in {@code zone}. */
    public static String name(String stackName, ZoneId zone, Transition t) {
        return weekPath(stackName, CourseWeek.key(zone, t.at())) + "/" + instancePath(t.account(), t.region(),
                t.instanceId()) + "/" + t.at().getEpochSecond() + "-" + (t.kind() == Kind.START ? "start" : "end");
    }

    /** Curfew's record of who created an instance: the owner, written once at its creation. */
    public static String ownerName(String stackName, String account, String region, String instanceId) {
        return prefix(stackName) + "owners/" + instancePath(account, region, instanceId);
    }

    private static String instancePath(String account, String region, String instanceId) {
        return segment("account", account == null ? HOME : account) + "/" + segment("region", region) + "/"
                + segment("instance id", instanceId);
    }

    private static String segment(String field, String v) {
        if (v == null || !SEGMENT.matcher(v).matches()) {
            throw new IllegalArgumentException("the " + field + " \"" + v + "\" cannot name a run record (letters, "
                    + "digits, . and -, at most 64)");
        }
        return v;
    }

    /** A record's value: the type ({@code ?} when not known), then the owner when known. */
    public static String value(String type, String owner) {
        String t = type == null || type.isBlank() || type.contains(" ") ? "?" : type;
        return owner == null || owner.isBlank() ? t : t + " " + owner.trim();
    }

    /**
     * The transitions among the records read below {@code weekPath} (name to value); a name of another shape is
     * skipped.
     */
    public static RunHistory parse(String weekPath, Map<String, String> records) {
        List<Transition> out = new ArrayList<>();
        String base = weekPath.endsWith("/") ? weekPath : weekPath + "/";
        records.forEach((name, value) -> {
            if (!name.startsWith(base)) {
                return;
            }
            String[] p = name.substring(base.length()).split("/");
            if (p.length != 4) {
                return;
            }
            int dash = p[3].indexOf('-');
            if (dash < 1) {
                return;
            }
            Kind kind = switch (p[3].substring(dash + 1)) {
                case "start" -> Kind.START;
                case "end" -> Kind.END;
                default -> null;
            };
            Instant at;
            try {
                at = Instant.ofEpochSecond(Long.parseLong(p[3].substring(0, dash)));
            } catch (NumberFormatException e) {
                return;
            }
            if (kind == null) {
                return;
            }
            String v = value == null ? "" : value.trim();
            int sp = v.indexOf(' ');
            String type = sp < 0 ? v : v.substring(0, sp);
            String owner = sp < 0 ? null : v.substring(sp + 1).trim();
            out.add(new Transition(p[0], p[1], p[2], at, kind, type.isEmpty() || type.equals("?") ? null : type,
                    owner == null || owner.isEmpty() ? null : owner));
        });
        return new RunHistory(out, null);
    }

    /** The records of one account's instances only ({@code null}: the class account's). */
    public RunHistory of(String account) {
        String a = account == null ? HOME : account;
        return new RunHistory(transitions.stream().filter(t -> t.account().equals(a)).toList(), failure);
    }

    /**
     * The recorded runs, each instance's transitions paired by time: a run starts at the first start and ends at the
     * first end after it (a second start while running, or a second end, adds nothing). An end before any start of
     * the week closes a run that began before the week ({@code weekStart}), or at the instance's launch time when the
     * sweep saw it launched in the week before that end (its start was not recorded). A run with no end yet lasts
     * until the instance's next recorded start or, when the sweep saw the instance ({@code seen}), until its own
     * current run ends or began; else until {@code now} (an upper bound: the end may yet be on its way).
     *
     * <p>Each run is the instance's owner's: the owner any of its records names (the earliest), else null.
     *
     * @param seen the instance the sweep saw, by {@link #key}, if any
     */
    public List<Run> runs(Instant weekStart, Instant now, java.util.function.Function<String, Ec2Instance> seen) {
        Map<String, List<Transition>> byInstance = new LinkedHashMap<>();
        transitions.stream().sorted(Comparator.comparing(Transition::at).thenComparing(Transition::kind))
                .forEach(t -> byInstance.computeIfAbsent(key(t.account(), t.region(), t.instanceId()),
                        k -> new ArrayList<>()).add(t));
        List<Run> out = new ArrayList<>();
        for (var e : byInstance.entrySet()) {
            List<Transition> ts = e.getValue();
            String owner = ts.stream().map(Transition::owner).filter(o -> o != null).findFirst().orElse(null);
            String anyType = ts.stream().map(Transition::type).filter(x -> x != null).findFirst().orElse(null);
            Ec2Instance i = seen.apply(e.getKey());
            Transition open = null;
            boolean any = false;
            for (Transition t : ts) {
                if (t.kind() == Kind.START) {
                    if (open == null) {
                        open = t;
                    }
                } else if (open != null) {
                    out.add(run(open, open.at(), t.at(), anyType, owner));
                    open = null;
                } else if (!any) {
                    // begun before the week, or its start was not recorded: EC2's launch time, when it is this run's
                    Instant from = i != null && i.launchTime() != null && i.launchTime().isAfter(weekStart)
                            && i.launchTime().isBefore(t.at()) ? i.launchTime() : weekStart;
                    out.add(run(t, from, t.at(), anyType, owner));
                }
                any = true;
            }
            if (open != null) {
                Instant end = i == null ? now : openEnd(i, open.at(), now);
                if (end.isAfter(open.at())) {
                    out.add(run(open, open.at(), end, anyType, owner));
                }
            }
        }
        return out;
    }

    /**
     * Where a run still open in the records ends, by the sweep's own view of the instance: where its current run
     * began (the instance was started again since), else at its stop, else now while it runs; a stopped instance with
     * no known stop ends it where it began (its own last run is counted instead).
     */
    private static Instant openEnd(Ec2Instance i, Instant from, Instant now) {
        if (i.launchTime() != null && i.launchTime().isAfter(from)) {
            return i.launchTime();
        }
        if (i.state().isUp()) {
            return now;
        }
        return i.stoppedAt() != null ? i.stoppedAt() : from;
    }

    private static Run run(Transition t, Instant from, Instant to, String anyType, String owner) {
        return new Run(t.account(), t.region(), t.instanceId(), from, to, t.type() != null ? t.type() : anyType,
                owner);
    }

    /** How an instance is matched between the records and the sweep: account, region and id. */
    public static String key(String account, String region, String instanceId) {
        return (account == null ? HOME : account) + "/" + region + "/" + instanceId;
    }
}
