package dev.curfew.function.sweeper;

import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the handler the way Lambda does, from the shaded jar alone (its Lambda constructor, configuration from
 * environment variables), and prints the report: {@link ShadedJarIT} checks what it logged.
 */
public final class LogProbe {
    private LogProbe() {
    }

    public static void main(String[] args) throws Exception {
        SweeperHandler handler = new SweeperHandler();
        JsonMapper json = handler.getApplicationContext().getBean(JsonMapper.class);
        Map<String, Object> event = json.readValue(Files.readAllBytes(Path.of(args[0])),
                io.micronaut.core.type.Argument.mapOf(String.class, Object.class));
        Map<String, Object> out = handler.handleRequest(event, null);
        System.out.println("REPORT " + out.get("mode") + " " + out.get("decisions"));
        handler.close();
    }
}
