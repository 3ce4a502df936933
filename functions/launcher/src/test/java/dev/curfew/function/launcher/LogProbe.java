package dev.curfew.function.launcher;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.micronaut.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the handler the way Lambda does, from the shaded jar alone (its Lambda constructor, configuration from
 * environment variables), and prints the answer: {@link ShadedJarIT} checks what it logged.
 */
public final class LogProbe {
    private LogProbe() {
    }

    public static void main(String[] args) throws Exception {
        LauncherHandler handler = new LauncherHandler();
        JsonMapper json = handler.getApplicationContext().getBean(JsonMapper.class);
        APIGatewayV2HTTPEvent event = json.readValue(Files.readAllBytes(Path.of(args[0])), APIGatewayV2HTTPEvent.class);
        APIGatewayV2HTTPResponse out = handler.handleRequest(event, null);
        System.out.println("ANSWER " + out.getStatusCode() + " " + out.getBody().replace('\n', ' '));
        handler.close();
    }
}
