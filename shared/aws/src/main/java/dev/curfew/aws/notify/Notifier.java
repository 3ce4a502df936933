package dev.curfew.aws.notify;

import dev.curfew.aws.AwsClients;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.notify.AccountDigests;
import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Delivery;
import dev.curfew.core.notify.Digest;
import dev.curfew.core.notify.Digests;
import dev.curfew.core.notify.Item;
import dev.curfew.core.notify.Message;
import dev.curfew.core.notify.NotificationReport;
import dev.curfew.core.notify.Renderer;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Notifications;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.sweep.CloudPort;
import dev.curfew.core.sweep.SweepEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Tells people about a pass: builds the digests (one per person), renders them, delivers them on every channel
 * the person has, and reports each delivery. Nothing here stops a sweep: a secret that cannot be read, a roster
 * that cannot be parsed or a refused message is recorded in the report and the rest goes on.
 */
public final class Notifier {
    /** Every IAM action sending messages may call. */
    public static final List<String> IAM_ACTIONS = Stream.of(Secrets.IAM_ACTIONS, RosterSource.IAM_ACTIONS,
            SesMailer.IAM_ACTIONS, WarnedTags.IAM_ACTIONS, SummaryLedger.IAM_ACTIONS).flatMap(List::stream).distinct().sorted().toList();

    private final AwsClients clients;
    private final CloudPort cloud;
    private final String slackApiBase;
    private final Consumer<String> log;
    private final SummaryLedger ledger;
    private final dev.curfew.aws.spend.Spending spending;

    public Notifier(AwsClients clients, CloudPort cloud, String slackApiBase, Consumer<String> log) {
        this(clients, cloud, slackApiBase, log, null);
    }

    /** @param summaryParameter the SSM parameter recording the last summary's curfew; null for none */
    public Notifier(AwsClients clients, CloudPort cloud, String slackApiBase, Consumer<String> log,
                    String summaryParameter) {
        this.clients = clients;
        this.cloud = cloud;
        this.slackApiBase = slackApiBase;
        this.log = log == null ? s -> { } : log;
        this.ledger = summaryParameter == null || summaryParameter.isBlank() ? null
                : new SummaryLedger(clients, summaryParameter.trim());
        this.spending = null;
    }

    private Notifier(Notifier n, dev.curfew.aws.spend.Spending spending) {
        this.clients = n.clients;
        this.cloud = n.cloud;
        this.slackApiBase = n.slackApiBase;
        this.log = n.log;
        this.ledger = n.ledger;
        this.spending = spending;
    }

    /** The same notifier, its students' messages and the summary saying what each student has spent. */
    public Notifier withSpending(dev.curfew.aws.spend.Spending s) {
        return new Notifier(this, s);
    }

    /** What each student has spent, or null without spending or when it cannot be worked out (then a problem). */
    private dev.curfew.core.spend.ClassSpend spend(Policy p, SweepEngine.Result r, List<String> problems) {
        if (spending == null) {
            return null;
        }
        try {
            dev.curfew.core.spend.ClassSpend c = spending.of(p, r.plan().decisions(),
                    r.report().regionErrors().isEmpty());
            if (c.note() != null) {
                problems.add("spend: " + c.note());
            }
            return c;
        } catch (RuntimeException e) {
            problems.add("spend: not worked out: " + unexpected(e));
            return null;
        }
    }

    /**
     * The warning pass: the plan as of the curfew (made in dry-run) becomes one warning per owner. In enforce mode
     * each warned resource is tagged so that a second run for the same curfew does not warn again.
     */
    public NotificationReport warn(Policy p, Instant curfew, SweepEngine.Result r) {
        boolean dryRun = p.mode() != Mode.ENFORCE;
        Roster roster = RosterSource.load(p.notifications().roster(), clients);
        List<Item> items = Item.of(r.report(), r.plan());
        List<String> already = items.stream().filter(Digests::warnable)
                .filter(i -> Digests.alreadyWarned(i, curfew)).map(i -> i.row().kind() + "/" + i.row().id())
                .toList();
        Session s = new Session(p, dryRun);
        // spend (and Cost Explorer's request) only when someone is told
        boolean telling = items.stream().anyMatch(i -> Digests.warnable(i) && !Digests.alreadyWarned(i, curfew));
        List<Digest> digests = Digests.warnings(p, curfew, items, roster, dryRun,
                telling ? spend(p, r, s.problems) : null);
        List<Delivery> deliveries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Decision> toTag = new ArrayList<>();
        Map<String, Decision> byId = byId(r);
        for (Digest d : digests) {
            List<Delivery> sent = s.deliver(d);
            deliveries.addAll(sent);
            if (sent.stream().anyMatch(x -> x.status() == Delivery.Status.SENT)) {
                d.ids().stream().map(byId::get).filter(java.util.Objects::nonNull).forEach(toTag::add);
            }
        }
        if (!dryRun && !toTag.isEmpty()) {
            problems.addAll(WarnedTags.write(
                cloud instanceof dev.curfew.aws.AwsCloud a ? a.clients() : clients, cloud, curfew, toTag));
        }
        problems.addAll(s.problems);
        return new NotificationReport("warning", roster.source(), roster.size(), roster.problems(), deliveries,
                already, problems);
    }

