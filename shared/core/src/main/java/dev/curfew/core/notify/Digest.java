package dev.curfew.core.notify;

import java.util.List;

/**
 * One message's content, before rendering: for one person, one pass. Built by {@link Digests}; the templates
 * read these fields by name.
 *
 * @param message       {@code warning}, {@code after-action}, {@code summary}, {@code accounts-summary} or
 *                      {@code unreachable}
 * @param to            who it is for (the instructor: a contact with no owner)
 * @param unknownOwners true for the instructor's digest of resources whose owner the roster does not know
 * @param subject       the email subject, also the Slack header
 * @param intro         one or two plain sentences under the header
 * @param lines         one per resource
 * @param ids           the resources' ids (kind/id), for dedupe tags and the report
 * @param accounts      the instructor's summary of a sweep of many accounts ({@code accounts-summary}), else null
 * @param unreachable   a student's "Curfew can no longer reach your account" ({@code unreachable}), else null
 * @param notice        one of the sentinel's messages ({@code welcome}, {@code launch-limits},
 *                      {@code spot-interruption}), else null
 */
public record Digest(String message, Contact to, boolean unknownOwners, String course, String subject,
                     String intro, String when, boolean dryRun, List<Line> lines, String total, List<String> ids,
                     Summary summary, Accounts accounts, Unreachable unreachable, Notice notice) {

    public Digest(String message, Contact to, boolean unknownOwners, String course, String subject, String intro,
                  String when, boolean dryRun, List<Line> lines, String total, List<String> ids, Summary summary,
                  Accounts accounts, Unreachable unreachable) {
        this(message, to, unknownOwners, course, subject, intro, when, dryRun, lines, total, ids, summary, accounts,
                unreachable, null);
    }

    public Digest(String message, Contact to, boolean unknownOwners, String course, String subject, String intro,
                  String when, boolean dryRun, List<Line> lines, String total, List<String> ids, Summary summary) {
        this(message, to, unknownOwners, course, subject, intro, when, dryRun, lines, total, ids, summary, null,
                null);
    }

    public boolean warning() {
        return "warning".equals(message);
    }

    public boolean afterAction() {
        return "after-action".equals(message);
    }

    public boolean isSummary() {
        return "summary".equals(message);
    }

    public String greeting() {
        return to.name() == null ? "Hello" : "Hello " + to.name();
    }

    /**
     * One resource in a message.
     *
     * @param what    e.g. "EC2 instance i-0abc (web-1, t3.micro) in eu-west-1"
     * @param verb    what happens to it: "will be terminated", "terminated", "could not be terminated"
     * @param why     the finding, as the planner wrote it
     * @param cost    "$0.0104/h, about $7.59/month", or null when not known
     * @param keep    the one command that keeps it (warning), or null
     * @param restore the command that brings it back (a deleted volume's snapshot), or null
     * @param detail  what the action reported (after-action), or null
     */
    public record Line(String kind, String kindLabel, String id, String name, String region, String owner,
                       String what, String verb, String why, String cost, String keep, String restore,
                       String detail, boolean failed, boolean notice) {
    }

    /**
     * The instructor's daily summary.
     *
     * @param spend     what each student has spent this week and in total (empty when not known)
     * @param spendNote where the spend figures come from, and what went wrong getting them; null without spend
     */
    public record Summary(List<Student> students, String found, String done, String errors, String saved,
                          String breaker, boolean breakerTripped, List<String> regionErrors,
                          List<String> rosterProblems, List<String> deliveryProblems, List<Line> failures,
                          String account, String mode, List<SpendRow> spend, String spendNote, Page page) {

        public Summary {
            spend = spend == null ? List.of() : List.copyOf(spend);
        }

        public Summary(List<Student> students, String found, String done, String errors, String saved,
                       String breaker, boolean breakerTripped, List<String> regionErrors,
                       List<String> rosterProblems, List<String> deliveryProblems, List<Line> failures,
                       String account, String mode, List<SpendRow> spend, String spendNote) {
            this(students, found, done, errors, saved, breaker, breakerTripped, regionErrors, rosterProblems,
                    deliveryProblems, failures, account, mode, spend, spendNote, null);
        }

        public Summary(List<Student> students, String found, String done, String errors, String saved,
                       String breaker, boolean breakerTripped, List<String> regionErrors,
                       List<String> rosterProblems, List<String> deliveryProblems, List<Line> failures,
                       String account, String mode) {
            this(students, found, done, errors, saved, breaker, breakerTripped, regionErrors, rosterProblems,
                    deliveryProblems, failures, account, mode, List.of(), null, null);
        }

        public boolean hasSpend() {
            return !spend.isEmpty();
        }

        /** The same summary with the class page's link (or why there is none). */
        public Summary withPage(Page p) {
            return new Summary(students, found, done, errors, saved, breaker, breakerTripped, regionErrors,
                    rosterProblems, deliveryProblems, failures, account, mode, spend, spendNote, p);
        }

        public boolean hasFailures() {
            return !failures.isEmpty();
        }

        public boolean hasRegionErrors() {
            return !regionErrors.isEmpty();
        }

        public boolean hasDeliveryProblems() {
            return !deliveryProblems.isEmpty();
        }

        public boolean hasRosterProblems() {
            return !rosterProblems.isEmpty();
        }
    }

    /**
     * One student's spend in the summary: "$3.10" this week (with " of $10.00" when there is a budget), "$12.40" in
     * total, "12.0 h" of instances this week, and "estimate" or "billed".
     */
    public record SpendRow(String name, String owner, String week, String total, String weekHours, String source,
                           boolean known) {
    }

    /**
     * The class page of the sweep (README, "The class page"): a link that expires, or why the page was not written.
     *
     * @param url     a presigned link to the page, or null when it was not written
     * @param expires when the link stops working, in the course's words ("Thu 26 Nov 18:00 Europe/Amsterdam")
     * @param problem why the page was not written, or null
     */
    public record Page(String url, String expires, String problem) {
    }

    /** The same digest with the class page's link in its summary (a digest without a summary is returned as is). */
    public Digest withPage(Page p) {
        return summary == null || p == null ? this : new Digest(message, to, unknownOwners, course, subject, intro,
                when, dryRun, lines, total, ids, summary.withPage(p), accounts, unreachable);
    }

    /** One student's row in the summary. */
    public record Student(String owner, String name, long found, long done, long errors, String saved,
                          boolean known) {
        public boolean hasErrors() {
            return errors > 0;
        }
    }

    /**
     * The instructor's summary of one pass over many accounts (built by {@link AccountDigests#summary}). Problems
     * come first; each list is capped, {@code more} saying how many were left out (they are in the sweep's report).
     *
     * @param pass     the pass ({@code curfew}, {@code idle-check})
     * @param problems what did not happen, in groups: accounts not swept, failed actions, region errors, ...
     * @param lines    one line per account listed (accounts with a problem first)
     * @param fine     the accounts swept without a problem in one line, when there are too many to list; else null
     */
    public record Accounts(String pass, int accountCount, int sweptCount, String found, String done, String errors,
                           String saved, String outOfScope, List<Group> problems, List<AccountLine> lines,
                           int moreLines, String fine, List<SpendRow> spend, String spendNote, Page page) {
        public Accounts {
            spend = spend == null ? List.of() : List.copyOf(spend);
        }

        public Accounts(String pass, int accountCount, int sweptCount, String found, String done, String errors,
                        String saved, String outOfScope, List<Group> problems, List<AccountLine> lines,
                        int moreLines, String fine) {
            this(pass, accountCount, sweptCount, found, done, errors, saved, outOfScope, problems, lines, moreLines,
                    fine, List.of(), null, null);
        }

        /** Each student's spend across the accounts (the curfew pass), as the one-account summary shows it. */
        public boolean hasSpend() {
            return !spend.isEmpty();
        }

        public boolean hasProblems() {
            return !problems.isEmpty();
        }

        public boolean hasMoreLines() {
            return moreLines > 0;
        }

        public boolean noneSwept() {
            return sweptCount == 0;
        }

        /** "1 account", "100 accounts". */
        public String accountsLabel() {
            return accountCount + " account" + (accountCount == 1 ? "" : "s");
        }
    }

    /** A titled list, capped: {@code more} items left out. */
    public record Group(String title, List<String> items, int more) {
        public boolean hasMore() {
            return more > 0;
        }
    }

    /**
     * One account in the summary of many.
     *
     * @param who    "class account", "Alice Liddell (alice)", "Organization account"
     * @param status swept, unreachable, refused by the account guard, failed
     * @param counts for a swept account "found 3, done 2, errors 0, saved $7.59/month, 1 out of scope"; else the
     *               error
     */
    public record AccountLine(String account, String who, String status, String counts, boolean problem) {
    }

    /**
     * A student's "Curfew can no longer reach your account".
     *
     * @param check  the command that shows whether the student's stack is still there
     * @param enrol  how the instructor prints the student's deploy command
     */
    public record Unreachable(String account, String error, String stack, String role, String check, String enrol) {
    }

    /**
     * One of the sentinel's messages about one event (README, "Sentinel"), built by
     * {@code dev.curfew.core.sentinel.SentinelNotices}: exactly one of the three is set.
     *
     * @param unknownOwner    the owner the message is for, when the roster does not list them and it came to the
     *                        instructor; else null
     * @param ownerTagMissing the owner tag's key, when the instance has none and the message came to the instructor;
     *                        else null
     */
    public record Notice(Welcome welcome, Limits limits, Interruption interruption, String unknownOwner,
                         String ownerTagMissing) {
    }

    /**
     * "Welcome to the course": when what a student creates is cleaned up, and how to keep something.
     *
     * @param where        "the class account Cloud Computing 101", "your own AWS account 111111111111 for the course
     *                     Cloud Computing 101"
     * @param curfew       the curfew's time of day ("18:00")
     * @param keepCommand  the command that keeps something until the end of the next day
     * @param longestKeep  how far ahead a keep tag may reach ("7d")
     * @param enrolAccount the student's own account the roster names, to enrol (only in a class account), or null
     * @param enrolCommand how the instructor prints the student's enrolment command, when {@code enrolAccount} is set
     */
    public record Welcome(String where, String ownerTag, String owner, String curfew, String zone, String keepTag,
                          String keepCommand, String longestKeep, String enrolAccount, String enrolCommand) {
    }

    /**
     * "Your instance is outside the course's launch limits".
     *
     * @param breaches  the breaches not told before, in words
     * @param done      what Curfew did ("stopped", "terminated"), or null
     * @param wouldDo   in dry-run, what it would do ("stop"), or null
     */
    public record Limits(String instance, String region, String type, List<String> breaches, String done,
                         String wouldDo) {
        /** Neither done nor would be done: the owner is asked to stop it. */
        public boolean ask() {
            return done == null && wouldDo == null;
        }
    }

    /**
     * "AWS is reclaiming your spot instance".
     *
     * @param becomes what AWS does to it ("terminated", "stopped", "hibernated")
     * @param at      when AWS gave the warning, in the course's time zone
     */
    public record Interruption(String instance, String type, String region, String becomes, String at) {
    }
}
