package dev.curfew.cli;

import static dev.curfew.aws.testing.Seed.tags;
import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.aws.testing.Seed;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/** {@code ./curfew report --html FILE}: the plan, and the class page saved locally; a bad path is named. */
class ReportIT {
    static final String EU = "eu-west-1";
    MotoServer moto = MotoServer.get();
    AwsClients clients;
    Seed seed;
    String lab;
    String now = Instant.now().plus(Duration.ofHours(3)).toString();
    String out;
    String err;

    @BeforeEach
    void seed() {
        moto.reset();
        clients = new AwsClients(moto.settings(EU));
        seed = new Seed(clients);
        lab = seed.instance(EU, tags("Name", "lab <img src=x>", "curfew:owner", "alice"));
    }

    @AfterEach
    void close() {
        clients.close();
    }

    private int curfew(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void reportSavesTheClassPageAndChangesNothing() throws Exception {
        Path dir = Files.createTempDirectory("curfew-report");
        Path roster = Files.writeString(dir.resolve("roster.csv"), "owner,name,email\nalice,Alice Liddell,"
                + "alice@example.edu\nbob,Bob,bob@example.edu\n");
        Path page = dir.resolve("class.html");

        int code = curfew("report", "--html", page.toString(), "--endpoint-url", moto.endpoint(), "--region", EU,
                "--regions", EU, "--now", now, "--roster", roster.toString());

        assertThat(code).as(err).isZero();
        assertThat(out).contains("Dry-run: nothing was changed");
        assertThat(err).contains("the class page is in " + page);
        String html = Files.readString(page);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<b>Alice Liddell</b>").contains("<b>Bob</b>")
                .contains(lab).contains("lab &lt;img src=x&gt;").doesNotContain("<img").contains("Dry run:")
                .contains("This sweep&#39;s figure only");
        assertThat(seed.state(EU, lab)).isEqualTo(InstanceStateName.RUNNING);
    }

    @Test
    void aBadPathIsNamedBeforeAnythingIsRead() throws Exception {
        assertThat(curfew("report", "--html", "/no/such/dir/class.html", "--endpoint-url", moto.endpoint()))
                .isEqualTo(2);
        assertThat(err).contains("--html /no/such/dir/class.html: the directory /no/such/dir does not exist");
        assertThat(out).doesNotContain("Dry-run");

        Path dir = Files.createTempDirectory("curfew-report");
        assertThat(curfew("report", "--html", dir.toString(), "--endpoint-url", moto.endpoint())).isEqualTo(2);
        assertThat(err).contains("--html " + dir + " is a directory");

        assertThat(curfew("report", "--endpoint-url", moto.endpoint())).isEqualTo(2);
        assertThat(err).contains("Missing required option: '--html=FILE'");

        assertThat(curfew("report", "--html", dir.resolve("x.html").toString(), "--accounts", "all"))
                .isEqualTo(2);
        assertThat(err).contains("--accounts all: the class page of ./curfew report covers one account");
    }
}
