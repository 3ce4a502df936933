package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.PolicySource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

/**
 * Keeps template.yaml, the code and events/ in step: every IAM action the code declares is granted, no action
 * is granted that the code does not declare, every handler the template names exists, every environment variable
 * the code reads is set, and every sample event parses.
 */
class TemplateTest {
    static final Path ROOT = Path.of(System.getProperty("curfew.events-dir", "../../events")).getParent();
    static final Pattern ACTION = Pattern.compile("^\\s*-\\s*\"?([a-z0-9-]+:[A-Za-z0-9*]+)\"?\\s*(#.*)?$",
            Pattern.MULTILINE);

    static String template() throws IOException {
        return Files.readString(ROOT.resolve("template.yaml"));
    }

    static List<String> grantedActions(String template) {
        List<String> out = new ArrayList<>();
        Matcher m = ACTION.matcher(template);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void everyActionTheCodeCallsIsGrantedAndNothingMore() throws IOException {
        String t = template();
        List<String> needed = AwsCloud.iamActions().stream()
                .filter(a -> !a.equals("sts:GetCallerIdentity")) // needs no permission
                .toList();
        List<String> granted = grantedActions(t);

        assertThat(granted).containsAll(needed);
        assertThat(granted).allSatisfy(a -> assertThat(AwsCloud.iamActions()).as("granted but never called")
                .contains(a));
    }

    @Test
    void destructiveEc2ActionsAreScopedToThisAccountsInstances() throws IOException {
        String t = template();
        int stop = t.indexOf("- ec2:StopInstances");
        int resource = t.indexOf("Resource", stop);
        assertThat(t.substring(resource, resource + 120)).contains("instance/*").contains("AWS::AccountId");
    }

    @Test
    void everyHandlerNamedInTheTemplateExists() throws Exception {
        Matcher m = Pattern.compile("Handler:\\s*([\\w.]+)").matcher(template());
        List<String> handlers = new ArrayList<>();
        while (m.find()) {
            handlers.add(m.group(1));
        }
        assertThat(handlers).isNotEmpty();
        for (String h : handlers) {
            Class<?> c = Class.forName(h);
            assertThat(com.amazonaws.services.lambda.runtime.RequestHandler.class).isAssignableFrom(c);
        }
    }

    @Test
    void everyPolicyEnvironmentVariableIsSetByTheTemplate() throws IOException {
        String t = template();
        for (String var : PolicySource.ENV_OVERRIDES.keySet()) {
            assertThat(t).as(var).contains(var + ":");
        }
        assertThat(t).contains("CURFEW_POLICY:").contains("CURFEW_STACK_NAME:");
    }

    @Test
    void aFreshDeployIsADryRun() throws IOException {
        String t = template();
        int mode = t.indexOf("\n  Mode:");
        assertThat(t.substring(mode, t.indexOf("AllowedValues", mode))).contains("Default: dry-run");
    }

    @Test
    void everySampleEventParsesAsAScheduledEvent() throws Exception {
        try (var ctx = io.micronaut.context.ApplicationContext.run();
             Stream<Path> files = Files.list(ROOT.resolve("events"))) {
            JsonMapper json = ctx.getBean(JsonMapper.class);
            List<Path> all = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(all).isNotEmpty();
            for (Path p : all) {
                var e = json.readValue(Files.readAllBytes(p),
                        com.amazonaws.services.lambda.runtime.events.ScheduledEvent.class);
                assertThat(SweeperHandler.passOf(e)).as(p.toString()).isIn("curfew", "idle-check");
            }
        }
    }
}
