package dev.curfew.function.sweeper;

import dev.curfew.core.launch.JsonBody;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** What a piece of code prints to standard output (where Lambda takes each line as one log event). */
final class Stdout {
    private Stdout() {
    }

    interface Run {
        void run() throws Exception;
    }

    /** Runs {@code r} with standard output captured, and returns what it printed, line by line. */
    static List<String> capture(Run r) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(original);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1)).subList(0, text.split("\n", -1)
                .length - (text.endsWith("\n") ? 1 : 0));
    }

    /** The lines that are a JSON object alone, parsed (CloudWatch Logs reads only such an event as JSON). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> jsonLines(List<String> lines) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("{")) {
                out.add((Map<String, Object>) JsonBody.parse(l, 8 << 20));
            }
        }
        return out;
    }
}
