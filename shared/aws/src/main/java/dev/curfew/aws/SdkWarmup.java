package dev.curfew.aws;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;

/**
 * A function's first AWS call costs far more than its later ones: the SDK loads and links its request path
 * (client builder, endpoint rules, signer, retry strategy, the protocol's marshaller and unmarshaller, the XML or
 * JSON reader), well over a thousand classes, before a byte is sent. The warm-up walks that path once, on a daemon
 * thread of its own started when the handler class loads, while the main thread starts Log4j and Micronaut: it makes
 * the function's own kinds of calls through {@link AwsClients} built exactly as the real ones are, except that their
 * HTTP client answers each request from memory with an empty, well-formed reply. So it sends nothing over the
 * network, needs no credentials (fixed dummy ones sign the requests), changes nothing, and its calls are counted by
 * its own {@link CallCounter}, never the function's.
 *
 * <p>What it buys is wall time, where the machine has a second core to run it on (a plain JVM here, a Lambda function
 * with 1,769 MB or more): the first invocation finds those classes loaded. It does not lower the CPU a cold start
 * uses. Under SnapStart the priming ({@code Priming}) waits for it, so the snapshot never holds it half done. A
 * failure is logged at debug and changes nothing: the real call then loads what it needs, as without the warm-up.
 */
public final class SdkWarmup {
    private static final Logger LOG = LogManager.getLogger(SdkWarmup.class);
    /** {@code CURFEW_SDK_WARMUP=off} leaves it out (the bench compares the two). */
    public static final String SWITCH = "CURFEW_SDK_WARMUP";
    private static final CountDownLatch DONE = new CountDownLatch(1);
    private static volatile Thread thread;

    private SdkWarmup() {
    }

    /**
     * Starts the warm-up once per JVM (later calls do nothing).
     *
     * @param calls the function's first calls, made on clients that answer from memory
     */
    public static synchronized void start(Consumer<AwsClients> calls) {
        if (thread != null || "off".equals(System.getenv(SWITCH))) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                run(calls);
            } finally {
                DONE.countDown();
            }
        }, "curfew-sdk-warmup");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Waits for a started warm-up to end, at most {@code max}. @return true when none runs any more */
    public static boolean await(Duration max) {
        if (thread == null) {
            return true;
        }
        try {
            return DONE.await(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Makes the calls now, on this thread, on clients that answer from memory (each function's test checks its own
     * calls complete this way). @return true when every call completed
     */
    public static boolean run(Consumer<AwsClients> calls) {
        return run(calls, new Answers());
    }

    static boolean run(Consumer<AwsClients> calls, Answers answers) {
        long t0 = System.nanoTime();
        // the real clients' HTTP client is built too, in AwsClients' constructor: its TLS context reads the JDK's
        // trust store, which is loaded once per JVM
        AwsClients.http(settings()).close();
        try (AwsClients clients = new AwsClients(settings(), answers)) {
            calls.accept(clients);
            LOG.debug("SDK warm-up done in {} ms", (System.nanoTime() - t0) / 1_000_000);
            return true;
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("SDK warm-up stopped after {} ms: {}", (System.nanoTime() - t0) / 1_000_000, String.valueOf(e));
            return false;
        }
    }

    /** The deployed settings' shape with dummy credentials and one attempt: nothing here reads the environment. */
    private static AwsSettings settings() {
        return new AwsSettings(Region.US_EAST_1, null,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("warmup", "warmup")), 1,
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    /**
     * An HTTP client that answers every request at once with HTTP 200 and the empty reply of the request's protocol:
     * a JSON object for the JSON protocols, else the query and REST-XML protocols' root element named after the
     * operation (EC2 and STS name it in the form body's Action; S3's ListBuckets is read from any root).
     */
    static final class Answers implements SdkHttpClient {
        /** Requests answered (a test's check that every call stayed in memory). */
        final java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            answered.incrementAndGet();
            String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(null);
            String body;
            if (target != null) {
                body = "{}";
            } else {
                String action = action(request);
                body = action == null ? "<ListAllMyBucketsResult/>"
                        : "<" + action + "Response><" + action + "Result/></" + action + "Response>";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Length", String.valueOf(bytes.length))
                                    .putHeader("x-amzn-RequestId", "warmup").build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        private static String action(HttpExecuteRequest request) {
            Optional<String> q = request.httpRequest().firstMatchingRawQueryParameter("Action");
            if (q.isPresent()) {
                return q.get();
            }
            if (request.contentStreamProvider().isEmpty()) {
                return null;
            }
            try (var in = request.contentStreamProvider().get().newStream()) {
                String form = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (String pair : form.split("&")) {
                    if (pair.startsWith("Action=")) {
                        return pair.substring("Action=".length());
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                return null;
            }
        }

        @Override
        public void close() {
        }

        @Override
        public String clientName() {
            return "curfew-warmup";
        }
    }
}