    /**
     * After a pass that acted (curfew, idle-check): one digest per owner of what was done; after the curfew pass,
     * the instructor's summary too, listing every delivery that failed before it.
     */
    public NotificationReport afterAction(Policy p, String pass, SweepEngine.Result r, boolean summary) {
        return afterAction(p, pass, r, summary, null);
    }

    /**
     * As above; {@code page}, when given, writes the class page (with the roster read for the messages) before the
     * summary is made, and the summary links to it or says why it could not be written (also one of the report's
     * problems). A page that fails never stops the messages.
     */
    public NotificationReport afterAction(Policy p, String pass, SweepEngine.Result r, boolean summary,
                                          java.util.function.Function<Roster, Digest.Page> page) {
        boolean dryRun = p.mode() != Mode.ENFORCE;
        Roster roster = RosterSource.load(p.notifications().roster(), clients);
        Digest.Page written = page(page, roster);
        List<Item> items = Item.of(r.report(), r.plan());
        Session s = new Session(p, dryRun);
        List<Delivery> deliveries = new ArrayList<>();
        boolean telling = summary || items.stream().anyMatch(i -> Digests.reportable(i, dryRun));
        dev.curfew.core.spend.ClassSpend spend = telling ? spend(p, r, s.problems) : null;
        for (Digest d : Digests.afterAction(p, r.report().now(), items, roster, dryRun, spend)) {
            deliveries.addAll(s.deliver(d));
        }
        if (summary) {
            Digest sum = Digests.summary(p, r.report(), items, roster, Digests.instructor(p), deliveries, spend)
                    .withPage(written);
            String curfew = dev.curfew.core.plan.CurfewTimes.latest(p, r.report().now()).toString();
            deliveries.addAll(once(p, s, ledger, curfew, sum, sum.summary().students().size(),
                    "the summary"));
        }
        if (written != null && written.problem() != null) {
            s.problems.add("the class page: " + written.problem());
        }
        return new NotificationReport(pass, roster.source(), roster.size(), roster.problems(), deliveries, List.of(),
                s.problems);
    }

    /**
     * The students' budget messages of one sweep (README, "Budgets"), one per notice; a student the roster does not
     * know is messaged by owner name (the Slack channel). The caller sends each notice once ({@code
     * dev.curfew.aws.budget.BudgetRecords#firstTold}).
     */
    public NotificationReport budget(Policy p, String pass, List<dev.curfew.core.budget.BudgetCheck.Notice> notices,
                                     Instant now, Instant weekEnds) {
        boolean dryRun = p.mode() != Mode.ENFORCE;
        Roster roster = RosterSource.load(p.notifications().roster(), clients);
        Session s = new Session(p, dryRun);
        List<Delivery> deliveries = new ArrayList<>();
        for (dev.curfew.core.budget.BudgetCheck.Notice n : notices) {
            Contact c = roster.find(n.student());
            deliveries.addAll(s.deliver(dev.curfew.core.budget.BudgetDigests.notice(p, n,
                    c != null ? c : new Contact(n.student(), null, null, null), now, weekEnds, dryRun)));
        }
        return new NotificationReport(pass, roster.source(), roster.size(), roster.problems(), deliveries, List.of(),
                s.problems);
    }

