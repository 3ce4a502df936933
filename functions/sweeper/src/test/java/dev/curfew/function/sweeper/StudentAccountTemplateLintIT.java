package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** templates/student-account.yaml (what a student deploys in their own account) passes cfn-lint cleanly. */
class StudentAccountTemplateLintIT {

    @Test
    void cfnLintIsClean() throws Exception {
        Process p = new ProcessBuilder(System.getProperty("curfew.cfn-lint.command", "cfn-lint"),
                "templates/student-account.yaml").directory(TemplateTest.ROOT.toFile()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isBlank();
    }
}
