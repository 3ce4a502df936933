package dev.curfew.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deployment artifacts template.yaml names: each function's {@code CodeUri} and each layer's
 * {@code ContentUri}, with their sizes. A function added to the template is measured without touching the bench.
 */
public final class Artifacts {
    private static final Pattern RESOURCE = Pattern.compile("^  ([A-Za-z0-9]+):\\s*$");
    private static final Pattern TYPE = Pattern.compile("^\\s+Type:\\s*(AWS::Serverless::\\w+)\\s*$");
    private static final Pattern URI = Pattern.compile("^\\s+(CodeUri|ContentUri):\\s*(\\S+)\\s*(#.*)?$");

    private Artifacts() {
    }

    /** One artifact: the template resource, its type, the file, and its size in bytes (-1: not built). */
    public record Artifact(String resource, String type, String path, long bytes) {
        public double mib() {
            return bytes / (1024.0 * 1024.0);
        }
    }

    public static List<Artifact> of(Path template) throws IOException {
        Path root = template.toAbsolutePath().getParent();
        List<Artifact> out = new ArrayList<>();
        boolean inResources = false;
        String resource = null;
        String type = null;
        for (String line : Files.readAllLines(template)) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")) {
                inResources = line.startsWith("Resources:");
                resource = null;
                continue;
            }
            if (!inResources) {
                continue;
            }
            Matcher r = RESOURCE.matcher(line);
            if (r.matches()) {
                resource = r.group(1);
                type = null;
                continue;
            }
            Matcher t = TYPE.matcher(line);
            if (t.matches() && type == null) {
                type = t.group(1);
                continue;
            }
            Matcher u = URI.matcher(line);
            if (u.matches() && resource != null) {
                Path p = root.resolve(u.group(2));
                long bytes = Files.isRegularFile(p) ? Files.size(p) : -1;
                out.add(new Artifact(resource, type, u.group(2), bytes));
            }
        }
        return out;
    }
}
