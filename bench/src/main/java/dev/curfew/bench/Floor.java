package dev.curfew.bench;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.InstanceMetricsReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

/**
 * The floor: a plain SDK loop making only the calls any sweep must make. Per region (regions in parallel, as the
 * sweep does them): each kind listed once per page, then one GetMetricData per 500 queries (three queries per
 * running instance, one period spanning the window). No model, no planner, no report: what is left when Curfew's
 * own work is taken away.
 */
public final class Floor {
    static final String[][] METRICS = {{"CPUUtilization", "Average"}, {"NetworkIn", "Sum"}, {"NetworkOut", "Sum"}};

    private Floor() {
    }

    /** Resources listed and datapoints returned, over every region. */
    public record Result(int resources, int datapoints) {
    }

    public static Result run(AwsClients clients, List<String> regions, List<Kind> kinds, Duration window,
                             Instant now, int parallelism) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, regions.size())));
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (int i = 0; i < regions.size(); i++) {
                String region = regions.get(i);
                // a global kind (S3 buckets) is listed once, with the first region
                List<Kind> here = kinds.stream().filter(k -> !k.global() || region.equals(regions.get(0))).toList();
                futures.add(pool.submit(() -> region(clients, region, here, window, now)));
            }
            int resources = 0;
            int points = 0;
            for (Future<Result> f : futures) {
                Result r = f.get();
                resources += r.resources();
                points += r.datapoints();
            }
            return new Result(resources, points);
        } catch (ExecutionException e) {
            throw new IllegalStateException("floor run failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    static Result region(AwsClients clients, String region, List<Kind> kinds, Duration window, Instant now) {
        int resources = 0;
        List<String> needMetrics = new ArrayList<>();
        for (Kind k : kinds) {
            Kind.Listed l = k.floor().list(clients, region);
            resources += l.count();
            needMetrics.addAll(l.needEc2Metrics());
        }
        return new Result(resources, metrics(clients.cloudWatch(region), needMetrics, window, now));
    }

    /** Three queries per instance, 500 queries a call; returns how many values came back. */
    static int metrics(CloudWatchClient cw, List<String> instanceIds, Duration window, Instant now) {
        int period = (int) Math.max(60, ((window.getSeconds() + 59) / 60) * 60);
        List<MetricDataQuery> queries = new ArrayList<>(instanceIds.size() * 3);
        int n = 0;
        for (String id : instanceIds) {
            Dimension dim = Dimension.builder().name("InstanceId").value(id).build();
            for (String[] m : METRICS) {
                queries.add(MetricDataQuery.builder().id("q" + n++).returnData(true)
                        .metricStat(s -> s.period(period).stat(m[1])
                                .metric(x -> x.namespace("AWS/EC2").metricName(m[0]).dimensions(dim)))
                        .build());
            }
        }
        int[] values = {0};
        InstanceMetricsReader.getMetricData(cw, queries, now.minus(window), now, r -> values[0] += r.values().size());
        return values[0];
    }
}
