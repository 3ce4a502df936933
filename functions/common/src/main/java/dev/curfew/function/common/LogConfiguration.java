package dev.curfew.function.common;

import com.amazonaws.services.lambda.runtime.log4j2.LambdaAppender;
import java.net.URI;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;

/**
 * Every function's logging, built in code (log4j2.component.properties names this factory, so it is used in any JVM
 * whose class path holds functions/common; another JVM sets {@code -Dlog4j.configurationFile} to use its own file, as
 * bench/run does): the Lambda appender,
 * plain text by default, JSON when the function's log format is JSON ({@code AWS_LAMBDA_LOG_FORMAT}), the root level
 * from {@code AWS_LAMBDA_LOG_LEVEL} (INFO by default), the SDK and Micronaut at WARN.
 *
 * <p>Why not a log4j2.xml: reading one starts the JDK's XML parser (about 160 classes) and builds each element through
 * Log4j's plugin reflection, a fifth of Log4j's start at each cold start; this builds the same appender and layout
 * directly. Only the layout in use is built: the JSON template layout is a few hundred classes of its own.
 */
public final class LogConfiguration extends ConfigurationFactory {
    /** The text layout's pattern (the date in the JVM's zone, UTC on Lambda). */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %X{AWSRequestId} %-5p %c{1} - %m%n";
    /** The JSON layout's event template (functions/common's resources). */
    static final String JSON_TEMPLATE = "classpath:curfew-lambda-json-layout.json";

    @Override
    protected String[] getSupportedTypes() {
        return new String[] {"*"};
    }

    /** @return null: a configuration file was asked for by name, so Log4j's factory for its format reads it */
    @Override
    public Configuration getConfiguration(LoggerContext context, ConfigurationSource source) {
        return null;
    }

    /** @return the functions' configuration, unless a configuration file was asked for (then null) */
    @Override
    public Configuration getConfiguration(LoggerContext context, String name, URI location) {
        return location == null ? new Lambda(context, System.getenv()) : null;
    }

    /** The configuration itself, from the function's environment. */
    static final class Lambda extends AbstractConfiguration {
        private final boolean json;
        private final Level level;

        Lambda(LoggerContext context, Map<String, String> env) {
            super(context, ConfigurationSource.NULL_SOURCE);
            setName("curfew-lambda");
            this.json = "JSON".equalsIgnoreCase(env.get("AWS_LAMBDA_LOG_FORMAT"));
            this.level = Level.toLevel(env.get("AWS_LAMBDA_LOG_LEVEL"), Level.INFO);
        }

        boolean json() {
            return json;
        }

        @Override
        protected void doConfigure() {
            Layout<?> layout = json ? JsonLayout.of(this) : PatternLayout.newBuilder().withConfiguration(this)
                    .withPattern(PATTERN).build();
            Appender lambda = LambdaAppender.newBuilder().setName("Lambda").setLayout(layout).setConfiguration(this)
                    .build();
            lambda.start();
            addAppender(lambda);
            LoggerConfig root = getRootLogger();
            root.setLevel(level);
            root.addAppender(lambda, null, null);
            addLogger("software.amazon.awssdk", new LoggerConfig("software.amazon.awssdk", Level.WARN, true));
            addLogger("io.micronaut", new LoggerConfig("io.micronaut", Level.WARN, true));
        }
    }

    /** Apart, so that the JSON template layout's classes load only when the log format is JSON. */
    private static final class JsonLayout {
        static Layout<?> of(Configuration configuration) {
            return JsonTemplateLayout.newBuilder().setConfiguration(configuration).setEventTemplateUri(JSON_TEMPLATE)
                    .build();
        }
    }
}
