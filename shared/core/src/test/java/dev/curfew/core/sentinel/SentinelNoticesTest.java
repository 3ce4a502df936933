package dev.curfew.core.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.identity.AwsIdentity;
import dev.curfew.core.notify.Digest;
import dev.curfew.core.notify.Message;
import dev.curfew.core.notify.Renderer;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.notify.RosterParser;
import dev.curfew.core.policy.Mode;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.testing.Policies;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who the sentinel tells what, and how it reads on every channel: no network, fixed times. */
class SentinelNoticesTest {
    static final Instant AT = Instant.parse("2026-11-25T10:00:00Z"); // 11:00 in Amsterdam
    static final Policy POLICY = Policies.course("""
            mode: enforce
            launcher: {allowed-types: [t3.micro], max-running-per-student: 1}
            sentinel: {action: stop}
            notifications: {instructor: {name: Dr Who, email: teacher@example.edu, slack: U0TEACHER}}
            """);
    static final Roster ROSTER = RosterParser.parse("""
            owner,name,email,slack,account
            alice,Alice Liddell,alice@example.edu,U01ALICE,111111111111
            bob,Bob <b>Builder</b>,bob@example.edu,,
            """, "ssm:/curfew/roster");
    static final AccountTarget CLASS = new AccountTarget("123456789012", null, AccountTarget.Source.HOME);

    static SentinelEvent.ApiCall run(String account) {
        return new SentinelEvent.ApiCall("e-1", account, "eu-west-1", AT, "aws.ec2", "RunInstances", null,
                AwsIdentity.of("arn:aws:iam::" + account + ":user/alice"), null, List.of(new Created("ec2", "i-1")));
    }

    static LaunchCheck.Verdict verdict(Policy p, String owner, int running) {
        return LaunchCheck.check(p, "i-0big", "eu-west-1", "m5.large", false, Map.of(), owner, running, AT);
    }

    @Test
    void aMessageGoesToTheOwnerTheRosterKnowsElseToTheInstructorSayingWhy() {
        assertThat(SentinelNotices.recipient(POLICY, "ALICE", ROSTER)).satisfies(r -> {
            assertThat(r.contact().email()).isEqualTo("alice@example.edu");
            assertThat(r.to()).isEqualTo("ALICE");
            assertThat(r.note()).isNull();
        });
        assertThat(SentinelNotices.recipient(POLICY, "zed", ROSTER)).satisfies(r -> {
            assertThat(r.contact().instructor()).isTrue();
            assertThat(r.contact().email()).isEqualTo("teacher@example.edu");
            assertThat(r.to()).isEqualTo("zed");
            assertThat(r.note()).isEqualTo("zed is not in the roster: to the instructor");
        });
        assertThat(SentinelNotices.recipient(POLICY, null, ROSTER)).satisfies(r -> {
            assertThat(r.contact().instructor()).isTrue();
            assertThat(r.to()).isEqualTo("instructor");
            assertThat(r.note()).isNull();
        });
        assertThat(SentinelNotices.recipient(POLICY, "zed", null)).as("not looked up: only logged").satisfies(r -> {
            assertThat(r.contact().owner()).isEqualTo("zed");
            assertThat(r.contact().email()).isNull();
            assertThat(r.note()).isNull();
        });
    }

    @Test
    void theWelcomeSaysWhenThingsAreCleanedUpHowToKeepOneAndHowToEnrolAnOwnAccount() {
        Digest d = SentinelNotices.welcome(POLICY, SentinelNotices.recipient(POLICY, "alice", ROSTER),
                run("123456789012"), CLASS, List.of("i-1"));
        Message m = Renderer.render(d);

        assertThat(m.subject()).isEqualTo("Welcome to Cloud Computing 101: Curfew cleans up at 18:00");
        assertThat(m.text()).contains("Hello Alice Liddell,", "the class account Cloud Computing 101",
                "tagged curfew:owner=alice", "curfew, 18:00 (Europe/Amsterdam)", "curfew:keep=YYYY-MM-DD",
                "aws ec2 create-tags --region eu-west-1 --resources i-1 --tags Key=curfew:keep,Value=2026-11-26",
                "Your own AWS account 111111111111", "./curfew enroll --student alice", "nothing to edit");
        assertThat(m.slack()).singleElement().satisfies(s -> assertThat(s.get("text").toString())
                .startsWith("<@U01ALICE> Welcome to Cloud Computing 101"));
        assertThat(Renderer.renderDirect(d).slack().get(0).get("text").toString()).doesNotContain("<@");
        assertThat(m.html()).contains("./curfew enroll --student alice");

        AccountTarget own = new AccountTarget("111111111111", "alice", AccountTarget.Source.ROSTER);
        String there = Renderer.render(SentinelNotices.welcome(POLICY, SentinelNotices.recipient(POLICY, "alice",
                ROSTER), run("111111111111"), own, List.of())).text();
        assertThat(there).contains("your own AWS account 111111111111 for the course Cloud Computing 101",
                "--resources <id>").doesNotContain("./curfew enroll");
    }