    /**
     * After a sweep of many accounts (README, "Students' own accounts"): each student whose account could not be
     * reached is told so, once per curfew ({@link AccountDigests#unreachable}); then the instructor gets one summary
     * across every account ({@link AccountDigests#summary}), once per pass and curfew. Each account's students got
     * their usual messages from that account's sweep; this sends nothing about single resources.
     *
     * <p>Once: in enforce mode each message is claimed and recorded like the one-account summary
     * ({@link SummaryLedger}), under parameters of its own next to that summary's ledger:
     * {@code <ledger>-accounts/<pass>} for the instructor's, {@code <ledger>-unreachable/<owner>} for a student's.
     * In dry-run nothing is read or written in SSM; the instructor's summary is sent, students are messaged only
     * with {@code notifications.students-in-dry-run}. A message that fails never stops the others.
     *
     * @param runs one per account, as the sweep of many accounts returned them
     */
    public NotificationReport accountsSummary(Policy p, String pass, List<AccountRun> runs) {
        return accountsSummary(p, pass, runs, null);
    }

    /**
     * @param now when the pass ran, or the curfew it is for (the messages are once per the latest curfew at or
     *            before it); null for the earliest of the accounts' sweeps (the clock, when none was swept)
     */
    public NotificationReport accountsSummary(Policy p, String pass, List<AccountRun> runs, Instant now) {
        return accountsSummary(p, pass, runs, List.of(), now, true);
    }

    /**
     * @param instructor whether the instructor's summary is sent; without it (after the warning and the idle check
     *                   across accounts) only the students Curfew cannot reach are told, once per curfew
     */
    public NotificationReport accountsSummary(Policy p, String pass, List<AccountRun> runs, Instant now,
                                              boolean instructor) {
        return accountsSummary(p, pass, runs, List.of(), now, instructor);
    }

    /**
     * As above; {@code unlisted}: what kept accounts out of the pass altogether (an Organization unit that could not
     * be listed, dev.curfew.aws.accounts.AccountSweeps#problems), the summary's first problem.
     */
    public NotificationReport accountsSummary(Policy p, String pass, List<AccountRun> runs, List<String> unlisted,
                                              Instant now) {
        return accountsSummary(p, pass, runs, unlisted, now, true);
    }

    /** As above, the instructor's summary sent only when {@code instructor}. */
    public NotificationReport accountsSummary(Policy p, String pass, List<AccountRun> runs, List<String> unlisted,
                                              Instant now, boolean instructor) {
        return accountsSummary(p, pass, runs, unlisted, now, instructor, null, null);
    }

    /**
     * As above; the instructor's summary with each student's spend across the accounts ({@code spend}, null: no
     * table) and the class page's link or why it could not be written ({@code page}, null: no page; its problem is
     * one of the report's problems too).
     */
    public NotificationReport accountsSummary(Policy p, String pass, List<AccountRun> runs, List<String> unlisted,
                                              Instant now, boolean instructor, dev.curfew.core.spend.ClassSpend spend,
                                              Digest.Page page) {
        return accountsSummary(p, pass, runs, unlisted, now, instructor, spend, page == null ? null : r -> page,
                List.of());
    }

    /** The class page {@code page} writes with the roster read for the messages, or why not; null for none. */
    private static Digest.Page page(java.util.function.Function<Roster, Digest.Page> page, Roster roster) {
        if (page == null) {
            return null;
        }
        try {
            return page.apply(roster);
        } catch (RuntimeException e) {
            return new Digest.Page(null, null, unexpected(e));
        }
    }

