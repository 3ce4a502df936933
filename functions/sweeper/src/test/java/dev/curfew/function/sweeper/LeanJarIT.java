package dev.curfew.function.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What the deployment jar leaves out so that a cold start loads less (functions/pom.xml's shade filters; README,
 * "A lean cold start"): Micronaut loads every bean definition and every introspection a jar lists. The functions
 * parent builds every function's jar alike, so the sweeper's stands for all three; each ShadedJarIT runs its jar.
 */
class LeanJarIT {
    private static final String BEANS = "META-INF/micronaut/io.micronaut.inject.BeanDefinitionReference/";
    private static final String INTROSPECTIONS = "META-INF/micronaut/io.micronaut.core.beans.BeanIntrospectionReference/";

    private static List<String> entries() throws Exception {
        Path jar = Path.of(System.getProperty("curfew.shaded-jar", "target/curfew-sweeper.jar"));
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    void onlyTheLambdaEventsTheFunctionsTakeHaveIntrospections() throws Exception {
        List<String> events = entries().stream().filter(e -> e.startsWith(INTROSPECTIONS + "io.micronaut.aws.lambda"))
                .map(e -> e.substring(e.lastIndexOf('_') + 1)).toList();
        assertThat(events).hasSize(8).contains("APIGatewayV2HTTPEvent$Introspection",
                "APIGatewayV2HTTPResponse$Introspection").doesNotContain("ScheduledEvent$Introspection");
        assertThat(entries()).as("the serializer Lambda's runtime reads events with")
                .contains("META-INF/services/com.amazonaws.services.lambda.runtime.CustomPojoSerializer")
                .as("no Joda-Time serde: the scheduled event is read as a map")
                .doesNotContain(BEANS + "io.micronaut.aws.lambda.events.serde.$JodaDateTimeSerde$Definition");
    }

    @Test
    void noBeansOfMicronautsHttpOrSchedulingModules() throws Exception {
        assertThat(entries()).filteredOn(e -> e.startsWith(BEANS + "io.micronaut.http.")
                || e.startsWith(BEANS + "io.micronaut.runtime.http.") || e.startsWith(BEANS + "io.micronaut.scheduling."))
                .isEmpty();
        assertThat(entries()).as("the functions' own beans stay").contains(
                BEANS + "dev.curfew.function.sweeper.$SweepService$Definition");
        assertThat(entries()).as("Log4j is configured in code").contains("log4j2.component.properties");
    }
}
