package dev.curfew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The README's demo command, run non-interactively: it starts its own emulator and cleans up after itself. */
class DemoIT {

    @Test
    void demoRunsTheWholeStoryOnItsOwnEmulator() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        java.nio.file.Path page = java.nio.file.Path.of("target", "demo-class-page.html").toAbsolutePath();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "demo",
                "--moto", System.getProperty("curfew.moto.command", "moto_server"), "--html", page.toString());
        String o = out.toString();

        assertThat(code).as(o + err).isZero();
        overBudget(o);
        assertThat(o).contains("1. The warning", "2. Plan (dry-run)", "3. The curfew sweep (enforce)",
                "4. The next evening", "5. What is left in the account", "Emulator stopped");
        // the warning: one message per student with something at stake, the keep command under each resource
        assertThat(o).contains("- to Alice <alice@students.example.edu>: [Cloud Computing 101 (demo)] Curfew at 18:00")
                .contains("Hello Alice,").contains("aws ec2 create-tags --region eu-west-1 --resources i-")
                .contains("Key=curfew:keep,Value=");
        assertThat(o).doesNotContain("- to Carol").doesNotContain("- to Frank");
        assertThat(o).containsPattern("alice: scratch-data.* +eu-west-1 +deleted; snapshot snap-\\w+ keeps it "
                + "restorable");
        // marked during the lesson (on the emulator's real clock, which dates its snapshots), due at curfew
        assertThat(o.substring(o.indexOf("0. During the lesson"), o.indexOf("1. The warning")))
                .containsPattern("vol-\\w+ \\(scratch-data\\): mark - done: unattached 20 GiB gp3 volume");
        assertThat(o.substring(o.indexOf("3. The curfew sweep"), o.indexOf("4. The next evening")))
                .containsPattern("ebs-volume +vol-\\w+ \\(scratch-data\\) .* snapshot-then-delete - done");
        assertThat(o).containsPattern("bob: lab-bob-results bucket.* +eu-west-1 +emptied");
        assertThat(o).containsPattern("instructor: the SAM deployment bucket +eu-west-1 +1 objects");
        assertThat(o).containsPattern("\\(no owner tag\\): Elastic IP, not associated +us-east-1 +released");
        assertThat(o).contains("Would save: $").contains("Saved: $");
        assertThat(o).containsPattern("carol: thesis-data.* +eu-west-1 +running");
        assertThat(o).containsPattern("frank: db-server.* +us-east-1 +running");
        assertThat(o).containsPattern("instructor: bastion.* +eu-west-1 +running");
        assertThat(o).containsPattern("bob: ml-training.* +eu-west-1 +terminated");
        assertThat(o).containsPattern("dave: persistent spot request +us-east-1 +terminated");
        assertThat(o).contains("protected: termination protection is on");
        // every kind of the registry left its sample, and the demo says what is left of it
        String left = o.substring(o.indexOf("5. What is left"));
        for (dev.curfew.aws.KindAdapter a : dev.curfew.aws.KindAdapter.ALL) {
            var s = dev.curfew.aws.samples.Samples.of(a.kind());
            if (s != null) {
                assertThat(left).as(a.kind().wireName()).containsPattern(java.util.regex.Pattern.quote(s.label())
                        + " +" + s.region() + " +(?!\\?)\\S");
            }
        }
        // two students' own accounts next to the class account: only what they made since enrolling is touched
        assertThat(o.substring(o.indexOf("2. Plan (dry-run)"), o.indexOf("3. The curfew sweep")))
                .contains("== account 123456789012, class account: swept",
                        "== account 111111111111 (hana), student's own account: swept",
                        "== account 222222222222 (ivan), student's own account: swept", "3 accounts: 3 swept")
                .contains("out of scope: created ");
        assertThat(o).containsPattern("hana: her own server, from before she enrolled +eu-west-1 +running");
        assertThat(o).containsPattern("hana: lab, launched in the lesson +eu-west-1 +terminated");
        assertThat(o).containsPattern("ivan: lab, launched in the lesson +us-east-1 +terminated");
        // the class page of the curfew sweep: what runs, what is marked and when it goes, what was done, saved
        assertThat(o).contains("The class page of this sweep").contains(page.toString());
        String html;
        try {
            html = java.nio.file.Files.readString(page);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(html).contains("Cloud Computing 101 (demo)").contains("<b>Hana</b>").contains("<b>Ivan</b>")
                .contains("<b>thesis-data</b>").contains("<b>lab-bob-results</b>")
                .containsPattern("emptied \\(every object and version deleted\\) at \\w{3} \\d+ \\w{3} 18:00 "
                        + "Europe/Amsterdam unless kept")
                .contains("terminated").contains("Money saved by week").doesNotContain("<script");
        // spend against the budgets ($5.00 a week, $20.00 for the course): in the messages and on the page
        assertThat(o.substring(o.indexOf("1. The warning"), o.indexOf("2. Plan (dry-run)")))
                .containsPattern("Your spending this week \\(since \\w{3} \\d+ \\w{3}\\): \\$\\d+\\.\\d\\d of your "
                        + "\\$5\\.00; \\$\\d+\\.\\d\\d of your \\$20\\.00 for the course");
        assertThat(html).contains("<th>This week / budget</th>").containsPattern("<b>\\$\\d+\\.\\d\\d</b> of \\$5\\.00")
                .containsPattern("<b>Kim</b>.*<b>\\$2\\d\\.\\d\\d</b> of \\$20\\.00 <span class=\"bad\">over "
                        + "budget</span>").contains("<b>1</b><span>over budget</span>")
                .contains("% of the course&#39;s budget");
    }

    /** The student over budget: kim's instance is stopped (never terminated) during the lesson, she is told once. */
    static void overBudget(String o) {
        String lesson = o.substring(o.indexOf("0. During the lesson"), o.indexOf("1. The warning"));
        assertThat(lesson).containsPattern("i-\\w+ \\(lab-notebook, kim's\\): stop - done: over budget: this week: "
                        + "\\$\\d+\\.\\d\\d of your \\$5\\.00; the course so far: \\$2\\d\\.\\d\\d of your \\$20\\.00")
                .doesNotContainPattern("kim's\\): terminate")
                .contains("---- to Kim ----").contains("You are over your budget")
                .contains("The launcher now answers kim's launches: 403 over-budget {");
    }
}
