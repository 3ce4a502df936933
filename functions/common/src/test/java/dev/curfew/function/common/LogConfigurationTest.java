package dev.curfew.function.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.log4j2.LambdaAppender;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.junit.jupiter.api.Test;

/** The functions' logging built in code: what the log4j2.xml it replaces configured, from the environment. */
class LogConfigurationTest {

    private static Configuration started(Map<String, String> env) {
        LogConfiguration.Lambda config = new LogConfiguration.Lambda(new LoggerContext("test"), env);
        config.initialize();
        config.start();
        return config;
    }

    @Test
    void textByDefaultThroughTheLambdaAppenderAtInfoWithTheSdkAndMicronautAtWarn() {
        Configuration config = started(Map.of());
        Appender lambda = config.getAppender("Lambda");
        assertThat(lambda).isInstanceOf(LambdaAppender.class);
        assertThat(lambda.getLayout()).isInstanceOfSatisfying(PatternLayout.class,
                p -> assertThat(p.getConversionPattern()).isEqualTo(LogConfiguration.PATTERN));
        assertThat(config.getRootLogger().getLevel()).isEqualTo(Level.INFO);
        assertThat(config.getRootLogger().getAppenders()).containsOnlyKeys("Lambda");
        assertThat(config.getLoggerConfig("software.amazon.awssdk.core.Retry").getLevel()).isEqualTo(Level.WARN);
        assertThat(config.getLoggerConfig("io.micronaut.context.DefaultBeanContext").getLevel()).isEqualTo(Level.WARN);
        assertThat(config.getLoggerConfig("io.micronaut").isAdditive()).as("reaches the root's appender").isTrue();
        assertThat(config.getLoggerConfig("dev.curfew.aws.AwsCloud").getLevel()).isEqualTo(Level.INFO);
        config.stop();
    }

    @Test
    void jsonWhenTheFunctionsLogFormatIsJsonAndTheLevelFromLambda() {
        Configuration config = started(Map.of("AWS_LAMBDA_LOG_FORMAT", "JSON", "AWS_LAMBDA_LOG_LEVEL", "DEBUG"));
        assertThat(config.getAppender("Lambda").getLayout()).isInstanceOf(JsonTemplateLayout.class);
        assertThat(config.getRootLogger().getLevel()).isEqualTo(Level.DEBUG);
        config.stop();
    }

    @Test
    void anUnknownLevelIsInfo() {
        Configuration config = started(Map.of("AWS_LAMBDA_LOG_LEVEL", "LOUD"));
        assertThat(config.getRootLogger().getLevel()).isEqualTo(Level.INFO);
        config.stop();
    }

    @Test
    void log4jUsesIt() {
        // log4j2.component.properties (main resources) names the factory
        Configuration running = ((LoggerContext) org.apache.logging.log4j.LogManager.getContext(false))
                .getConfiguration();
        assertThat(running).isInstanceOf(LogConfiguration.Lambda.class);
        assertThat((Object) running.getAppender("Lambda")).isInstanceOf(LambdaAppender.class);
    }

    @Test
    void aConfigurationFileAskedForByNameIsLeftToLog4j() throws Exception {
        LogConfiguration factory = new LogConfiguration();
        LoggerContext context = new LoggerContext("test");
        assertThat(factory.getConfiguration(context, "test", new java.net.URI("file:/etc/log4j2.xml"))).isNull();
        assertThat(factory.getConfiguration(context, org.apache.logging.log4j.core.config.ConfigurationSource.NULL_SOURCE))
                .isNull();
        assertThat(factory.getConfiguration(context, "test", (java.net.URI) null)).isInstanceOf(LogConfiguration.Lambda.class);
    }
}
