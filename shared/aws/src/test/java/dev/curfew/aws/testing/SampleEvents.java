package dev.curfew.aws.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sample events of events/ (real AWS shapes) that the handler tests feed their function: the folder is
 * {@code -Dcurfew.events-dir}, or {@code ../../events} from a function's module. Each function's tests extend it
 * with the event type their handler takes.
 */
public class SampleEvents {
    protected SampleEvents() {
    }

    public static Path dir() {
        return Path.of(System.getProperty("curfew.events-dir", "../../events"));
    }

    public static byte[] bytes(String file) throws IOException {
        return Files.readAllBytes(dir().resolve(file));
    }

    public static String text(String file) throws IOException {
        return Files.readString(dir().resolve(file), StandardCharsets.UTF_8);
    }
}