    @Test
    void anInstanceOutsideTheLimitsNamesTheBreachesToTellAndWhatCurfewDid() {
        LaunchCheck.Verdict stop = verdict(POLICY, "alice", 2);
        assertThat(stop.kinds()).containsExactly("cap", "type");
        assertThat(stop.claim()).isEqualTo("cap-and-type");
        List<String> typeOnly = stop.breaches(List.of(LaunchCheck.TYPE));
        assertThat(typeOnly).singleElement().asString().startsWith("instance type m5.large is not allowed");

        String text = Renderer.render(SentinelNotices.limits(POLICY, SentinelNotices.recipient(POLICY, "alice",
                ROSTER), "i-0big", "eu-west-1", "m5.large", stop, typeOnly, AT)).text();
        assertThat(text).contains("Your instance i-0big in eu-west-1 (m5.large) is outside the course's launch limits",
                "m5.large is not allowed (allowed: t3.micro)", "Curfew stopped it.")
                .as("a kind told before is not told again").doesNotContain("running instances");

        Policy dry = POLICY.withMode(Mode.DRY_RUN);
        Digest d = SentinelNotices.limits(dry, SentinelNotices.recipient(dry, "alice", null), "i-0big", "eu-west-1",
                "m5.large", verdict(dry, "alice", 2), verdict(dry, "alice", 2).breaches(), AT);
        assertThat(d.dryRun()).isTrue();
        assertThat(Renderer.render(d).text()).contains("alice has 2 running instances in eu-west-1 (the course "
                + "allows 1)", "Curfew is in dry-run: it would stop it.", "Hello alice,");

        Policy notify = Policies.course("launcher: {allowed-types: [t3.micro]}\n");
        LaunchCheck.Verdict told = verdict(notify, null, 0);
        Message m = Renderer.render(SentinelNotices.limits(notify, SentinelNotices.recipient(notify, null, ROSTER),
                "i-0big", "eu-west-1", "m5.large", told, told.breaches(), AT));
        assertThat(m.text()).contains("Please stop or terminate it, or ask your instructor.",
                "The instance has no curfew:owner tag, so this message came to you.");
    }

    @Test
    void aSpotInterruptionTellsWhatAwsDoesAndWhenInTheCoursesTime() {
        SentinelEvent.SpotInterruption s = new SentinelEvent.SpotInterruption("e-2", "123456789012", "eu-west-1",
                Instant.parse("2026-11-25T14:00:00Z"), "i-0spot", "hibernate");
        Digest d = SentinelNotices.interruption(POLICY, SentinelNotices.recipient(POLICY, "zed", ROSTER), s,
                "t3.micro");
        Message m = Renderer.render(d);

        assertThat(m.subject()).isEqualTo("Your spot instance i-0spot is being reclaimed");
        assertThat(m.text()).contains("AWS is reclaiming your spot instance i-0spot (t3.micro) in eu-west-1: it will "
                + "be hibernated about two minutes after Wed 25 Nov 15:00 Europe/Amsterdam", "Save your work now",
                "This message is for zed, whom the roster does not list, so it came to you.", "Hello Dr Who,");
        assertThat(m.slack().get(0).get("text").toString()).startsWith("<@U0TEACHER> ");
        assertThat(d.ids()).containsExactly("i-0spot");
    }

    @Test
    void whatAStudentChoseIsEscapedInHtmlAndSlack() {
        Digest d = SentinelNotices.interruption(POLICY, SentinelNotices.recipient(POLICY, "bob", ROSTER),
                new SentinelEvent.SpotInterruption("e-3", "123456789012", "eu-west-1", AT, "i-0spot", "terminate"),
                "t3.micro<script>");
        Message m = Renderer.render(d);
        assertThat(m.html()).contains("Bob &lt;b&gt;Builder&lt;/b&gt;", "t3.micro&lt;script&gt;")
                .doesNotContain("<script>");
        assertThat(dev.curfew.core.report.Json.write(m.slack())).contains("t3.micro&lt;script&gt;")
                .doesNotContain("<script>");
        assertThat(m.text()).contains("it will be terminated about two minutes after");
    }
}
