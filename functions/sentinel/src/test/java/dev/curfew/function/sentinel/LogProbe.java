package dev.curfew.function.sentinel;

import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the handler the way Lambda does, from the shaded jar alone (its Lambda constructor, configuration from
 * environment variables), and prints the answer: {@link ShadedJarIT} checks what it logged.
 */
public final class LogProbe {
    private LogProbe() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        SentinelHandler handler = new SentinelHandler();
        JsonMapper json = handler.getApplicationContext().getBean(JsonMapper.class);
        Map<String, Object> event = json.readValue(Files.readAllBytes(Path.of(args[0])), Map.class);
        Map<String, Object> out = handler.handleRequest(event, null);
        System.out.println("ANSWER " + out);
        handler.close();
    }
}