    /**
     * As above; {@code page}, when given, writes the class page with the roster read for the messages (read once)
     * before the summary is made (as {@link #afterAction}); {@code stopsNotMade}: the budget stops across the accounts
     * that did not happen, with why, one of the summary's problems.
     */
    public NotificationReport accountsSummary(Policy p, String pass, List<AccountRun> runs, List<String> unlisted,
                                              Instant now, boolean instructor, dev.curfew.core.spend.ClassSpend spend,
                                              java.util.function.Function<Roster, Digest.Page> pageOf,
                                              List<String> stopsNotMade) {
        boolean dryRun = p.mode() != Mode.ENFORCE;
        Instant at = now != null ? now : runs.stream().map(AccountRun::report).filter(java.util.Objects::nonNull)
                .map(dev.curfew.core.report.SweepReport::now).min(java.util.Comparator.naturalOrder())
                .orElseGet(Instant::now);
        String curfew = dev.curfew.core.plan.CurfewTimes.latest(p, at).toString();
        Roster roster = RosterSource.load(p.notifications().roster(), clients);
        Digest.Page page = page(pageOf, roster);
        Session s = new Session(p, dryRun);
        List<Delivery> deliveries = new ArrayList<>();
        java.util.Set<String> told = new java.util.HashSet<>();
        for (AccountRun r : runs) {
            String owner = r.target().owner();
            if (r.status() != AccountRun.Status.UNREACHABLE || owner == null
                    || !told.add(owner.trim().toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            Contact c = roster.find(owner);
            if (c == null) {
                deliveries.add(new Delivery(owner, AccountDigests.UNREACHABLE, "none", null, 1,
                        Delivery.Status.SKIPPED, "the roster has no " + owner + " to tell that Curfew cannot reach "
                        + "account " + r.target().account()));
                continue;
            }
            try {
                Digest d = AccountDigests.unreachable(p, at, r, c, clients.settings().homeRegion().id(), dryRun);
                SummaryLedger l = ledger == null ? null : new SummaryLedger(clients, ledger.name() + "-unreachable/"
                        + dev.curfew.aws.SsmLease.segment(owner.trim().toLowerCase(java.util.Locale.ROOT)));
                deliveries.addAll(once(p, s, l, curfew, d, 1, "the message that Curfew cannot reach account "
                        + r.target().account()));
            } catch (RuntimeException e) {
                deliveries.add(new Delivery(owner, AccountDigests.UNREACHABLE, "none", null, 1,
                        Delivery.Status.FAILED, unexpected(e)));
            }
        }
        if (instructor) {
            Digest sum = AccountDigests.summary(p, pass, at, runs, unlisted, roster, Digests.instructor(p),
                    deliveries, spend, page, stopsNotMade);
            if (spend != null && spend.note() != null) {
                s.problems.add("spend: " + spend.note());
            }
            SummaryLedger l = ledger == null ? null : new SummaryLedger(clients, ledger.name() + "-accounts/"
                    + dev.curfew.aws.SsmLease.segment(pass));
            deliveries.addAll(once(p, s, l, curfew, sum, runs.size(), "the summary of the " + pass + " sweep"));
        }
        if (page != null && page.problem() != null) {
            s.problems.add("the class page: " + page.problem());
        }
        return new NotificationReport(pass, roster.source(), roster.size(), roster.problems(), deliveries, List.of(),
                s.problems);
    }

    /**
     * One message to one person (the sentinel's, {@code dev.curfew.core.sentinel.SentinelNotices}), on every channel
     * they have, as the sweeper's messages go: a Slack direct message with the bot token (by member id, or looked up
     * by email), else or when it fails the channel webhook mentioning them; an email through SES. Students are
     * messaged in dry-run ({@link Digest#dryRun}) only with {@code notifications.students-in-dry-run}. What became
     * of it on each channel is returned (and logged); a secret that cannot be read, a refused email or a Slack
     * error is a failed delivery naming why, never thrown.
     */
    public List<Delivery> deliver(Policy p, Digest d) {
        Session s = new Session(p, d.dryRun());
        List<Delivery> out = s.deliver(d);
        s.problems.forEach(log);
        return out;
    }

    /**
     * Delivers a message at most once per curfew: in enforce mode with a ledger, only by the run that claims it and
     * only if the ledger does not say it went already (the one-account summary's way, {@link SummaryLedger}).
     */
    private List<Delivery> once(Policy p, Session s, SummaryLedger l, String curfew, Digest d, int items,
                                String what) {
        if (s.dryRun || l == null) {
            return s.deliver(d);
        }
        String who = d.to().instructor() ? Digests.INSTRUCTOR : d.to().owner();
        String last = null;
        try {
            last = l.last();
        } catch (RuntimeException e) {
            s.problems.add("cannot read " + l.name() + " (" + SummaryLedger.why(e) + "): " + what + " is sent, "
                    + "perhaps a second time");
        }
        SummaryLedger.Claim claim = null;
        boolean claimed = false;
        if (!curfew.equals(last)) {
            try {
                claim = l.claim(curfew);
                claimed = claim != null;
            } catch (RuntimeException e) {
                claimed = true;
                s.problems.add("cannot claim " + l.claimName() + " (" + SummaryLedger.why(e) + "): " + what
                        + " is sent, perhaps a second time");
            }
            if (claim != null) {
                try {
                    last = l.last(); // a run that sent before our claim has written the ledger by now
                } catch (RuntimeException e) {
                    s.problems.add("cannot read " + l.name() + " (" + SummaryLedger.why(e) + "): " + what
                            + " is sent, perhaps a second time");
                }
            }
        }
        String at = Digests.when(Instant.parse(curfew), p.timeZone());
        List<Delivery> out = new ArrayList<>();
        if (curfew.equals(last)) {
            out.add(new Delivery(who, d.message(), "none", null, items, Delivery.Status.SKIPPED, what
                    + " for the curfew of " + at + " was sent already (" + l.name() + ")"));
        } else if (!claimed) {
            out.add(new Delivery(who, d.message(), "none", null, items, Delivery.Status.SKIPPED, "another run is "
                    + "sending " + what + " for the curfew of " + at + " (" + l.claimName() + ")"));
        } else {
            List<Delivery> sent = s.deliver(d);
            out.addAll(sent);
            if (sent.stream().anyMatch(x -> x.status() == Delivery.Status.SENT)) {
                try {
                    l.record(curfew);
                } catch (RuntimeException e) {
                    s.problems.add("cannot write " + l.name() + " (" + SummaryLedger.why(e) + ")");
                }
            }
        }
        if (claim != null) {
            try {
                claim.release(); // after the ledger was written: the next run to claim reads it
            } catch (RuntimeException e) {
                s.problems.add("cannot delete " + l.claimName() + " (" + SummaryLedger.why(e) + "): it lapses by "
                        + "itself");
            }
        }
        return out;
    }

    /**
     * A failure nobody foresaw, in words safe to report: its kind only, since its message may quote a secret (a URL
     * or a header value). One channel failing this way never stops the other channels or the other messages.
     */
    public static String unexpected(RuntimeException e) {
        return "failed unexpectedly (" + e.getClass().getSimpleName() + "; the detail is not shown, as it may quote "
                + "a secret)";
    }

    private static Map<String, Decision> byId(SweepEngine.Result r) {
        Map<String, Decision> m = new HashMap<>();
        r.plan().decisions().forEach(d -> m.put(d.resource().kind().wireName() + "/" + d.resource().id(), d));
        return m;
    }

    /** The channels of one pass: secrets are read once, and only when a message needs them. */
    private final class Session {
        final Notifications n;
        final boolean dryRun;
        final List<String> problems = new ArrayList<>();
        final SlackClient slack = new SlackClient(slackApiBase);
        String webhook;
        String webhookError;
        String token;
        String tokenError;
        boolean secretsRead;
        SesMailer mailer;

        Session(Policy p, boolean dryRun) {
            this.n = p.notifications();
            this.dryRun = dryRun;
            this.mailer = n.email() ? new SesMailer(clients, n.emailSender()) : null;
        }

        void readSecrets() {
            if (secretsRead) {
                return;
            }
            secretsRead = true;
            Secrets secrets = new Secrets(clients);
            if (n.slackWebhookSecret() != null) {
                try {
                    webhook = secrets.webhookUrl(n.slackWebhookSecret());
                } catch (IllegalStateException e) {
                    webhookError = e.getMessage();
                }
                if (webhookError != null) {
                    problems.add("Slack webhook: " + webhookError);
                }
            }
            if (n.slackBotTokenSecret() != null) {
                try {
                    token = secrets.botToken(n.slackBotTokenSecret());
                } catch (IllegalStateException e) {
                    tokenError = e.getMessage();
                    problems.add("Slack bot token: " + tokenError);
                }
            }
        }

        List<Delivery> deliver(Digest d) {
            Contact to = d.to();
            String who = to.instructor() ? Digests.INSTRUCTOR : to.owner();
            int items = d.isSummary() ? d.summary().students().size() : d.notice() != null ? d.ids().size()
                    : d.lines().size();
            boolean allowed = to.instructor() || !dryRun || n.studentsInDryRun();
            List<Delivery> out = new ArrayList<>();
            if (!n.slack() && !n.email()) {
                out.add(new Delivery(who, d.message(), "none", null, items, Delivery.Status.SKIPPED,
                        "no channel configured (notifications.slack, notifications.email)"));
                return out;
            }
            Message m = null;
            if (n.slack()) {
                readSecrets();
                boolean dm = token != null && (to.slackId() != null || to.email() != null);
                if (!dm && webhook == null) {
                    String why = webhookError != null ? webhookError : tokenError != null ? tokenError
                            : "no Slack member id or email for a direct message, and no webhook";
                    // named by the channel that failed: the webhook's secret, else the bot token's
                    String channel = webhookError != null ? "slack-webhook" : tokenError != null ? "slack-dm"
                            : "slack";
                    out.add(new Delivery(who, d.message(), channel, null, items, Delivery.Status.FAILED, why));
                } else if (!allowed) {
                    out.add(new Delivery(who, d.message(), dm ? "slack-dm" : "slack-webhook",
                            dm ? to.slackId() != null ? to.slackId() : to.email() : "channel", items,
                            Delivery.Status.WOULD_SEND, "dry-run: students are not messaged "
                            + "(notifications.students-in-dry-run)"));
                } else {
                    m = Renderer.render(d);
                    Delivery done = dm ? direct(d, who, items, to) : null;
                    if (done == null || done.status() != Delivery.Status.SENT && webhook != null) {
                        if (done != null) {
                            out.add(done);
                        }
                        done = viaWebhook(m, d, who, items);
                    }
                    out.add(done);
                }
            }
            if (n.email()) {
                if (to.email() == null) {
                    out.add(new Delivery(who, d.message(), "email", null, items, Delivery.Status.SKIPPED,
                            to.instructor() ? "no instructor email (notifications.instructor.email)"
                                    : "no email address in the roster"));
                } else if (!allowed) {
                    out.add(new Delivery(who, d.message(), "email", to.email(), items, Delivery.Status.WOULD_SEND,
                            "dry-run: students are not messaged (notifications.students-in-dry-run)"));
                } else {
                    if (m == null) {
                        m = Renderer.render(d);
                    }
                    try {
                        String id = mailer.send(to.email(), m.subject(), m.text(), m.html());
                        out.add(new Delivery(who, d.message(), "email", to.email(), items, Delivery.Status.SENT,
                                "SES message " + id));
                    } catch (SesMailer.RejectedException e) {
                        out.add(new Delivery(who, d.message(), "email", to.email(), items, Delivery.Status.FAILED,
                                e.getMessage()));
                    } catch (RuntimeException e) {
                        out.add(new Delivery(who, d.message(), "email", to.email(), items, Delivery.Status.FAILED,
                                unexpected(e)));
                    }
                }
            }
            out.forEach(x -> log.accept(x.message() + " to " + x.to() + " by " + x.channel() + ": "
                    + x.status().wireName() + (x.detail() == null ? "" : " (" + x.detail() + ")")));
            return out;
        }

        private Delivery viaWebhook(Message m, Digest d, String who, int items) {
            if (webhook == null) {
                return new Delivery(who, d.message(), "slack-webhook", "channel", items, Delivery.Status.FAILED,
                        webhookError == null ? "no webhook configured" : webhookError);
            }
            try {
                for (Map<String, Object> page : m.slack()) {
                    slack.webhook(webhook, page);
                }
                return new Delivery(who, d.message(), "slack-webhook", "channel", items, Delivery.Status.SENT,
                        m.slack().size() + " message" + (m.slack().size() == 1 ? "" : "s"));
            } catch (SlackClient.SlackException e) {
                return new Delivery(who, d.message(), "slack-webhook", "channel", items, Delivery.Status.FAILED,
                        e.getMessage());
            } catch (RuntimeException e) {
                return new Delivery(who, d.message(), "slack-webhook", "channel", items, Delivery.Status.FAILED,
                        unexpected(e));
            }
        }

        private Delivery direct(Digest d, String who, int items, Contact to) {
            String target = to.slackId();
            try {
                if (target == null) {
                    target = slack.lookupByEmail(token, to.email());
                }
                Message m = Renderer.renderDirect(d);
                for (Map<String, Object> page : m.slack()) {
                    slack.postMessage(token, target, page);
                }
                return new Delivery(who, d.message(), "slack-dm", target, items, Delivery.Status.SENT,
                        m.slack().size() + " message" + (m.slack().size() == 1 ? "" : "s"));
            } catch (SlackClient.SlackException e) {
                return new Delivery(who, d.message(), "slack-dm", target == null ? to.email() : target, items,
                        Delivery.Status.FAILED, e.getMessage());
            } catch (RuntimeException e) {
                return new Delivery(who, d.message(), "slack-dm", target == null ? to.email() : target, items,
                        Delivery.Status.FAILED, unexpected(e));
            }
        }
    }
}
