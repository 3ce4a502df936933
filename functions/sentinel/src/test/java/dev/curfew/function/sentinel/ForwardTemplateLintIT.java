package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * templates/forward-events.yaml (the other regions' events, forwarded to the sentinel's region) passes cfn-lint, and
 * forwards what the sentinel's rules in template.yaml take.
 */
class ForwardTemplateLintIT {
    static final Path ROOT = Events.dir().toAbsolutePath().getParent();

    @Test
    void cfnLintIsCleanAndTheForwardedEventsAreTheSentinels() throws Exception {
        Process p = new ProcessBuilder(System.getProperty("curfew.cfn-lint.command", "cfn-lint"),
                "templates/forward-events.yaml").directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isBlank();

        String forward = Files.readString(ROOT.resolve("templates/forward-events.yaml"));
        String main = Files.readString(ROOT.resolve("template.yaml"));
        for (String s : new String[] {"AWS API Call via CloudTrail", "EC2 Instance State-change Notification",
                "EC2 Spot Instance Interruption Warning", "RunInstances", "RequestSpotInstances", "RequestSpotFleet",
                "CreateFleet", "CreateVolume",
                "AttachVolume", "AllocateAddress", "CreateImage", "CreateSnapshot", "CreateSecurityGroup", "CreateBucket", "RunJobFlow"}) {
            assertThat(forward).as(s).contains("- " + s + "\n");
            assertThat(main).as(s).contains("- " + s + "\n");
        }
        assertThat(forward).contains("event-bus/default").contains("events:PutEvents");
    }
}
