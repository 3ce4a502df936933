package dev.curfew.core.notify;

import static dev.curfew.core.notify.Fixtures.CURFEW;
import static dev.curfew.core.notify.Fixtures.item;
import static dev.curfew.core.notify.Fixtures.policy;
import static dev.curfew.core.notify.Fixtures.roster;
import static dev.curfew.core.notify.Fixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.plan.Plan;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.report.SweepReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestsTest {
    final Policy enforce = policy("enforce");

    List<Item> warningPlan() {
        return List.of(
                item(row("ec2-instance", "i-0aaa", "web-1", "eu-west-1", "alice", "terminate", "would",
                        "dry-run: would terminate", 0.0114, "still running since before curfew")),
                item(row("ebs-volume", "vol-0aaa", null, "us-east-1", "alice", "snapshot-then-delete", "would",
                        null, 0.0109, "unattached 8 GiB gp3 volume")),
                item(row("s3-bucket", "alice-data", null, null, "alice", "empty", "would", null, null,
                        "bucket not empty"), Map.of("curfew:owner", "alice", "Project", "it's \"mine\""), Map.of()),
                item(row("ec2-instance", "i-0bbb", "<script>", "eu-west-1", "bob", "stop", "would", null, 0.0416,
                        "idle: CPU 0.5% < 5%")),
                item(row("ec2-instance", "i-0ccc", null, "eu-west-1", "mallory", "terminate", "would", null, 0.0114,
                        "still running since before curfew")),
                item(row("ec2-instance", "i-0ddd", null, "eu-west-1", null, "terminate", "would", null, 0.0114,
                        "still running since before curfew")),
                item(row("ec2-instance", "i-0eee", null, "eu-west-1", "alice", "skip", "none", null, 0.0114)),
                item(row("emr-cluster", "j-1ABC", null, "eu-west-1", "bob", "terminate", "would", null, null,
                        "waiting with no step for 2h")));
    }

    @Test
    void oneWarningPerOwnerAndTheRestToTheInstructor() {
        List<Digest> ds = Digests.warnings(enforce, CURFEW, warningPlan(), roster(), false);

        assertThat(ds).extracting(d -> d.to().owner()).containsExactly("alice", "bob", null);
        Digest alice = ds.get(0);
        assertThat(alice.lines()).extracting(Digest.Line::id).containsExactly("i-0aaa", "vol-0aaa", "alice-data");
        assertThat(alice.subject()).isEqualTo("[Cloud Computing 101] Curfew at 18:00: 3 of your resources will be "
                + "terminated, deleted or emptied (every object and version deleted)");
        assertThat(alice.when()).isEqualTo("Wed 25 Nov 18:00 Europe/Amsterdam");
        assertThat(alice.intro()).contains("At Wed 25 Nov 18:00 Europe/Amsterdam (in about 30m)");
        assertThat(alice.lines().get(0).verb()).isEqualTo("will be terminated");
        assertThat(alice.lines().get(0).cost()).isEqualTo("$0.0114/h, about $8.32/month");
        assertThat(alice.total()).isEqualTo("$16.28/month");

        Digest instructor = ds.get(2);
        assertThat(instructor.unknownOwners()).isTrue();
        assertThat(instructor.to().email()).isEqualTo("teacher@example.edu");
        assertThat(instructor.lines()).extracting(Digest.Line::id).containsExactly("i-0ccc", "i-0ddd");
        assertThat(instructor.subject()).contains("2 resources with no known owner will be terminated");
    }

    @Test
    void eachWarningLineCarriesTheOneCommandThatKeepsIt() {
        Digest alice = Digests.warnings(enforce, CURFEW, warningPlan(), roster(), false).get(0);
        assertThat(alice.lines().get(0).keep()).isEqualTo("aws ec2 create-tags --region eu-west-1 --resources i-0aaa "
                + "--tags Key=curfew:keep,Value=2026-11-25");
        assertThat(alice.lines().get(1).keep()).isEqualTo("aws ec2 create-tags --region us-east-1 --resources "
                + "vol-0aaa --tags Key=curfew:keep,Value=2026-11-25");
        // put-bucket-tagging replaces all tags: the bucket's own are kept, quoted for the shell
        assertThat(alice.lines().get(2).keep()).isEqualTo("aws s3api put-bucket-tagging --bucket alice-data "
                + "--tagging '{\"TagSet\":[{\"Key\":\"Project\",\"Value\":\"it'\\''s \\\"mine\\\"\"},"
                + "{\"Key\":\"curfew:owner\",\"Value\":\"alice\"},{\"Key\":\"curfew:keep\",\"Value\":\"2026-11-25\"}]}'");
        Digest bob = Digests.warnings(enforce, CURFEW, warningPlan(), roster(), false).get(1);
        assertThat(bob.lines().get(1).keep()).isEqualTo("aws emr add-tags --region eu-west-1 --resource-id j-1ABC "
                + "--tags curfew:keep=2026-11-25");
    }

    @Test
    void theKeepDateIsTheCurfewsDayInTheCourseZone() {
        // 00:30 in Amsterdam is still the previous day in UTC
        Policy late = dev.curfew.core.policy.PolicyLoader.load("time-zone: Europe/Amsterdam\ncurfew: \"00:30\"\n",
                "t");
        java.time.Instant curfew = java.time.Instant.parse("2026-11-24T23:30:00Z");
        Digest d = Digests.warnings(late, curfew, warningPlan(), roster(), false).get(0);
        assertThat(d.lines().get(0).keep()).endsWith("Value=2026-11-25");
    }

    @Test
    void resourcesAlreadyWarnedAboutThisCurfewAreLeftOut() {
        List<Item> items = List.of(
                item(row("ec2-instance", "i-0aaa", null, "eu-west-1", "alice", "terminate", "would", null, 0.01,
                        "f"), Map.of(Digests.WARNED_TAG, CURFEW.toString()), Map.of()),
                item(row("ec2-instance", "i-0new", null, "eu-west-1", "alice", "terminate", "would", null, 0.01,
                        "f"), Map.of(Digests.WARNED_TAG, CURFEW.minusSeconds(86400).toString()), Map.of()));
        List<Digest> ds = Digests.warnings(enforce, CURFEW, items, roster(), false);
        assertThat(ds).singleElement().satisfies(d -> assertThat(d.ids()).containsExactly("ec2-instance/i-0new"));
        assertThat(Digests.warnings(enforce, CURFEW, items.subList(0, 1), roster(), false)).isEmpty();
    }

    @Test
    void marksAndNoticesAreAnnouncedWithTheirDueTime() {
        List<Item> items = List.of(
                item(row("ebs-volume", "vol-1", null, "eu-west-1", "alice", "mark", "would", null, 0.0109, "unattached"),
                        Map.of(), Map.of("curfew:pending", "snapshot-then-delete@2026-11-26T17:00:00Z")),
                item(row("security-group", "sg-1", null, "eu-west-1", "alice", "notify", "none", null, null,
                        "opens SSH (22) to 0.0.0.0/0")));
        Digest d = Digests.warnings(enforce, CURFEW, items, roster(), false).get(0);
        assertThat(d.lines().get(0).verb()).isEqualTo("will be marked: snapshotted, then deleted at "
                + "Thu 26 Nov 18:00 Europe/Amsterdam unless kept");
        assertThat(d.lines().get(1).notice()).isTrue();
        assertThat(d.lines().get(1).keep()).isNull();
        assertThat(d.subject()).contains("1 of your resources will be marked for deletion");
    }

    @Test
    void aMarkWhoseDueTimeCannotBeReadIsKeptUntilTheEndOfThePassDayNotTheWallClocksDay() {
        // the pass ran on 1 March 2020 (a fixed clock); no readable curfew:pending tag was set
        java.time.Instant pass = java.time.Instant.parse("2020-03-01T17:00:00Z");
        List<Item> items = List.of(
                item(row("ebs-volume", "vol-1", null, "eu-west-1", "alice", "mark", "done", null, 0.0109, "unattached"),
                        Map.of(), Map.of()),
                item(row("ebs-volume", "vol-2", null, "eu-west-1", "alice", "mark", "done", null, 0.0109, "unattached"),
                        Map.of(), Map.of("curfew:pending", "snapshot-then-delete@2020-03-03T17:00:00Z")));

        Digest alice = Digests.afterAction(enforce, pass, items, roster(), false).get(0);

        assertThat(alice.lines().get(0).keep()).isEqualTo("aws ec2 create-tags --region eu-west-1 --resources vol-1 "
                + "--tags Key=curfew:keep,Value=2020-03-01");
        assertThat(alice.lines().get(1).keep()).isEqualTo("aws ec2 create-tags --region eu-west-1 --resources vol-2 "
                + "--tags Key=curfew:keep,Value=2020-03-03");
    }

    @Test
    void afterActionTellsWhatWasDoneAndHowToRestoreAVolume() {
        String restore = "aws ec2 create-volume --region us-east-1 --availability-zone us-east-1a --snapshot-id "
                + "snap-0123 --volume-type gp3";
        List<Item> items = List.of(
                item(row("ec2-instance", "i-0aaa", null, "eu-west-1", "alice", "terminate", "done", "terminated",
                        0.0114, "f")),
                item(row("ebs-volume", "vol-0aaa", null, "us-east-1", "alice", "snapshot-then-delete", "done",
                        "snapshot snap-0123 made, volume deleted; restore with: " + restore, 0.0109, "f")),
                item(row("ec2-instance", "i-0bbb", null, "eu-west-1", "bob", "terminate", "failed",
                        "protected: OperationNotPermitted", 0.0114, "f")),
                item(row("ec2-instance", "i-0ccc", null, "eu-west-1", "bob", "terminate", "already", null, 0.01, "f")),
                item(row("ec2-instance", "i-0ddd", null, "eu-west-1", "alice", "unmark", "done", null, 0.01)));

        List<Digest> ds = Digests.afterAction(enforce, CURFEW, items, roster(), false);

        assertThat(ds).extracting(d -> d.to().owner()).containsExactly("alice", "bob");
        Digest alice = ds.get(0);
        assertThat(alice.subject()).isEqualTo("[Cloud Computing 101] After curfew: 2 of your resources were "
                + "terminated or deleted");
        assertThat(alice.lines().get(1).restore()).isEqualTo(restore);
        assertThat(alice.lines().get(0).keep()).isNull();
        Digest bob = ds.get(1);
        assertThat(bob.lines()).singleElement().satisfies(l -> {
            assertThat(l.failed()).isTrue();
            assertThat(l.verb()).isEqualTo("could not be terminated");
            assertThat(l.detail()).contains("OperationNotPermitted");
        });
        assertThat(bob.subject()).endsWith("After curfew: 1 could not be");
    }

    @Test
    void aSnapshotsRestoreTagIsShown() {
        Item snap = item(row("ebs-snapshot", "snap-1", null, "eu-west-1", "alice", "delete", "would", null, 0.001,
                "old"), Map.of("curfew:restore", "aws ec2 create-volume --snapshot-id snap-1"), Map.of());
        assertThat(Digests.restoreOf(snap)).isEqualTo("aws ec2 create-volume --snapshot-id snap-1");
    }

    @Test
    void theInstructorsSummaryCountsPerStudent() {
        List<SweepReport.Row> rows = List.of(
                row("ec2-instance", "i-1", null, "eu-west-1", "alice", "terminate", "done", "terminated", 0.0114, "f"),
                row("ebs-volume", "vol-1", null, "eu-west-1", "alice", "snapshot-then-delete", "failed", "boom",
                        0.0109, "f"),
                row("ec2-instance", "i-2", null, "eu-west-1", "Bob", "stop", "done", "stopped", 0.0416, "idle"),
                row("ec2-instance", "i-3", null, "eu-west-1", "zed", "terminate", "done", "terminated", 0.0114, "f"),
                row("ec2-instance", "i-4", null, "eu-west-1", "carol", "skip", "none", null, 0.0114));
        SweepReport report = Fixtures.report("enforce", rows, Map.of("ap-south-1", "AuthFailure: no"),
                new Plan.Breaker(false, 4, 100));
        List<Delivery> deliveries = List.of(new Delivery("bob", "after-action", "email", "bob@example.edu", 1,
                Delivery.Status.FAILED, "SES refused (MessageRejected: Email address not verified)"));

        Digest s = Digests.summary(enforce, report, rows.stream().map(Fixtures::item).toList(), roster(),
                Digests.instructor(enforce), deliveries);

        assertThat(s.to().email()).isEqualTo("teacher@example.edu");
        Digest.Summary sum = s.summary();
        assertThat(sum.students()).extracting(Digest.Student::owner).containsExactly("alice", "Bob", "zed");
        assertThat(sum.students().get(0)).isEqualTo(new Digest.Student("alice", "Alice Liddell", 2, 1, 1, "$8.32",
                true));
        assertThat(sum.students().get(2).known()).isFalse();
        assertThat(sum.found()).isEqualTo("4");
        assertThat(sum.done()).isEqualTo("3");
        assertThat(sum.errors()).isEqualTo("1");
        // two terminations at their cost, and bob's stop at its compute (t3.micro, $7.59 a month)
        assertThat(sum.saved()).isEqualTo("$24.24");
        assertThat(sum.regionErrors()).containsExactly("ap-south-1: AuthFailure: no");
        assertThat(sum.deliveryProblems()).singleElement().asString().contains("bob by email");
        assertThat(sum.breaker()).startsWith("not tripped");
        assertThat(s.subject()).isEqualTo("[Cloud Computing 101] Curfew summary for Wed 25 Nov 2026: 4 found, 3 done, "
                + "1 error, about $24.24/month saved");
    }

    @Test
    void aTrippedBreakerIsInTheSummarysSubject() {
        SweepReport report = Fixtures.report("enforce", List.of(), Map.of(), new Plan.Breaker(true, 140, 100));
        Digest s = Digests.summary(enforce, report, List.of(), roster(), Digests.instructor(enforce), List.of());
        assertThat(s.subject()).endsWith("CIRCUIT BREAKER TRIPPED");
        assertThat(s.summary().breakerTripped()).isTrue();
        assertThat(s.summary().breaker()).contains("140 destructive actions planned, the limit is 100");
    }

    @Test
    void inDryRunTheWordsSaySo() {
        Policy dry = policy("dry-run");
        Digest w = Digests.warnings(dry, CURFEW, warningPlan(), roster(), true).get(0);
        assertThat(w.subject()).startsWith("[Cloud Computing 101] [dry run] ");
        assertThat(w.lines().get(0).verb()).isEqualTo("would be terminated");
        List<Item> items = List.of(item(row("ec2-instance", "i-1", null, "eu-west-1", "alice", "terminate", "would",
                null, 0.01, "f")));
        assertThat(Digests.afterAction(dry, CURFEW, items, roster(), true).get(0).lines().get(0).verb())
                .isEqualTo("would have been terminated");
        assertThat(Digests.afterAction(dry, CURFEW, items, roster(), false)).isEmpty();
    }
}
