package dev.curfew.aws.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real local HTTP server standing in for Slack: an incoming webhook at {@code /hook} and the Web API under
 * {@code /api} ({@code users.lookupByEmail}, {@code chat.postMessage}). It records every request, answers as Slack
 * does, and can be told to answer some requests otherwise (a 429 with Retry-After, a refusal).
 */
public final class FakeSlack implements AutoCloseable {
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    public record Answer(int status, Map<String, String> headers, String body) {
    }

    public static final String TOKEN = "xoxb-test-token";

    private final HttpServer server;
    private final List<Request> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Deque<Answer>> scripted = new ConcurrentHashMap<>();
    /** users.lookupByEmail: email to member id. */
    public final Map<String, String> members = new ConcurrentHashMap<>();

    public FakeSlack() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String webhookUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public String apiBase() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    /** The next request to {@code path} gets this answer (answers queue up, then the default resumes). */
    public void answerNext(String path, int status, Map<String, String> headers, String body) {
        scripted.computeIfAbsent(path, p -> new ArrayDeque<>()).add(new Answer(status, headers, body));
    }

    /** Every request to {@code path} gets this answer from now on. */
    public void answerAlways(String path, int status, String body) {
        Deque<Answer> d = new ArrayDeque<>() {
            @Override
            public Answer poll() {
                return new Answer(status, Map.of(), body);
            }

            @Override
            public boolean isEmpty() {
                return false;
            }
        };
        scripted.put(path, d);
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<Request> requests(String path) {
        return requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    public void clear() {
        requests.clear();
        scripted.clear();
        members.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        requests.add(new Request(ex.getRequestMethod(), path, Map.copyOf(ex.getRequestHeaders()), body));
        Deque<Answer> queue = scripted.get(path);
        Answer a = queue == null || queue.isEmpty() ? null : queue.poll();
        if (a == null) {
            a = defaultAnswer(path, ex, body);
        }
        a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            ex.getResponseBody().write(out);
        }
        ex.close();
    }

    private Answer defaultAnswer(String path, HttpExchange ex, String body) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        boolean authed = ("Bearer " + TOKEN).equals(auth);
        return switch (path) {
            case "/hook" -> new Answer(200, Map.of("Content-Type", "text/html"), "ok");
            case "/api/users.lookupByEmail" -> {
                if (!authed) {
                    yield json("{\"ok\":false,\"error\":\"invalid_auth\"}");
                }
                String email = java.net.URLDecoder.decode(body.replaceFirst("^email=", ""), StandardCharsets.UTF_8);
                String id = members.get(email);
                yield json(id == null ? "{\"ok\":false,\"error\":\"users_not_found\"}"
                        : "{\"ok\":true,\"user\":{\"id\":\"" + id + "\"}}");
            }
            case "/api/chat.postMessage" -> json(authed ? "{\"ok\":true,\"channel\":\"D0DM\",\"ts\":\"1.2\"}"
                    : "{\"ok\":false,\"error\":\"not_authed\"}");
            default -> new Answer(404, Map.of(), "no_service");
        };
    }

    private static Answer json(String body) {
        return new Answer(200, Map.of("Content-Type", "application/json"), body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
