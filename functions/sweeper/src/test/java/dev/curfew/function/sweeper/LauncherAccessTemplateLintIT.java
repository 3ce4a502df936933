package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** templates/launcher-access.yaml (who may call the launcher's URL from another account) passes cfn-lint cleanly. */
class LauncherAccessTemplateLintIT {

    @Test
    void cfnLintIsClean() throws Exception {
        Process p = new ProcessBuilder(System.getProperty("curfew.cfn-lint.command", "cfn-lint"),
                LauncherAccessTemplateTest.ACCESS).directory(TemplateTest.ROOT.toFile()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isBlank();
    }
}
