package dev.curfew.aws.notify;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.Errors;
import dev.curfew.core.notify.Digest;
import dev.curfew.core.notify.Digests;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.page.ClassPage;
import dev.curfew.core.page.ClassPageHtml;
import dev.curfew.core.page.SavedWeeks;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.RunMetrics;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.spend.ClassSpend;
import dev.curfew.core.sweep.SweepEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Writes the class page of a curfew sweep (README, "The class page") to the stack's private bucket and returns a
 * presigned link to it that expires, for the instructor's summary. The page is Curfew's own object: it is written in
 * dry-run too (nothing of the students' changes). What it saved comes from what the runs recorded: the
 * {@link RunMetrics#SAVED_PER_MONTH_USD} metric each run publishes (its EMF line), read back by day, plus this run's
 * own figure (its line is published after the run). Nothing here stops a sweep: a page that cannot be written comes
 * back as a {@link Digest.Page} with the reason, for the summary.
 */
public final class ClassPages {
    public static final List<String> IAM_ACTIONS = List.of("cloudwatch:GetMetricData", "s3:GetObject",
            "s3:PutObject");
    /** How many weeks of savings the page's chart shows. */
    public static final int WEEKS = 8;
    /** The longest a presigned link can work (SigV4's limit). */
    public static final Duration LONGEST_LINK = Duration.ofDays(7);

    private final AwsClients clients;
    private final String bucket;
    private final String stackName;
    private final Duration linkLifetime;

    /**
     * @param bucket       the stack's page bucket (template.yaml ClassPageBucket)
     * @param stackName    the stack whose metrics hold the savings ({@code Curfew/<stack>})
     * @param linkLifetime how long the summary's link works: more than zero, at most {@link #LONGEST_LINK}
     */
    public ClassPages(AwsClients clients, String bucket, String stackName, Duration linkLifetime) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("the class page's bucket is not set");
        }
        if (linkLifetime.isZero() || linkLifetime.isNegative() || linkLifetime.compareTo(LONGEST_LINK) > 0) {
            throw new IllegalArgumentException("the class page's link lifetime " + linkLifetime + " is not between "
                    + "1 second and 7 days");
        }
        this.clients = clients;
        this.bucket = bucket.trim();
        this.stackName = stackName;
        this.linkLifetime = linkLifetime;
    }

    /** The page's key: one per curfew day, in the course's zone ({@code class-page/2026-11-25.html}). */
    public static String key(Instant now, ZoneId zone) {
        return "class-page/" + now.atZone(zone).toLocalDate() + ".html";
    }

    /**
     * Makes, writes and links the page of one sweep, with each student's spend and limits from {@code spend}
     * ({@link ClassSpend#budgets()}, top-ups included; null: no spend column).
     *
     * @return the link and until when it works, or why there is none
     */
    public Digest.Page publish(Policy p, SweepEngine.Result r, Roster roster, ClassSpend spend) {
        String html;
        try {
            html = html(clients, stackName, p, r, roster, spend);
        } catch (RuntimeException e) {
            return new Digest.Page(null, null, "the page could not be made: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
        return write(key(r.report().now(), p.timeZone()), html, r.report().now(), p.timeZone());
    }

    /**
     * The page of one sweep as HTML (what {@link #publish} writes, what {@code ./curfew report --html} saves), with
     * the savings of the last {@link #WEEKS} weeks: what the stack's runs recorded, and this sweep's.
     *
     * Each student's spend and limits come from {@code spend} (null: no spend column).
     *
     * @param stackName the deployed stack whose runs' record to read, or null: this sweep's figure only
     */
    public static String html(AwsClients clients, String stackName, Policy p, SweepEngine.Result r, Roster roster,
                              ClassSpend spend) {
        Saved s = saved(clients, stackName, p, r.report());
        return ClassPageHtml.render(ClassPage.of(p.course(), p.timeZone(), r.report().now(), r.report(), r.plan(),
                roster, spend, s.weeks(), s.note(), List.of()));
    }

    /** The page's chart of savings, and where its figures come from. */
    public record Saved(List<SavedWeeks.Week> weeks, String note) {
    }

    /** The savings of the last {@link #WEEKS} weeks and where they come from. */
    private static Saved saved(AwsClients clients, String stackName, Policy p, SweepReport report) {
        return saved(clients, stackName, p.timeZone(), report.now(), report.now(), doneSavings(report),
                "this sweep's");
    }

    /**
     * The savings of the last {@link #WEEKS} weeks: what the runs recorded before {@code recordedUntil} (CloudWatch),
     * and {@code thisRun}, what this run's actions carried out save, at {@code now}; the note says where they come
     * from ({@code whose}: "this sweep's", "this pass's in every account"). Without a stack name, or when the record
     * cannot be read, this run's figure alone, and the note says why.
     */
    public static Saved saved(AwsClients clients, String stackName, ZoneId zone, Instant recordedUntil, Instant now,
                              double thisRun, String whose) {
        List<SavedWeeks.Point> points = new ArrayList<>();
        String note;
        if (stackName == null || stackName.isBlank()) {
            note = "This sweep's figure only: no deployed stack was named to read the earlier runs' record.";
        } else {
            try {
                points.addAll(recordedSavings(clients, stackName, recordedUntil));
                note = "From the savings each run recorded (CloudWatch " + RunMetrics.namespace(stackName) + " "
                        + RunMetrics.SAVED_PER_MONTH_USD + ") and " + whose + ".";
            } catch (RuntimeException e) {
                note = "The earlier runs' record could not be read (" + Errors.describe(e) + "): " + whose
                        + " only.";
            }
        }
        points.add(new SavedWeeks.Point(now, thisRun));
        return new Saved(SavedWeeks.of(points, now, zone, WEEKS), note);
    }

    /** Writes a page and presigns a link to it; a failure comes back as the reason. */
    public Digest.Page write(String key, String html, Instant now, ZoneId zone) {
        try {
            clients.s3().putObject(b -> b.bucket(bucket).key(key).contentType("text/html; charset=utf-8")
                            .cacheControl("no-store").serverSideEncryption(ServerSideEncryption.AES256),
                    RequestBody.fromBytes(html.getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            return new Digest.Page(null, null, "cannot write s3://" + bucket + "/" + key + ": "
                    + Errors.describe(e));
        }
        try (S3Presigner presigner = presigner()) {
            String url = presigner.presignGetObject(b -> b.signatureDuration(linkLifetime)
                    .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toString();
            return new Digest.Page(url, Digests.when(now.plus(linkLifetime), zone), null);
        } catch (RuntimeException e) {
            return new Digest.Page(null, null, "s3://" + bucket + "/" + key + " was written, but no link could be "
                    + "made: " + Errors.describe(e));
        }
    }

    private S3Presigner presigner() {
        var s = clients.settings();
        S3Presigner.Builder b = S3Presigner.builder().region(s.homeRegion()).credentialsProvider(s.credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s.endpoint() != null)
                        .build());
        if (s.endpoint() != null) {
            b.endpointOverride(s.endpoint());
        }
        return b.build();
    }

    /** What this run's actions that were carried out save a month (the figure its EMF line records). */
    public static double doneSavings(SweepReport report) {
        return SweepReport.savedPerMonth(report.rows().stream().filter(x -> "done".equals(x.outcome())).toList());
    }

    /**
     * The page of a sweep of many accounts as HTML (README, "The curfew sweep of every account"): one row per student
     * with their resources and spend from every account ({@link dev.curfew.core.page.AccountsPage}), each account not
     * swept among the failures, and the savings of the last {@link #WEEKS} weeks: what the stack's runs recorded before
     * the sweep began, and what it did in every account.
     *
     * @param unlisted  what kept accounts out of the sweep (an Organization unit that could not be listed)
     * @param spend     each student's spend across the accounts, against their limits (null: no spend column)
     * @param stackName the deployed stack whose runs' record to read, or null: this sweep's figure only
     */
    public static String accountsHtml(AwsClients clients, String stackName, Policy p, Instant now,
                                      List<dev.curfew.core.accounts.AccountRun> runs, List<String> unlisted,
                                      Roster roster, ClassSpend spend) {
        List<SweepReport> reports = runs.stream().map(dev.curfew.core.accounts.AccountRun::report)
                .filter(java.util.Objects::nonNull).toList();
        // the runs' savings recorded before this sweep began (its own are added from the accounts' reports)
        Instant began = reports.stream().map(SweepReport::now).min(Instant::compareTo).orElse(now);
        Saved saved = saved(clients, stackName, p.timeZone(), began.truncatedTo(java.time.temporal.ChronoUnit.HOURS),
                now, reports.stream().mapToDouble(ClassPages::doneSavings).sum(), "this pass's in every account");
        return ClassPageHtml.render(dev.curfew.core.page.AccountsPage.of(p, now, runs, unlisted, roster, spend,
                saved.weeks(), saved.note()));
    }

    /**
     * The savings every run recorded in the last {@link #WEEKS} weeks, by hour (so that each lands in its week in
     * any time zone): the sum of {@code SavedPerMonthUsd}
     * (published without dimensions by every pass) in the stack's namespace, in the home region.
     */
    public static List<SavedWeeks.Point> recordedSavings(AwsClients clients, String stackName, Instant now) {
        Instant start = now.minus(Duration.ofDays(7L * WEEKS + 7)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        List<SavedWeeks.Point> out = new ArrayList<>();
        MetricDataQuery saved = MetricDataQuery.builder().id("saved").metricStat(m -> m.stat("Sum").period(3_600)
                .metric(x -> x.namespace(RunMetrics.namespace(stackName)).metricName(RunMetrics.SAVED_PER_MONTH_USD)))
                .build();
        dev.curfew.aws.InstanceMetricsReader.getMetricData(clients.cloudWatch(clients.settings().homeRegion().id()),
                List.of(saved), start, now, res -> {
                    for (int i = 0; i < res.timestamps().size() && i < res.values().size(); i++) {
                        double v = res.values().get(i);
                        if (v > 0) {
                            out.add(new SavedWeeks.Point(res.timestamps().get(i), v));
                        }
                    }
                });
        return out;
    }
}
