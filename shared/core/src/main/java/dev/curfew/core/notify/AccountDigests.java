package dev.curfew.core.notify;

import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.enrol.Enrolment;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import dev.curfew.core.spend.SpendText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The messages of a sweep of many accounts (README, "Students' own accounts"): the instructor's one summary across
 * every account, and a student's "Curfew can no longer reach your account". Pure: the same runs, roster and policy
 * always give the same digests.
 *
 * <p>The summary reads well for one account and for a hundred: what did not happen comes first (accounts not swept,
 * tripped circuit breakers, failed actions, region errors, undelivered messages, roster problems), each list capped
 * at {@value #MAX_LISTED} items with the number left out; accounts swept without a problem are listed one by one up
 * to {@value #MAX_FINE_LISTED}, else summed up in one line (the class account keeps its own). So the message stays
 * within Slack's and email's limits whatever the number of accounts; everything left out is in the sweep's report.
 */
public final class AccountDigests {
    /** The instructor's summary of a sweep of many accounts. */
    public static final String SUMMARY = "accounts-summary";
    /** A student's "Curfew can no longer reach your account". */
    public static final String UNREACHABLE = "unreachable";
    /** At most this many items of each kind of problem, and of accounts with a problem, are listed. */
    public static final int MAX_LISTED = 15;
    /** Accounts swept without a problem are listed one by one up to this many, else summed up in one line. */
    public static final int MAX_FINE_LISTED = 10;
    /** A listed item is cut at this many characters. */
    public static final int MAX_ITEM = 500;
    /** An error quoted in an item is cut at this many characters (an AWS error can run long). */
    public static final int MAX_ERROR = 300;

    private AccountDigests() {
    }

    /**
     * The instructor's summary of one pass over many accounts.
     *
     * @param now        when the pass ran (its earliest sweep)
     * @param deliveries the messages sent before it (the students' "can no longer reach"): failures are listed,
     *                   and each unreachable account says whether its student was told
     */
    public static Digest summary(Policy p, String pass, Instant now, List<AccountRun> runs, Roster roster,
                                 Contact instructor, List<Delivery> deliveries) {
        return summary(p, pass, now, runs, List.of(), roster, instructor, deliveries);
    }

    /**
     * As above, with what kept accounts out of the pass altogether ({@code unlisted}: an Organization unit that could
     * not be listed, naming it): the first of the problems, and counted in the subject.
     */
    public static Digest summary(Policy p, String pass, Instant now, List<AccountRun> runs, List<String> unlisted,
                                 Roster roster, Contact instructor, List<Delivery> deliveries) {
        return summary(p, pass, now, runs, unlisted, roster, instructor, deliveries, null, null);
    }

    /**
     * As above, with a table of what each student has spent across the accounts ({@code spend}; null: no table) and
     * the class page's link or why there is none ({@code page}; null: no page).
     */
    public static Digest summary(Policy p, String pass, Instant now, List<AccountRun> runs, List<String> unlisted,
                                 Roster roster, Contact instructor, List<Delivery> deliveries,
                                 dev.curfew.core.spend.ClassSpend spend, Digest.Page page) {
        return summary(p, pass, now, runs, unlisted, roster, instructor, deliveries, spend, page, List.of());
    }

    /**
     * As above, with the budget stops across the accounts that did not happen ({@code stopsNotMade}, each with why),
     * listed among the problems; the stops made are in each account's report.
     */
    public static Digest summary(Policy p, String pass, Instant now, List<AccountRun> runs, List<String> unlisted,
                                 Roster roster, Contact instructor, List<Delivery> deliveries,
                                 dev.curfew.core.spend.ClassSpend spend, Digest.Page page,
                                 List<String> stopsNotMade) {
        boolean dryRun = p.mode() != dev.curfew.core.policy.Mode.ENFORCE;
        List<AccountRun> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparing((AccountRun r) -> r.target().source() != AccountTarget.Source.HOME)
                .thenComparing(r -> who(r.target(), roster).toLowerCase(Locale.ROOT))
                .thenComparing(r -> r.target().account()));
        Map<Boolean, List<AccountRun>> bySwept = sorted.stream().collect(Collectors.partitioningBy(r ->
                r.status() == AccountRun.Status.SWEPT && r.report() != null));
        List<AccountRun> swept = bySwept.get(true);
        List<AccountRun> notSwept = bySwept.get(false).stream().sorted(Comparator.comparing(
                (AccountRun r) -> r.status().ordinal())).toList();

        Map<AccountRun.Status, List<String>> notSweptItems = new LinkedHashMap<>();
        notSwept.forEach(r -> notSweptItems.computeIfAbsent(r.status(), k -> new ArrayList<>()).add(label(r, roster)
                + ": " + r.status().text() + ": " + cut(r.error() == null ? "no report" : r.error(), MAX_ERROR)
                + "; nothing there was cleaned up" + told(r, roster, deliveries, dryRun)));
        List<String> breakers = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> regionErrors = new ArrayList<>();
        List<String> undelivered = new ArrayList<>();
        for (AccountRun r : swept) {
            SweepReport rep = r.report();
            if (rep.breaker().tripped()) {
                breakers.add(label(r, roster) + ": " + rep.breaker().planned() + " destructive actions planned, the "
                        + "limit is " + rep.breaker().limit() + "; nothing was acted on there");
            }
            rep.rows().stream().filter(x -> "failed".equals(x.outcome()))
                    .forEach(x -> failures.add(label(r, roster) + ": " + failure(x, r.target().owner())));
            rep.regionErrors().forEach((region, e) -> regionErrors.add(label(r, roster) + ": " + region + ": "
                    + cut(e, MAX_ERROR)));
            if (rep.notifications() != null) {
                rep.notifications().deliveries().stream().filter(d -> d.status() == Delivery.Status.FAILED)
                        .forEach(d -> undelivered.add(label(r, roster) + ": " + delivery(d)));
            }
        }
        deliveries.stream().filter(d -> d.status() == Delivery.Status.FAILED)
                .forEach(d -> undelivered.add(delivery(d)));

        List<Digest.Group> problems = new ArrayList<>();
        group(problems, "Accounts left out of the sweep (nothing in them was cleaned up)", unlisted.stream()
                .map(x -> cut(x, MAX_ERROR)).toList());
        notSweptItems.forEach((status, items) -> group(problems, switch (status) {
            case UNREACHABLE -> "Accounts Curfew could not reach";
            case REFUSED_BY_GUARD -> "Accounts refused by the account guard";
            default -> "Accounts whose sweep failed";
        }, items));
        group(problems, "Budget stops not made (the next pass stops whoever is still recorded over budget)",
                stopsNotMade.stream().map(x -> cut(x, MAX_ERROR)).toList());
        group(problems, "Circuit breaker tripped", breakers);
        group(problems, "Actions that failed", failures);
        group(problems, "Region errors", regionErrors);
        group(problems, "Messages that could not be delivered", undelivered);
        group(problems, "Roster problems (these students' messages came to you)", roster.problems());

        // the accounts not swept are listed above, with their error; here, the swept ones
        List<AccountRun> troubled = swept.stream().filter(AccountDigests::hasProblem).toList();
        List<AccountRun> fine = swept.stream().filter(r -> !hasProblem(r)).toList();
        List<Digest.AccountLine> lines = new ArrayList<>();
        troubled.stream().limit(MAX_LISTED).forEach(r -> lines.add(line(r, roster, dryRun, true)));
        int moreLines = Math.max(0, troubled.size() - MAX_LISTED);
        String fineLine = null;
        if (fine.size() <= MAX_FINE_LISTED) {
            fine.forEach(r -> lines.add(line(r, roster, dryRun, false)));
        } else {
            // the class account keeps its line; the students' accounts are summed up
            fine.stream().filter(r -> r.target().source() == AccountTarget.Source.HOME)
                    .forEach(r -> lines.add(line(r, roster, dryRun, false)));
            List<AccountRun> rest = fine.stream().filter(r -> r.target().source() != AccountTarget.Source.HOME)
                    .toList();
            fineLine = rest.size() + (rest.size() == fine.size() ? "" : " other") + " accounts swept with nothing "
                    + "wrong: " + counts(rest.stream().map(AccountRun::report).toList(), dryRun) + " (each account's "
                    + "numbers are in the sweep's report)";
        }

        List<SweepReport> reports = swept.stream().map(AccountRun::report).toList();
        long found = reports.stream().mapToLong(AccountDigests::found).sum();
        long done = reports.stream().mapToLong(x -> done(x, dryRun)).sum();
        long errors = reports.stream().mapToLong(AccountDigests::failed).sum();
        long outOfScope = reports.stream().mapToLong(AccountDigests::outOfScope).sum();
        String saved = SpendText.money(reports.stream().mapToDouble(SweepReport::savedPerMonth).sum());
        boolean tripped = !breakers.isEmpty();

        String day = Digests.day(now, p.timeZone());
        int n = runs.size();
        String subject = prefix(p, dryRun) + "Curfew summary for " + day + ", " + n + " account" + (n == 1 ? "" : "s")
                + ": " + (notSwept.isEmpty() ? "" : notSwept.size() + " not swept, ")
                + (unlisted.isEmpty() ? "" : unlisted.size() + " unit" + (unlisted.size() == 1 ? "" : "s")
                + " not listed, ") + found + " found, " + done
                + (dryRun ? " would be done, " : " done, ") + errors + " error" + (errors == 1 ? "" : "s") + ", about "
                + saved + "/month " + (dryRun ? "to save" : "saved") + (tripped ? " - CIRCUIT BREAKER TRIPPED" : "");
        String intro = "The " + pass + " sweep of " + Digests.when(now, p.timeZone()) + " over " + kinds(runs) + " ("
                + p.mode().wireName() + "): " + swept.size() + " of " + n + " swept" + (notSwept.isEmpty() ? "."
                : "; " + notSwept.size() + " not, and nothing in " + (notSwept.size() == 1 ? "it" : "them")
                + " was cleaned up.") + (dryRun ? " Dry run: nothing was changed, and " + (p.notifications()
                .studentsInDryRun() ? "students were told what would happen." : "students were not messaged.") : "");
        Digest.Accounts a = new Digest.Accounts(pass, n, swept.size(), String.valueOf(found), String.valueOf(done),
                String.valueOf(errors), saved, String.valueOf(outOfScope), problems, lines, moreLines, fineLine,
                Digests.spendRows(spend, roster), Digests.spendNote(p, spend), page);
        return new Digest(SUMMARY, instructor, false, p.course(), subject, intro, Digests.when(now, p.timeZone()),
                dryRun, List.of(), saved + "/month", runs.stream().map(r -> r.target().account()).toList(), null, a,
                null);
    }

    /**
     * A student's "Curfew can no longer reach your account": what it means (nothing there is cleaned up, so they
     * may be charged) and what to do (check their stack; deploy it again with the command the instructor prints).
     *
     * @param homeRegion the region of the instructor's Curfew, where the student's stack was deployed
     */
    public static Digest unreachable(Policy p, Instant now, AccountRun run, Contact to, String homeRegion,
                                     boolean dryRun) {
        String account = run.target().account();
        String owner = run.target().owner() == null ? to.owner() : run.target().owner();
        String subject = prefix(p, dryRun) + "Curfew can no longer reach your AWS account " + account;
        String intro = (dryRun ? "Curfew is still in its dry run (it changes nothing anywhere yet), but this needs "
                + "fixing before it starts. " : "") + "Curfew's " + "sweep of " + Digests.when(now, p.timeZone())
                + " could not reach your AWS account " + account + ", so it did not look at it: nothing in it was "
                + "stopped, deleted or emptied. Whatever you left running there (instances, volumes, buckets, Elastic "
                + "IPs) keeps costing money, and you may be charged for it.";
        String check = "aws cloudformation describe-stacks --region " + homeRegion + " --stack-name "
                + Enrolment.STACK_NAME + " --query 'Stacks[0].StackStatus'";
        Digest.Unreachable u = new Digest.Unreachable(account, cut(run.error() == null ? run.status().text()
                : run.error()), Enrolment.STACK_NAME, Enrolment.ROLE_NAME, check, "./curfew enroll --student "
                + Digests.shellQuote(owner == null ? "NAME" : owner));
        return new Digest(UNREACHABLE, to, false, p.course(), subject, intro, Digests.when(now, p.timeZone()), dryRun,
                List.of(), null, List.of(account), null, null, u);
    }

    /** Whether a swept account had something go wrong: a failed action, a region error, a tripped breaker. */
    static boolean hasProblem(AccountRun r) {
        if (r.status() != AccountRun.Status.SWEPT || r.report() == null) {
            return true;
        }
        SweepReport rep = r.report();
        return rep.breaker().tripped() || !rep.regionErrors().isEmpty() || failed(rep) > 0;
    }

    /** "class account", "Alice Liddell (alice)", "mallory (not in the roster)", "Organization account". */
    static String who(AccountTarget t, Roster roster) {
        if (t.source() == AccountTarget.Source.HOME) {
            return "class account";
        }
        if (t.owner() == null) {
            return t.source().text();
        }
        Contact c = roster.find(t.owner());
        return c == null ? t.owner() + " (not in the roster)" : c.name() + " (" + t.owner() + ")";
    }

    private static String label(AccountRun r, Roster roster) {
        return r.target().account() + " " + who(r.target(), roster);
    }

    /** A swept account's line. */
    private static Digest.AccountLine line(AccountRun r, Roster roster, boolean dryRun, boolean problem) {
        return new Digest.AccountLine(r.target().account(), who(r.target(), roster), r.status().text(),
                counts(List.of(r.report()), dryRun), problem);
    }

    /** "3 found, 2 done, 1 failed, about $7.59/month saved, 1 out of scope". */
    static String counts(List<SweepReport> reports, boolean dryRun) {
        long found = reports.stream().mapToLong(AccountDigests::found).sum();
        long done = reports.stream().mapToLong(x -> done(x, dryRun)).sum();
        long failed = reports.stream().mapToLong(AccountDigests::failed).sum();
        long oos = reports.stream().mapToLong(AccountDigests::outOfScope).sum();
        double saved = reports.stream().mapToDouble(SweepReport::savedPerMonth).sum();
        return found + " found, " + done + (dryRun ? " would be done, " : " done, ") + failed + " failed, about "
                + SpendText.money(saved) + "/month " + (dryRun ? "to save" : "saved") + ", " + oos + " out of scope";
    }

    static long found(SweepReport r) {
        return r.rows().stream().filter(x -> !x.findings().isEmpty()).count();
    }

    static long done(SweepReport r, boolean dryRun) {
        return r.rows().stream().filter(x -> !"unmark".equals(x.decision()) && ("done".equals(x.outcome())
                || dryRun && "would".equals(x.outcome()))).count();
    }

    static long failed(SweepReport r) {
        return r.rows().stream().filter(x -> "failed".equals(x.outcome())).count();
    }

    /** Resources left alone because they are older than the student's enrolment (SweepEngine.withScope). */
    static long outOfScope(SweepReport r) {
        return r.rows().stream().filter(x -> "skip".equals(x.decision()) && x.reason() != null
                && x.reason().startsWith("out of scope")).count();
    }

    /** A failed action; its owner named unless the account is that owner's own. */
    private static String failure(SweepReport.Row x, String accountOwner) {
        String verb = "mark".equals(x.decision()) ? "could not be marked" : "could not be "
                + Digests.participle(x.decision());
        boolean own = x.owner() == null || x.owner().equalsIgnoreCase(accountOwner);
        return Digests.kindLabel(x.kind()) + " " + x.id() + (x.region() == null || x.region().isBlank() ? ""
                : " in " + x.region()) + (own ? "" : " (" + x.owner() + ")") + ": " + verb
                + (x.detail() == null ? "" : ": " + cut(x.detail(), MAX_ERROR));
    }

    private static String delivery(Delivery d) {
        return d.message() + " to " + d.to() + " by " + d.channel() + ": " + d.detail();
    }

    /** Whether the student of an unreachable account was told, as the deliveries say. */
    private static String told(AccountRun r, Roster roster, List<Delivery> deliveries, boolean dryRun) {
        if (r.status() != AccountRun.Status.UNREACHABLE || r.target().owner() == null) {
            return "";
        }
        Contact c = roster.find(r.target().owner());
        if (c == null) {
            return "; the student was not told: the roster has no " + r.target().owner();
        }
        Set<Delivery.Status> s = deliveries.stream().filter(d -> UNREACHABLE.equals(d.message())
                        && r.target().owner().equalsIgnoreCase(d.to())).map(Delivery::status)
                .collect(Collectors.toSet());
        if (s.contains(Delivery.Status.SENT)) {
            return "; " + c.name() + " was told";
        }
        if (s.contains(Delivery.Status.WOULD_SEND)) {
            return "; " + c.name() + " would be told (" + (dryRun ? "dry run" : "not sent") + ")";
        }
        if (s.contains(Delivery.Status.FAILED)) {
            return "; telling " + c.name() + " failed (below)";
        }
        if (s.contains(Delivery.Status.SKIPPED)) {
            String why = deliveries.stream().filter(d -> UNREACHABLE.equals(d.message())
                    && r.target().owner().equalsIgnoreCase(d.to())).map(Delivery::detail)
                    .filter(java.util.Objects::nonNull).findFirst().orElse("");
            return why.contains("was sent already") ? "; " + c.name() + " was told earlier for this curfew"
                    : why.startsWith("another run") ? "; another run is telling " + c.name()
                    : "; " + c.name() + " was not told" + (why.isEmpty() ? "" : " (" + why + ")");
        }
        return "";
    }

    private static void group(List<Digest.Group> out, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        List<String> listed = items.stream().limit(MAX_LISTED).map(AccountDigests::cut).toList();
        out.add(new Digest.Group(title + " (" + items.size() + ")", listed, items.size() - listed.size()));
    }

    /** "the class account and 2 students' own accounts". */
    private static String kinds(List<AccountRun> runs) {
        Map<AccountTarget.Source, Long> by = runs.stream().collect(Collectors.groupingBy(r -> r.target().source(),
                LinkedHashMap::new, Collectors.counting()));
        List<String> parts = new ArrayList<>();
        Function<AccountTarget.Source, Long> n = s -> by.getOrDefault(s, 0L);
        if (n.apply(AccountTarget.Source.HOME) > 0) {
            parts.add("the class account");
        }
        if (n.apply(AccountTarget.Source.ROSTER) > 0) {
            long k = n.apply(AccountTarget.Source.ROSTER);
            parts.add(k + (k == 1 ? " student's own account" : " students' own accounts"));
        }
        if (n.apply(AccountTarget.Source.ORGANIZATION) > 0) {
            long k = n.apply(AccountTarget.Source.ORGANIZATION);
            parts.add(k + " Organization account" + (k == 1 ? "" : "s"));
        }
        if (parts.isEmpty()) {
            return "no account";
        }
        return parts.size() == 1 ? parts.get(0) : String.join(", ", parts.subList(0, parts.size() - 1)) + " and "
                + parts.get(parts.size() - 1);
    }

    static String cut(String s) {
        return cut(s, MAX_ITEM);
    }

    /** On one line, at most {@code max} characters. */
    static String cut(String s, int max) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() <= max ? one : one.substring(0, max - 1) + "\u2026";
    }

    private static String prefix(Policy p, boolean dryRun) {
        return "[" + p.course() + "] " + (dryRun ? "[dry run] " : "");
    }
}
