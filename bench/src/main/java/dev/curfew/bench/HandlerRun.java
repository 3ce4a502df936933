package dev.curfew.bench;

import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import dev.curfew.function.sweeper.SweeperHandler;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Runs the deployed sweeper the way Lambda does, in a JVM of its own whose classpath is the sweeper's deployment
 * jar (plus this class): construct the handler (Lambda's no-argument constructor, configuration from environment
 * variables), then one invocation: the event read through the jar's {@link CustomPojoSerializer} (as the Java
 * runtime does when a function ships one), {@code handleRequest}, and the response written back through it.
 * Prints one line, {@code BENCH-RESULT key=value ...}, which {@link Bench} reads: the construction (Log4j's start
 * timed apart), the invocation (the event's reading timed apart), the classes loaded after each, the process's CPU
 * time over both, and with
 * {@code -Dcurfew.bench.warm=true} the same invocation again, warm.
 *
 * <p>Used for the cold start (an empty account) and for the 256 MiB heap check (a big account, -Xmx256m).
 */
public final class HandlerRun {
    static final String PREFIX = "BENCH-RESULT ";
    /** System property: invoke a second time and report it (the cold-start runs set it). */
    static final String WARM = "curfew.bench.warm";

    private HandlerRun() {
    }

    /**
     * CPU time of the whole process so far (every thread: the JIT compiler, the GC, the regions' threads), in ms; -1
     * when the JVM does not tell. On a shared machine it moves far less than wall time with the load.
     */
    static long cpuMillis() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1_000_000 : -1;
    }

    /** The handler's input type as the jar on the class path declares it (Lambda's runtime reads events so). */
    static java.lang.reflect.Type inputType() {
        java.lang.reflect.Type t = ((java.lang.reflect.ParameterizedType) SweeperHandler.class.getGenericSuperclass())
                .getActualTypeArguments()[0];
        return t instanceof java.lang.reflect.ParameterizedType p ? p.getRawType() : t;
    }

    public static void main(String[] args) {
        long jvmMillisBeforeMain = ManagementFactory.getRuntimeMXBean().getUptime();
        HeapSampler heap = HeapSampler.start();
        try {
            ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
            long t0 = System.nanoTime();
            long cpu0 = cpuMillis();
            // Log4j starts first, as it does in Lambda (the handler's loggers start it): timed apart
            org.apache.logging.log4j.LogManager.getContext(false);
            long tLog = System.nanoTime();
            SweeperHandler handler = new SweeperHandler();
            long t1 = System.nanoTime();
            long classesConstructed = classes.getTotalLoadedClassCount();
            CustomPojoSerializer serializer = ServiceLoader.load(CustomPojoSerializer.class).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the jar ships no CustomPojoSerializer"));
            Object event;
            try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
                // as the handler's declared input type, as Lambda's runtime reads it (a map since 2026-12-01; an
                // older jar's ScheduledEvent, so that --sweeper-jar can run it)
                event = serializer.fromJson(in, inputType());
            }
            long tEvent = System.nanoTime();
            // called as Lambda's runtime calls it, through RequestHandler with the event as read
            @SuppressWarnings({"unchecked", "rawtypes"})
            com.amazonaws.services.lambda.runtime.RequestHandler<Object, Map<String, Object>> lambda =
                    (com.amazonaws.services.lambda.runtime.RequestHandler) handler;
            Map<String, Object> out = lambda.handleRequest(event, null);
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            serializer.toJson(out, response, Map.class);
            long t2 = System.nanoTime();
            long cpu = cpuMillis() - cpu0;
            long classesInvoked = classes.getTotalLoadedClassCount();
            String warm = "";
            if (Boolean.getBoolean(WARM)) {
                // the same invocation again in the same JVM: what the emulator's calls and the sweep itself take,
                // so the first invocation's excess over it is its first-time cost (classes, SDK clients, JIT)
                long w0 = System.nanoTime();
                serializer.toJson(lambda.handleRequest(event, null), new ByteArrayOutputStream(), Map.class);
                warm = " warm-invoke-ms=" + (System.nanoTime() - w0) / 1_000_000;
            }
            Object resources = out.get("resources");
            int rows = resources instanceof List<?> l ? l.size() : -1;
            System.out.println(PREFIX + "ok=true"
                    + " construct-ms=" + (t1 - t0) / 1_000_000
                    + " invoke-ms=" + (t2 - t1) / 1_000_000
                    + " jvm-before-main-ms=" + jvmMillisBeforeMain
                    + " log4j-ms=" + (tLog - t0) / 1_000_000
                    + " event-ms=" + (tEvent - t1) / 1_000_000
                    + " classes-constructed=" + classesConstructed
                    + " classes-invoked=" + classesInvoked
                    + " cpu-ms=" + cpu
                    + warm
                    + " peak-heap-bytes=" + heap.peakBytes()
                    + " max-heap-bytes=" + Runtime.getRuntime().maxMemory()
                    + " rows=" + rows
                    + " response-bytes=" + response.size()
                    + " mode=" + out.get("mode"));
            System.out.flush();
            handler.close();
            System.exit(0);
        } catch (Throwable t) {
            String why = String.valueOf(t).replace('\n', ' ');
            System.out.println(PREFIX + "ok=false peak-heap-bytes=" + heap.peakBytes() + " max-heap-bytes="
                    + Runtime.getRuntime().maxMemory() + " error=" + why);
            System.out.flush();
            System.exit(1);
        }
    }
}
