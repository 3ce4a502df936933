package dev.curfew.aws.spend;

import dev.curfew.aws.Errors;
import dev.curfew.core.spend.Billed;
import dev.curfew.core.spend.SpendEstimator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.costexplorer.CostExplorerClient;
import software.amazon.awssdk.services.costexplorer.model.DateInterval;
import software.amazon.awssdk.services.costexplorer.model.GetCostAndUsageRequest;
import software.amazon.awssdk.services.costexplorer.model.GetCostAndUsageResponse;
import software.amazon.awssdk.services.costexplorer.model.Granularity;
import software.amazon.awssdk.services.costexplorer.model.Group;
import software.amazon.awssdk.services.costexplorer.model.GroupDefinition;
import software.amazon.awssdk.services.costexplorer.model.GroupDefinitionType;
import software.amazon.awssdk.services.costexplorer.model.MetricValue;
import software.amazon.awssdk.services.costexplorer.model.ResultByTime;

/**
 * Students' billed cost from Cost Explorer ({@code GetCostAndUsage}, daily, unblended cost): grouped by the owner tag
 * in the class account (the tag must be activated as a cost allocation tag, README "What a student has spent"), or
 * by linked account for students' own accounts in an Organization (asked in its management account). Cost Explorer
 * counts by UTC day, and lags up to a day behind: a student with no figure yet keeps Curfew's estimate. Each request
 * costs $0.01; one is made per pass that sends messages (more only when the answer has pages).
 */
public final class CostExplorerSpend {
    public static final List<String> IAM_ACTIONS = List.of("ce:GetCostAndUsage");
    static final String METRIC = "UnblendedCost";
    /** Without a course start, the total covers this many weeks before the course week. */
    public static final int DEFAULT_WEEKS_BACK = 8;

    private final CostExplorerClient ce;

    public CostExplorerSpend(CostExplorerClient ce) {
        this.ce = ce;
    }

    /**
     * The days asked: {@code since} to {@code until} (exclusive), the week's figure from {@code weekFrom}.
     * All are UTC days as Cost Explorer counts them.
     */
    public record Window(LocalDate since, LocalDate weekFrom, LocalDate until) {
        /**
         * From the course week's first day (in the course's zone) and the course's start (or {@value
         * #DEFAULT_WEEKS_BACK} weeks before the week, when there is none) to today included.
         */
        public static Window of(Instant weekStart, ZoneId zone, Instant now, Instant courseStart) {
            LocalDate week = weekStart.atZone(zone).toLocalDate();
            LocalDate since = courseStart != null ? courseStart.atZone(zone).toLocalDate()
                    : week.minusWeeks(DEFAULT_WEEKS_BACK);
            return new Window(since.isAfter(week) ? week : since, week, now.atZone(ZoneOffset.UTC).toLocalDate()
                    .plusDays(1));
        }
    }

    /** What Cost Explorer said: the billed cost by student, or why it could not be read (then {@code billed} is empty). */
    public record Answer(Map<String, Billed> billed, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    /** By the owner tag: each tag value is a student; cost without the tag is {@link SpendEstimator#NOBODY}'s. */
    public Answer byOwnerTag(String ownerTag, Window w) {
        return byOwnerTag(ownerTag, w, null);
    }

    /**
     * As {@link #byOwnerTag(String, Window)}, the cost of one linked account only ({@code account}; null: every
     * account Cost Explorer sees). Asked in an Organization's management account, cost by tag covers every member
     * account: the class account's students are counted in the class account alone.
     */
    public Answer byOwnerTag(String ownerTag, Window w, String account) {
        return query(GroupDefinition.builder().type(GroupDefinitionType.TAG).key(ownerTag).build(), account, w,
                key -> {
            // Cost Explorer names a tag group "key$value"; "key$" is the cost without the tag
            String v = key.contains("$") ? key.substring(key.indexOf('$') + 1) : key;
            return v.isBlank() ? SpendEstimator.NOBODY : v;
        });
    }

    /** By linked account: {@code students} maps an account id to its student; other accounts are left out. */
    public Answer byAccount(Map<String, String> students, Window w) {
        return query(GroupDefinition.builder().type(GroupDefinitionType.DIMENSION).key("LINKED_ACCOUNT").build(), null,
                w, students::get);
    }

    private Answer query(GroupDefinition group, String account, Window w, Function<String, String> student) {
        software.amazon.awssdk.services.costexplorer.model.Expression only = account == null ? null
                : software.amazon.awssdk.services.costexplorer.model.Expression.builder().dimensions(d -> d
                        .key(software.amazon.awssdk.services.costexplorer.model.Dimension.LINKED_ACCOUNT)
                        .values(account)).build();
        Map<String, double[]> sums = new HashMap<>();
        try {
            String token = null;
            int pages = 0;
            do {
                GetCostAndUsageResponse r = ce.getCostAndUsage(GetCostAndUsageRequest.builder()
                        .timePeriod(DateInterval.builder().start(w.since().toString()).end(w.until().toString())
                                .build())
                        .granularity(Granularity.DAILY).metrics(METRIC).groupBy(group).filter(only).nextPageToken(token)
                        .build());
                for (ResultByTime day : r.resultsByTime()) {
                    LocalDate d = LocalDate.parse(day.timePeriod().start());
                    for (Group g : day.groups()) {
                        String who = g.keys().isEmpty() ? null : student.apply(g.keys().get(0));
                        MetricValue m = g.metrics().get(METRIC);
                        if (who == null || m == null || m.amount() == null) {
                            continue;
                        }
                        double usd = Double.parseDouble(m.amount());
                        double[] s = sums.computeIfAbsent(who, k -> new double[2]);
                        s[1] += usd;
                        if (!d.isBefore(w.weekFrom())) {
                            s[0] += usd;
                        }
                    }
                }
                token = r.nextPageToken();
            } while (token != null && !token.isEmpty() && ++pages < 100);
        } catch (SdkException | java.time.format.DateTimeParseException | NumberFormatException e) {
            return new Answer(Map.of(), "Cost Explorer could not be read (" + Errors.describe(e) + ")");
        }
        Map<String, Billed> out = new HashMap<>();
        // a refund or credit can make a day negative: a student's figure is never below zero
        sums.forEach((k, s) -> out.put(k, new Billed(Math.max(0, s[0]), Math.max(0, s[1]))));
        return new Answer(out, null);
    }
}
