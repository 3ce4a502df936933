package dev.curfew.aws.notify;

import dev.curfew.core.launch.JsonBody;
import dev.curfew.core.report.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Slack over HTTPS: incoming webhooks, and (with a bot token) {@code users.lookupByEmail} and
 * {@code chat.postMessage} for direct messages. HTTP 429 is retried after the {@code Retry-After} seconds Slack
 * asks for, a bounded number of times. Errors never contain the webhook URL or the token.
 */
public final class SlackClient {
    /** How often a rate-limited request is tried in all. */
    public static final int MAX_ATTEMPTS = 4;
    /** The longest Retry-After honoured; a longer one fails the delivery (it is reported, the sweep goes on). */
    public static final long MAX_WAIT_SECONDS = 30;
    /** The longest one request waits on Retry-After in all: a wait before each attempt after the first. */
    public static final long LONGEST_WAIT_SECONDS = (MAX_ATTEMPTS - 1) * MAX_WAIT_SECONDS;
    /**
     * The most requests one message to one person takes: users.lookupByEmail, chat.postMessage, and the webhook
     * when the direct message failed. With {@link #LONGEST_WAIT_SECONDS}, what a function's timeout must leave room
     * for (template.yaml, SentinelFunction).
     */
    public static final int MOST_REQUESTS_PER_MESSAGE = 3;

    /** Built on the first request: a pass that sends nothing to Slack starts no HTTP client (its thread, TLS). */
    private HttpClient http;
    private final String apiBase;
    private final LongConsumer sleeper;

    /** Slack's own Web API. */
    public static final String SLACK_API = "https://slack.com/api";

    /** @param apiBase Slack's Web API base, {@code https://slack.com/api} (a local server in tests); null for Slack's */
    public SlackClient(String apiBase) {
        this(apiBase, SlackClient::sleepSeconds);
    }

    SlackClient(String apiBase, LongConsumer sleeper) {
        apiBase = apiBase == null || apiBase.isBlank() ? SLACK_API : apiBase.trim();
        this.apiBase = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
        this.sleeper = sleeper;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    /** A refusal or failure, in words that are safe to report. */
    public static final class SlackException extends Exception {
        public SlackException(String message) {
            super(message);
        }
    }

    /** Posts one message (a Block Kit payload) to an incoming webhook. */
    public void webhook(String url, Map<String, Object> payload) throws SlackException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new SlackException("the webhook URL is not a valid URL (the value is not shown)");
        }
        Answer a = post(uri, null, Json.write(payload), "the webhook");
        if (a.status != 200 || !"ok".equals(a.body.trim())) {
            throw new SlackException("the webhook answered HTTP " + a.status + ": " + shorten(a.body));
        }
    }

    /** The member id of the Slack user with this email (users.lookupByEmail; needs the users:read.email scope). */
    public String lookupByEmail(String token, String email) throws SlackException {
        String body = "email=" + URLEncoder.encode(email, StandardCharsets.UTF_8);
        Answer a = post(URI.create(apiBase + "/users.lookupByEmail"), token, body, "users.lookupByEmail");
        Map<String, Object> json = okJson(a, "users.lookupByEmail");
        if (json.get("user") instanceof Map<?, ?> u && u.get("id") instanceof String id) {
            return id;
        }
        throw new SlackException("users.lookupByEmail answered without a user id");
    }

    /** Posts one message to a channel or, with a member id as the channel, to that person directly. */
    public void postMessage(String token, String channel, Map<String, Object> payload) throws SlackException {
        Map<String, Object> p = new LinkedHashMap<>(payload);
        p.put("channel", channel);
        okJson(post(URI.create(apiBase + "/chat.postMessage"), token, Json.write(p), "chat.postMessage"),
                "chat.postMessage");
    }

    private Map<String, Object> okJson(Answer a, String what) throws SlackException {
        if (a.status != 200) {
            throw new SlackException(what + " answered HTTP " + a.status + ": " + shorten(a.body));
        }
        Object parsed;
        try {
            parsed = JsonBody.parse(a.body);
        } catch (RuntimeException e) {
            throw new SlackException(what + " answered something that is not JSON: " + shorten(a.body));
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new SlackException(what + " answered something that is not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) m;
        if (!Boolean.TRUE.equals(json.get("ok"))) {
            throw new SlackException(what + " refused: " + json.get("error"));
        }
        return json;
    }

    private record Answer(int status, String body) {
    }

    private Answer post(URI uri, String token, String body, String what) throws SlackException {
        boolean form = body.startsWith("email=");
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", form ? "application/x-www-form-urlencoded"
                            : "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            request = b.build();
        } catch (IllegalArgumentException e) {
            // the JDK's message quotes the URL or the header value: never pass it on
            throw new SlackException(what + ": the request cannot be made, the URL or the token has a character "
                    + "HTTP does not allow (the value is not shown)");
        }
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r;
            try {
                r = http().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the exception may name the host or the URL: say only what kind of failure it was
                throw new SlackException(what + " could not be reached (" + e.getClass().getSimpleName() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SlackException(what + ": interrupted");
            }
            if (r.statusCode() != 429) {
                return new Answer(r.statusCode(), r.body() == null ? "" : r.body());
            }
            long wait = retryAfter(r);
            if (attempt >= MAX_ATTEMPTS) {
                throw new SlackException(what + " is rate-limited (HTTP 429) after " + attempt + " attempts");
            }
            if (wait > MAX_WAIT_SECONDS) {
                throw new SlackException(what + " is rate-limited (HTTP 429) for " + wait + " s, longer than "
                        + MAX_WAIT_SECONDS + " s");
            }
            sleeper.accept(wait);
        }
    }

    static long retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").map(v -> {
            try {
                return Math.max(0, Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return 1L;
            }
        }).orElse(1L);
    }

    private static void sleepSeconds(long s) {
        try {
            Thread.sleep(s * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String shorten(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
