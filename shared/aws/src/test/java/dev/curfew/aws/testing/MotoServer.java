package dev.curfew.aws.testing;

import dev.curfew.aws.AwsSettings;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The moto server the emulator tests run against: started once per JVM on a free port
 * ({@code moto_server -H 127.0.0.1 -p PORT}, without moto's default Amazon images), stopped when the JVM exits, reset
 * between test classes.
 *
 * @param process the running {@code moto_server}
 * @param log     where it writes its output
 */
public record MotoServer(Process process, int port, Path log) {
    private static MotoServer instance;

    public static synchronized MotoServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static MotoServer start() {
        String command = System.getProperty("curfew.moto.command", "moto_server");
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path log = Files.createTempFile("moto-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command, "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // an empty account is empty: without this moto loads ~1,200 Amazon images into each region on its first
            // EC2 call after every reset, and DescribeSnapshots (owner self) answers their snapshots as the account's
            // own (about a second a region); MOTO_EC2_LOAD_DEFAULT_AMIS=true in the environment loads them
            pb.environment().putIfAbsent("MOTO_EC2_LOAD_DEFAULT_AMIS", "false");
            Process p = pb.start();
            MotoServer m = new MotoServer(p, port, log);
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
            m.awaitReady(Duration.ofSeconds(60));
            return m;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command + " (pip install -r requirements-dev.txt): "
                    + e.getMessage(), e);
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + Files.readString(log));
            }
            try {
                if (request("GET", "/moto-api/data.json") == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IllegalStateException("moto_server did not answer within " + timeout + ": " + Files.readString(log));
    }

    private int request(String method, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(2000);
        c.setReadTimeout(30000);
        try {
            int code = c.getResponseCode();
            c.getInputStream().readAllBytes();
            return code;
        } finally {
            c.disconnect();
        }
    }

    /** The emulator's whole state as JSON ({@code GET /moto-api/data.json}): e.g. "ses" holds the sent emails. */
    public String data() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/moto-api/data.json").toURL()
                    .openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(30000);
            try (var in = c.getInputStream()) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read moto's data.json", e);
        }
    }

    /**
     * Queues what Cost Explorer's GetCostAndUsage answers next in moto's default account ({@code POST
     * /moto-api/static/ce/cost-and-usage-results}): each new request takes the next result, a repeated one the same.
     *
     * @param results the results as JSON objects ({"ResultsByTime": [...], "DimensionValueAttributes": []})
     */
    public void costExplorerAnswers(String... results) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint()
                    + "/moto-api/static/ce/cost-and-usage-results").toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (var out = c.getOutputStream()) {
                out.write(("{\"results\":[" + String.join(",", results) + "]}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            int code = c.getResponseCode();
            c.disconnect();
            if (code != 201) {
                throw new IllegalStateException("moto's Cost Explorer results answered " + code);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot set moto's Cost Explorer results", e);
        }
    }

    /** One day of a Cost Explorer result: {@code groups} as {@link #costGroup} makes them. */
    public static String costDay(java.time.LocalDate day, String... groups) {
        return "{\"TimePeriod\":{\"Start\":\"" + day + "\",\"End\":\"" + day.plusDays(1) + "\"},\"Total\":{},"
                + "\"Groups\":[" + String.join(",", groups) + "],\"Estimated\":true}";
    }

    /** One group of a day: its key ("curfew:owner$alice", an account id) and its unblended cost in USD. */
    public static String costGroup(String key, String usd) {
        return "{\"Keys\":[\"" + key + "\"],\"Metrics\":{\"UnblendedCost\":{\"Amount\":\"" + usd
                + "\",\"Unit\":\"USD\"}}}";
    }

    /** A whole result of the given days. */
    public static String costResult(String... days) {
        return "{\"ResultsByTime\":[" + String.join(",", days) + "],\"DimensionValueAttributes\":[]}";
    }

    /** Forgets every resource: each test class starts from an empty account. */
    public void reset() {
        try {
            int code = request("POST", "/moto-api/reset");
            if (code != 200) {
                throw new IllegalStateException("moto reset answered " + code);
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto reset failed", e);
        }
    }

    public String endpoint() {
        return "http://localhost:" + port;
    }

    /** Settings for clients against this server: dummy credentials, no retries worth waiting for. */
    /**
     * A deployed function's settings pointed at this emulator, as application-context properties (the names
     * template.yaml's environment variables become): eu-west-1, the bundled policy in enforce mode, the course in
     * Europe/Amsterdam, moto's account listed. A mutable copy: tests add or replace their own.
     */
    public java.util.Map<String, Object> functionProperties() {
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        p.put("aws.endpoint-url", endpoint());
        p.put("aws.region", "eu-west-1");
        p.put("curfew.policy", "bundled");
        p.put("curfew.mode", "enforce");
        p.put("curfew.time-zone", "Europe/Amsterdam");
        p.put("curfew.accounts", "123456789012");
        return p;
    }

    /**
     * Settings for clients that reach this server through a {@link FaultProxy}: {@code attempts} per call with a
     * backoff of milliseconds (the strategy a deployment runs, at test speed).
     */
    public AwsSettings settingsThrough(FaultProxy proxy, String homeRegion, int attempts) {
        return settings(homeRegion).withEndpoint(URI.create(proxy.endpoint()))
                .withRetries(attempts, Duration.ofMillis(2), Duration.ofMillis(50));
    }

    public AwsSettings settings(String homeRegion) {
        return new AwsSettings(Region.of(homeRegion), URI.create(endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")), 1,
                Duration.ofSeconds(120));
    }
}
