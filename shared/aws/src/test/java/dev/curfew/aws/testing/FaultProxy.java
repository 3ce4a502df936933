package dev.curfew.aws.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault injector between the SDK and the emulator: an HTTP proxy that forwards each request to the target
 * (moto), or answers it itself with the service's own throttling error or a plain 500, before the request reaches
 * the target (as a throttled AWS call never reaches the service).
 *
 * <p>Which attempt fails is decided by a {@link Random} seeded with the proxy's seed, the request's content (operation,
 * parameters, body) and how many times that same request came before: the same seed and the same calls give the same
 * faults, whatever order parallel threads send them in.
 *
 * <p>The error is chosen from the request: an {@code X-Amz-Target} header is the JSON protocol
 * ({@code ThrottlingException} 400 with {@code x-amzn-ErrorType} and {@code __type}); a form body with
 * {@code Action=} is the query protocol ({@code Throttling} 400 in an {@code ErrorResponse}), EC2's flavour of it
 * ({@code RequestLimitExceeded} 503 in EC2's {@code Response/Errors}) when the request is signed for {@code ec2};
 * {@code /v2/email/} is SES v2's REST-JSON; anything else signed for {@code s3} is S3 ({@code SlowDown} 503).
 * Half the faults are the service's throttling error, half a plain {@code 500} (unless {@link #kinds} says otherwise).
 *
 * <p>Calls, attempts, faults and passes are counted per operation ({@code ec2:DescribeInstances}, as
 * {@link dev.curfew.aws.CallCounter} names them); a call is one SDK invocation ({@code amz-sdk-invocation-id}), its
 * attempts every request of it. Every request that reached the target is kept in {@link #passed()}.
 */
public final class FaultProxy implements AutoCloseable {

    /**
     * Which errors a fault may be: the service's throttling error, a plain 500, or (only for {@link #always}) a
     * connection closed without an answer, which the SDK sees as a client-side I/O failure.
     */
    public enum Fault { THROTTLE, SERVER_ERROR, RESET }

    /** What the proxy saw of one request. */
    public record Call(String service, String operation, String region, String protocol, String method, String path,
                       Map<String, List<String>> params, String body, String invocationId, int attempt) {
        /** {@code service:Operation}, as {@link dev.curfew.aws.CallCounter} names it. */
        public String name() {
            return service + ":" + operation;
        }

        /** Every value of the query parameters whose name is {@code prefix} or starts with {@code prefix + "."}. */
        public List<String> values(String prefix) {
            List<String> out = new ArrayList<>();
            params.forEach((k, v) -> {
                if (k.equals(prefix) || k.startsWith(prefix + ".")) {
                    out.addAll(v);
                }
            });
            return out;
        }
    }

    /** Counts for one operation. */
    public record Stats(long calls, long attempts, long faults, long passes) {
    }

    private static final Pattern CREDENTIAL = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request");
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "proxy-connection", "te", "trailer", "http2-settings");

    private final URI target;
    private final long seed;
    private final HttpServer server;
    private final ExecutorService pool;
    private final HttpClient http;
    private volatile double fraction;
    private volatile Set<Fault> kinds = Set.of(Fault.THROTTLE, Fault.SERVER_ERROR);
    private volatile Predicate<Call> only = c -> true;
    private volatile Predicate<Call> always = c -> false;
    private volatile Fault alwaysAs = Fault.THROTTLE;
    private volatile Predicate<Call> rewriting = c -> false;
    private volatile java.util.function.UnaryOperator<String> rewriter = java.util.function.UnaryOperator.identity();
    private final Map<String, AtomicLong> seen = new ConcurrentHashMap<>();
    private final Map<String, LongAdder[]> stats = new ConcurrentHashMap<>();
    private final Map<String, Boolean> invocations = new ConcurrentHashMap<>();
    private final List<Call> passed = new CopyOnWriteArrayList<>();
    private final List<Call> faulted = new CopyOnWriteArrayList<>();

    private FaultProxy(URI target, double fraction, long seed) throws IOException {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("fraction " + fraction + " is not between 0 and 1");
        }
        this.target = target;
        this.fraction = fraction;
        this.seed = seed;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        this.pool = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy in front of {@code target} (e.g. {@link MotoServer#endpoint()}) failing {@code fraction} of requests. */
    public static FaultProxy start(String target, double fraction, long seed) {
        try {
            return new FaultProxy(URI.create(target), fraction, seed);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fault proxy", e);
        }
    }

    /** The URL clients use instead of the target's. */
    public String endpoint() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    public long seed() {
        return seed;
    }

    public FaultProxy fraction(double f) {
        if (f < 0 || f > 1) {
            throw new IllegalArgumentException("fraction " + f + " is not between 0 and 1");
        }
        this.fraction = f;
        return this;
    }

    /** The errors a fault may be (default: both). */
    public FaultProxy kinds(Fault... k) {
        this.kinds = Set.of(k);
        return this;
    }

    /** Random faults only for the requests {@code which} accepts (default: every request). */
    public FaultProxy only(Predicate<Call> which) {
        this.only = which;
        return this;
    }

    /** Every request {@code which} accepts fails, whatever the fraction (a service that stays down). */
    public FaultProxy always(Predicate<Call> which) {
        return always(which, Fault.THROTTLE);
    }

    /** As {@link #always(Predicate)}, with the given fault. */
    public FaultProxy always(Predicate<Call> which, Fault as) {
        this.alwaysAs = as;
        this.always = which;
        return this;
    }

    /**
     * The target's answers to the requests {@code which} accepts reach the client as {@code body} rewrites them: a
     * field AWS sets and the emulator leaves out, added as AWS would (moto's instances of a spot request carry no
     * {@code SpotInstanceRequestId}).
     */
    public FaultProxy rewrite(Predicate<Call> which, java.util.function.UnaryOperator<String> body) {
        this.rewriter = body;
        this.rewriting = which;
        return this;
    }

    /** Forgets the counts and the logs (the seed's sequence goes on). */
    public void clearCounts() {
        stats.clear();
        invocations.clear();
        passed.clear();
        faulted.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = ex.getRequestBody().readAllBytes();
            Call call = describe(ex, body);
            LongAdder[] s = stats.computeIfAbsent(call.name(), k -> new LongAdder[] {new LongAdder(), new LongAdder(),
                    new LongAdder(), new LongAdder()});
            if (invocations.putIfAbsent(call.invocationId(), Boolean.TRUE) == null) {
                s[0].increment();
            }
            s[1].increment();
            if (refusing(call)) {
                s[2].increment();
                faulted.add(call);
                refuse(ex, call);
                return;
            }
            String code = unknownCode(call);
            if (code != null) {
                s[2].increment();
                faulted.add(call);
                byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code
                        + "</Code><Message>The id does not exist (the fault injector)</Message></Error></Errors>"
                        + "<RequestID>" + UUID.randomUUID() + "</RequestID></Response>").getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "text/xml");
                ex.sendResponseHeaders(400, bytes.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(bytes);
                }
                return;
            }
            Fault fault = decide(call, body);
            if (fault != null) {
                s[2].increment();
                faulted.add(call);
                if (fault == Fault.RESET) {
                    throw new IOException("connection closed by the fault injector");
                }
                answer(ex, fault, call);
                return;
            }
            s[3].increment();
            passed.add(call);
            forward(ex, body, call);
        } catch (RuntimeException | IOException e) {
            // the client sees a broken connection, which it treats like any I/O failure
            throw e instanceof IOException io ? io : new IOException(e);
        } finally {
            ex.close();
        }
    }

    private Fault decide(Call call, byte[] body) {
        if (always.test(call)) {
            return alwaysAs;
        }
        if (fraction == 0 || !only.test(call)) {
            return null;
        }
        String key = call.name() + " " + call.method() + " " + call.path() + " " + call.params() + " "
                + new String(body, StandardCharsets.UTF_8);
        long n = seen.computeIfAbsent(key, k -> new AtomicLong()).getAndIncrement();
        Random r = new Random(seed * 1_000_003L + key.hashCode() * 31L + n);
        r.nextDouble(); // the first value of nearby seeds is correlated; use the second
        if (r.nextDouble() >= fraction) {
            return null;
        }
        List<Fault> k = new java.util.TreeSet<>(kinds).stream().filter(x -> x != Fault.RESET).toList();
        return k.get(r.nextInt(k.size()));
    }

    private void forward(HttpExchange ex, byte[] body, Call call) throws IOException {
        String rawQuery = ex.getRequestURI().getRawQuery();
        URI uri = URI.create(target.toString().replaceAll("/$", "") + ex.getRequestURI().getRawPath()
                + (rawQuery == null ? "" : "?" + rawQuery));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> b.header(name, v));
            }
        });
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        r.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> ex.getResponseHeaders().add(name, v));
            }
        });
        byte[] out = r.body() == null ? new byte[0] : r.body();
        if (out.length > 0 && rewriting.test(call)) {
            out = rewriter.apply(new String(out, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
        boolean noBody = "HEAD".equals(ex.getRequestMethod()) || r.statusCode() == 204 || r.statusCode() == 304;
        if (noBody) {
            ex.sendResponseHeaders(r.statusCode(), -1);
        } else {
            ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    private static void answer(HttpExchange ex, Fault fault, Call call) throws IOException {
        String requestId = UUID.randomUUID().toString();
        int status;
        String type;
        String body;
        if (fault == Fault.SERVER_ERROR) {
            status = 500;
            type = "text/plain";
            body = "Internal Server Error";
        } else {
            switch (call.protocol()) {
                case "json", "rest-json" -> {
                    status = 400;
                    type = "application/x-amz-json-1.1";
                    ex.getResponseHeaders().add("x-amzn-ErrorType", "ThrottlingException");
                    body = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}";
                }
                case "ec2" -> {
                    status = 503;
                    type = "text/xml";
                    body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>"
                            + "<Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error>"
                            + "</Errors><RequestID>" + requestId + "</RequestID></Response>";
                }
                case "s3" -> {
                    status = 503;
                    type = "application/xml";
                    body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
                            + "<Message>Please reduce your request rate.</Message><RequestId>" + requestId
                            + "</RequestId></Error>";
                }
                default -> {
                    status = 400;
                    type = "text/xml";
                    body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
                            + "<Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
                            + "<RequestId>" + requestId + "</RequestId></ErrorResponse>";
                }
            }
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("x-amzn-RequestId", requestId);
        ex.getResponseHeaders().add("x-amz-request-id", requestId);
        if ("HEAD".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    static Call describe(HttpExchange ex, byte[] body) {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        Map<String, List<String>> params = new TreeMap<>(form(ex.getRequestURI().getRawQuery()));
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String region = null;
        String signedFor = null;
        if (auth != null) {
            Matcher m = CREDENTIAL.matcher(auth);
            if (m.find()) {
                region = m.group(1);
                signedFor = m.group(2);
            }
        }
        String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
        String contentType = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
        String text = new String(body, StandardCharsets.UTF_8);
        String invocation = ex.getRequestHeaders().getFirst("amz-sdk-invocation-id");
        int attempt = attempt(ex.getRequestHeaders().getFirst("amz-sdk-request"));
        if (invocation == null) {
            invocation = UUID.randomUUID().toString();
        }
        String protocol;
        String service;
        String operation;
        if (target != null) {
            protocol = "json";
            service = jsonService(target, signedFor);
            operation = target.substring(target.lastIndexOf('.') + 1);
        } else if (contentType.startsWith("application/x-www-form-urlencoded") && text.contains("Action=")) {
            params.putAll(form(text));
            operation = params.getOrDefault("Action", List.of("Unknown")).get(0);
            String version = params.getOrDefault("Version", List.of("")).get(0);
            boolean ec2 = "ec2".equals(signedFor) || "2016-11-15".equals(version);
            protocol = ec2 ? "ec2" : "query";
            service = ec2 ? "ec2" : signedFor == null ? "query" : signedFor;
        } else if (path.startsWith("/v2/email/")) {
            protocol = "rest-json";
            service = "sesv2";
            operation = sesOperation(method, path);
        } else {
            protocol = "s3";
            service = "s3";
            operation = s3Operation(method, path, params);
        }
        if ("monitoring".equals(service)) {
            service = "cloudwatch";
        } else if ("elasticmapreduce".equals(service)) {
            service = "emr";
        } else if ("email".equals(service)) {
            service = "ses";
        }
        return new Call(service, operation, region, protocol, method, path, params,
                params.containsKey("Action") ? "" : text, invocation, attempt);
    }

    private static String jsonService(String target, String signedFor) {
        if (signedFor != null) {
            return signedFor;
        }
        String prefix = target.substring(0, Math.max(0, target.indexOf('.'))).toLowerCase(Locale.ROOT);
        if (prefix.startsWith("amazonssm")) {
            return "ssm";
        }
        if (prefix.startsWith("secretsmanager")) {
            return "secretsmanager";
        }
        if (prefix.startsWith("elasticmapreduce")) {
            return "emr";
        }
        return prefix;
    }

    private static int attempt(String header) {
        if (header == null) {
            return 1;
        }
        Matcher m = Pattern.compile("attempt=(\\d+)").matcher(header);
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    private static String sesOperation(String method, String path) {
        if (path.startsWith("/v2/email/outbound-emails")) {
            return "SendEmail";
        }
        if (path.startsWith("/v2/email/identities")) {
            return switch (method) {
                case "POST" -> "CreateEmailIdentity";
                case "DELETE" -> "DeleteEmailIdentity";
                default -> path.equals("/v2/email/identities") ? "ListEmailIdentities" : "GetEmailIdentity";
            };
        }
        return method + " " + path;
    }

    /** The S3 operation of a path-style request (the ones Curfew and its tests make; others by method and shape). */
    static String s3Operation(String method, String path, Map<String, List<String>> q) {
        String[] parts = path.replaceAll("^/", "").split("/", 2);
        boolean bucketOnly = parts.length == 1 || parts[1].isEmpty();
        if (parts[0].isEmpty()) {
            return "ListBuckets";
        }
        if (bucketOnly) {
            for (String sub : new String[] {"tagging", "logging", "policy", "versioning", "location", "versions",
                    "uploads", "delete", "lifecycle", "acl", "encryption"}) {
                if (q.containsKey(sub)) {
                    String name = switch (sub) {
                        case "tagging" -> "BucketTagging";
                        case "logging" -> "BucketLogging";
                        case "policy" -> "BucketPolicy";
                        case "versioning" -> "BucketVersioning";
                        case "location" -> "BucketLocation";
                        case "lifecycle" -> "BucketLifecycleConfiguration";
                        case "acl" -> "BucketAcl";
                        case "encryption" -> "BucketEncryption";
                        default -> sub;
                    };
                    return switch (sub) {
                        case "versions" -> "ListObjectVersions";
                        case "uploads" -> "ListMultipartUploads";
                        case "delete" -> "DeleteObjects";
                        default -> switch (method) {
                            case "PUT" -> "Put" + name;
                            case "DELETE" -> "Delete" + name;
                            default -> "Get" + name;
                        };
                    };
                }
            }
            return switch (method) {
                case "PUT" -> "CreateBucket";
                case "DELETE" -> "DeleteBucket";
                case "HEAD" -> "HeadBucket";
                default -> q.containsKey("list-type") ? "ListObjectsV2" : "ListObjects";
            };
        }
        if (q.containsKey("uploadId")) {
            return switch (method) {
                case "DELETE" -> "AbortMultipartUpload";
                case "POST" -> "CompleteMultipartUpload";
                case "PUT" -> "UploadPart";
                default -> "ListParts";
            };
        }
        if (q.containsKey("uploads")) {
            return "CreateMultipartUpload";
        }
        if (q.containsKey("tagging")) {
            return method.equals("PUT") ? "PutObjectTagging" : "GetObjectTagging";
        }
        return switch (method) {
            case "PUT" -> "PutObject";
            case "DELETE" -> "DeleteObject";
            case "HEAD" -> "HeadObject";
            default -> "GetObject";
        };
    }

    static Map<String, List<String>> form(String raw) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return m;
    }

    private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();

    /**
     * The next {@code times} requests of {@code operation} ({@code ec2:DeleteVolume}, as {@link Call#name()}) that name
     * {@code resourceId} (a parameter's value, or in a JSON body) are refused as IAM refuses an act on a resource whose
     * tag it does not see yet: EC2's {@code UnauthorizedOperation} (HTTP 403, EC2's {@code Response/Errors}), a JSON
     * protocol's {@code AccessDeniedException} (HTTP 400, as EMR answers), the query protocol's and S3's
     * {@code AccessDenied} (HTTP 403). Refusals count as faults; other requests are not affected.
     */
    public FaultProxy refuse(String operation, String resourceId, int times) {
        refusals.put(operation + " " + resourceId, new AtomicLong(times));
        return this;
    }

    private final Map<String, String> unknown = new ConcurrentHashMap<>();

    /**
     * Every EC2 request of {@code operation} that names {@code resourceId} is answered as EC2 answers a call naming an
     * id it does not know: HTTP 400 with the error {@code code} (e.g. {@code InvalidSpotInstanceRequestID.NotFound}),
     * the whole call refused, whatever else it names (moto leaves such ids out instead). Counts as a fault.
     */
    public FaultProxy unknown(String operation, String resourceId, String code) {
        unknown.put(operation + " " + resourceId, code);
        return this;
    }

    private String unknownCode(Call call) {
        for (Map.Entry<String, String> u : unknown.entrySet()) {
            String[] opAndId = u.getKey().split(" ", 2);
            if (call.name().equals(opAndId[0])
                    && call.params().values().stream().anyMatch(v -> v.contains(opAndId[1]))) {
                return u.getValue();
            }
        }
        return null;
    }

    private boolean refusing(Call call) {
        for (Map.Entry<String, AtomicLong> r : refusals.entrySet()) {
            String[] opAndId = r.getKey().split(" ", 2);
            boolean names = call.params().values().stream().anyMatch(v -> v.contains(opAndId[1]))
                    || call.body().contains(opAndId[1]);
            if (call.name().equals(opAndId[0]) && names && r.getValue().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return true;
            }
        }
        return false;
    }

    private static void refuse(HttpExchange ex, Call call) throws IOException {
        String requestId = UUID.randomUUID().toString();
        String why = "User: arn:aws:sts::123456789012:assumed-role/curfew-SweeperRole/curfew is not authorized to "
                + "perform: " + call.name() + " (the fault injector)";
        int status = 403;
        String type = "text/xml";
        String body;
        switch (call.protocol()) {
            case "ec2" -> body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>"
                    + "<Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation. "
                    + why + "</Message></Error></Errors><RequestID>" + requestId + "</RequestID></Response>";
            case "json", "rest-json" -> {
                status = 400;
                type = "application/x-amz-json-1.1";
                ex.getResponseHeaders().add("x-amzn-ErrorType", "AccessDeniedException");
                body = "{\"__type\":\"AccessDeniedException\",\"message\":\"" + why + "\"}";
            }
            case "s3" -> body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>"
                    + why + "</Message><RequestId>" + requestId + "</RequestId></Error>";
            default -> body = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>" + why
                    + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("x-amzn-RequestId", requestId);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** Calls, attempts, faults and passes per operation, by name. */
    public Map<String, Stats> stats() {
        Map<String, Stats> m = new TreeMap<>();
        stats.forEach((k, v) -> m.put(k, new Stats(v[0].sum(), v[1].sum(), v[2].sum(), v[3].sum())));
        return m;
    }

    public Stats stats(String operation) {
        return stats().getOrDefault(operation, new Stats(0, 0, 0, 0));
    }

    /** Totals over every operation. */
    public Stats totals() {
        long c = 0;
        long a = 0;
        long f = 0;
        long p = 0;
        for (Stats s : stats().values()) {
            c += s.calls();
            a += s.attempts();
            f += s.faults();
            p += s.passes();
        }
        return new Stats(c, a, f, p);
    }

    /** Every request that reached the target, in the order it arrived. */
    public List<Call> passed() {
        return List.copyOf(passed);
    }

    /** Every request answered with a fault. */
    public List<Call> faulted() {
        return List.copyOf(faulted);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    /** A short account of what was injected, for test output. */
    public String summary() {
        Stats t = totals();
        return "seed " + seed + ", fraction " + fraction + ": " + t.calls() + " calls, " + t.attempts() + " attempts, "
                + t.faults() + " faults";
    }

}
