package dev.curfew.core.spend;

import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.model.EbsSnapshot;
import dev.curfew.core.model.EbsVolume;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.ElasticIp;
import dev.curfew.core.model.EmrCluster;
import dev.curfew.core.model.NatGateway;
import dev.curfew.core.model.Resource;
import dev.curfew.core.plan.Prices;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What each student's resources have cost, estimated from what a sweep saw (README, "What a student has spent"). Pure:
 * the same resources, owners and {@code now} always give the same figures.
 *
 * <p>The course week starts on Monday at 00:00 in the course's time zone (the first moment of that day when a DST
 * change skips midnight), so a week across a DST change is 167 or 169 hours long. The total runs from the course's
 * start when one is given, else from when each resource came to be.
 *
 * <p>What is counted, each at its hourly price ({@link SpendPrices}: the bundled tables with a region factor):
 * <ul>
 *   <li>an instance's current run (from its launch time to now) or, stopped, its last run (launch to stop), and the
 *   runs of the week the sentinel recorded ({@link RunHistory}: EC2 keeps only the last start), a terminated
 *   instance's too; a span counted both ways is counted once; spot at the on-demand price (an upper bound); these are
 *   the instance hours. An instance the records name an owner for is that owner's, whatever its tags say;</li>
 *   <li>a volume from its creation to now, attached or not;</li>
 *   <li>an Elastic IP from {@code curfew:created-at} (the sentinel's record of its allocation); AWS does not date an
 *   allocation, so an address without that record is left out (and named in {@link ClassSpend#leftOut()});</li>
 *   <li>a NAT gateway from its creation while it is up; EMR's own charge from the cluster's normalized instance hours
 *   (its EC2 instances are counted as instances), spread evenly over its life;</li>
 *   <li>a snapshot at its volume's full size from its start (an upper bound: later snapshots store only changes).</li>
 * </ul>
 * Left out: S3 storage and requests, data transfer, public addresses AWS assigns to instances, AMIs (their snapshots
 * are counted), taxes, credits and the free tier; an instance type in no table (its hours are counted, not its
 * dollars).
 */
public final class SpendEstimator {
    /** The name the spend of resources nobody owns is kept under. */
    public static final String NOBODY = "(no owner tag)";

    private SpendEstimator() {
    }

    /**
     * @param owner       a resource's owner, null or blank for nobody
     * @param courseStart when the course began, or null: then the total counts each resource since it came to be
     */
    public static ClassSpend estimate(Collection<? extends Resource> resources, Function<Resource, String> owner,
                                      ZoneId zone, Instant now, Instant courseStart) {
        return estimate(resources, owner, zone, now, courseStart, RunHistory.NONE);
    }

    /**
     * As {@link #estimate(Collection, Function, ZoneId, Instant, Instant)}, adding the runs the sentinel recorded this
     * week ({@code history}, of the same account as the resources; {@link RunHistory#NONE}: none asked for). Records
     * that could not be read leave the estimate of today's instances alone, and the result's note says so.
     */
    public static ClassSpend estimate(Collection<? extends Resource> resources, Function<Resource, String> owner,
                                      ZoneId zone, Instant now, Instant courseStart, RunHistory history) {
        return estimate(resources, owner, CourseWeek.start(zone, now), now, courseStart, history);
    }

    /**
     * The figures of the whole course week that began on {@code monday} (a closed week, kept once per student:
     * {@link ClosedWeeks}), as {@link #estimate(Collection, Function, ZoneId, Instant, Instant, RunHistory)} at its
     * end, with that week's recorded runs ({@code history}).
     */
    public static ClassSpend week(Collection<? extends Resource> resources, Function<Resource, String> owner,
                                  ZoneId zone, java.time.LocalDate monday, Instant courseStart, RunHistory history) {
        return estimate(resources, owner, monday.atStartOfDay(zone).toInstant(),
                monday.plusWeeks(1).atStartOfDay(zone).toInstant(), courseStart, history);
    }

    private static ClassSpend estimate(Collection<? extends Resource> resources, Function<Resource, String> owner,
                                       Instant weekStart, Instant now, Instant courseStart, RunHistory history) {
        Instant week = weekStart;
        Instant from = courseStart == null ? Instant.MIN : courseStart;
        if (from.isAfter(week)) {
            week = from;
        }
        Map<String, double[]> sums = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        List<String> leftOut = new ArrayList<>();
        Map<String, Ec2Instance> seen = new java.util.HashMap<>();
        resources.forEach(r -> {
            if (r instanceof Ec2Instance i) {
                seen.put(RunHistory.key(null, i.region(), i.id()), i);
            }
        });
        List<RunHistory.Run> runs = history.runs(weekStart, now, seen::get);
        Map<String, String> recordedOwner = new java.util.HashMap<>();
        runs.stream().filter(x -> x.owner() != null).forEach(x -> recordedOwner.putIfAbsent(RunHistory.key(null,
                x.region(), x.instanceId()), x.owner()));
        List<Map.Entry<String, Charge>> all = new ArrayList<>();
        for (Resource r : resources) {
            String o = r instanceof Ec2Instance i ? recordedOwner.getOrDefault(RunHistory.key(null, i.region(), i.id()),
                    owner.apply(r)) : owner.apply(r);
            sums.computeIfAbsent(ownerKey(o), k -> new double[4]); // an owner of what costs nothing is listed too
            charges(r, now, leftOut).forEach(c -> all.add(Map.entry(ownerKey(o), c)));
        }
        for (RunHistory.Run x : runs) {
            Ec2Instance i = seen.get(RunHistory.key(null, x.region(), x.instanceId()));
            Double price = x.type() == null ? null : SpendPrices.instanceHourly(x.region(), x.type());
            if (price == null && leftOut.stream().noneMatch(l -> l.startsWith(x.instanceId() + ":"))) {
                leftOut.add(x.instanceId() + ": instance type " + (x.type() == null ? "not recorded" : x.type()
                        + " is in no price table") + " (hours counted)");
            }
            for (Instant[] span : outside(x.from(), x.to(), i == null ? null : ownRun(i, now))) {
                all.add(Map.entry(ownerKey(x.owner()), new Charge(span[0], span[1], price, null, true)));
            }
        }
        for (Map.Entry<String, Charge> e : all) {
            double[] s = sums.computeIfAbsent(e.getKey(), k -> new double[4]);
            Charge c = e.getValue();
            double weekHours = hours(c.from, c.to, week, now);
            double totalHours = hours(c.from, c.to, from, now);
            double share = c.fixedTotal == null ? 1 : 1 / Math.max(hours(c.from, c.to, Instant.MIN, now), 1e-9);
            double perHour = c.fixedTotal == null ? (c.perHour == null ? 0 : c.perHour) : c.fixedTotal * share;
            s[0] += weekHours * perHour;
            s[1] += totalHours * perHour;
            if (c.instance) {
                s[2] += weekHours;
                s[3] += totalHours;
            }
        }
        Map<String, Spend> students = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Spend nobody = null;
        for (var e : sums.entrySet()) {
            double[] s = e.getValue();
            Spend sp = new Spend(e.getKey(), week, round(s[0]), round(Math.max(s[1], s[0])), round(s[2]),
                    round(Math.max(s[3], s[2])), Spend.Source.ESTIMATE);
            if (e.getKey().equals(NOBODY)) {
                nobody = sp;
            } else {
                students.put(e.getKey(), sp);
            }
        }
        return new ClassSpend(week, now, students, nobody, leftOut, history.failure() == null ? null
                : "the sentinel's records of earlier runs could not be read (" + history.failure() + "): only each "
                + "instance's current or last run is counted", Map.of());
    }

    private static String ownerKey(String o) {
        return o == null || o.isBlank() ? NOBODY : o.trim();
    }

    /** The span an instance's own times cover (its current or last run), or null when they say none. */
    private static Instant[] ownRun(Ec2Instance i, Instant now) {
        List<Charge> own = charges(i, now, new ArrayList<>());
        return own.isEmpty() ? null : new Instant[]{own.get(0).from, own.get(0).to};
    }

    /** The parts of [from, to) outside {@code own} (so no span is counted twice). */
    private static List<Instant[]> outside(Instant from, Instant to, Instant[] own) {
        if (own == null || !own[0].isBefore(to) || !own[1].isAfter(from)) {
            return List.<Instant[]>of(new Instant[]{from, to});
        }
        List<Instant[]> out = new ArrayList<>();
        if (from.isBefore(own[0])) {
            out.add(new Instant[]{from, own[0]});
        }
        if (own[1].isBefore(to)) {
            out.add(new Instant[]{own[1], to});
        }
        return out;
    }

    /** A span of a resource's life billed at a price an hour, or a fixed amount spread evenly over the span. */
    private record Charge(Instant from, Instant to, Double perHour, Double fixedTotal, boolean instance) {
    }

    private static List<Charge> charges(Resource r, Instant now, List<String> leftOut) {
        double f = SpendPrices.regionFactor(r.region());
        if (r instanceof Ec2Instance i) {
            Instant end = switch (i.state()) {
                case PENDING, RUNNING -> now;
                case STOPPING, STOPPED, SHUTTING_DOWN, TERMINATED -> i.stoppedAt();
                default -> null;
            };
            if (i.launchTime() == null || end == null) {
                leftOut.add(i.id() + ": when it last ran is not known");
                return List.of();
            }
            Double price = SpendPrices.instanceHourly(i.region(), i.type());
            if (price == null) {
                leftOut.add(i.id() + ": instance type " + i.type() + " is in no price table (hours counted)");
            }
            return List.of(new Charge(i.launchTime(), end, price, null, true));
        } else if (r instanceof EbsVolume v) {
            Double h = Prices.volumeHourly(v.volumeType(), v.sizeGiB());
            if (v.createTime() == null || h == null) {
                leftOut.add(v.id() + ": " + (h == null ? "volume type " + v.volumeType() + " is in no price table"
                        : "its creation time is not known"));
                return List.of();
            }
            return "deleted".equals(v.state()) ? List.of() : List.of(new Charge(v.createTime(), now, h * f, null, false));
        } else if (r instanceof ElasticIp a) {
            Instant born = a.created();
            if (born == null) {
                leftOut.add(a.id() + ": when it was allocated is not known (no curfew:created-at)");
                return List.of();
            }
            return List.of(new Charge(born, now, Prices.PUBLIC_IPV4_HOURLY * f, null, false));
        } else if (r instanceof NatGateway g) {
            if (!g.live() || g.created() == null) {
                return List.of();
            }
            return List.of(new Charge(g.created(), now, Prices.NAT_GATEWAY_HOURLY * f, null, false));
        } else if (r instanceof EmrCluster c) {
            if (c.created() == null || c.normalizedHours() == null) {
                leftOut.add(c.id() + ": its normalized instance hours are not known");
                return List.of();
            }
            return List.of(new Charge(c.created(), now, null, c.normalizedHours() * SpendPrices.EMR_NORMALIZED_HOURLY
                    * f, false));
        } else if (r instanceof EbsSnapshot s) {
            if (s.startTime() == null) {
                return List.of();
            }
            return List.of(new Charge(s.startTime(), now, Prices.SNAPSHOT_GB_MONTH * s.volumeSizeGiB()
                    / Prices.HOURS_PER_MONTH * f, null, false));
        }
        return List.of();
    }

    /** Hours of [from, to) inside [windowStart, windowEnd). */
    static double hours(Instant from, Instant to, Instant windowStart, Instant windowEnd) {
        Instant a = from.isAfter(windowStart) ? from : windowStart;
        Instant b = to.isBefore(windowEnd) ? to : windowEnd;
        return b.isAfter(a) ? Duration.between(a, b).toMillis() / 3_600_000.0 : 0;
    }

    static double round(double v) {
        return Math.round(v * 1_000_000) / 1_000_000.0;
    }
}
