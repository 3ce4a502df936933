package dev.curfew.aws;

import dev.curfew.core.model.InstanceMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * CPU and network figures for many instances at once: three queries per instance (CPUUtilization average,
 * NetworkIn sum, NetworkOut sum), each one period as long as the window, packed 500 to a GetMetricData call.
 */
public final class InstanceMetricsReader {
    public static final List<String> IAM_ACTIONS = List.of("cloudwatch:GetMetricData");
    /** CloudWatch's limit of queries in one GetMetricData call. */
    static final int MAX_QUERIES = 500;

    private final AwsClients clients;

    public InstanceMetricsReader(AwsClients clients) {
        this.clients = clients;
    }

    public Map<String, InstanceMetrics> read(String region, List<String> instanceIds, Duration window, Instant now) {
        if (instanceIds.isEmpty()) {
            return Map.of();
        }
        int period = (int) Math.max(60, ((window.getSeconds() + 59) / 60) * 60);
        List<MetricDataQuery> queries = new ArrayList<>(instanceIds.size() * 3);
        for (int n = 0; n < instanceIds.size(); n++) {
            String id = instanceIds.get(n);
            queries.add(query("c" + n, id, "CPUUtilization", "Average", period));
            queries.add(query("i" + n, id, "NetworkIn", "Sum", period));
            queries.add(query("o" + n, id, "NetworkOut", "Sum", period));
        }
        Map<String, Double> values = new HashMap<>();
        CloudWatchClient cw = clients.cloudWatch(region);
        getMetricData(cw, queries, now.minus(window), now, res -> {
            if (!res.values().isEmpty()) {
                values.merge(res.id(), combine(res.id(), res.values()), (a, b) -> combine(res.id(), List.of(a, b)));
            }
        });
        Map<String, InstanceMetrics> out = new HashMap<>();
        for (int n = 0; n < instanceIds.size(); n++) {
            Double cpu = values.get("c" + n);
            out.put(instanceIds.get(n), new InstanceMetrics(cpu, values.get("i" + n), values.get("o" + n)));
        }
        return out;
    }

    /**
     * Runs {@code queries} from {@code start} to {@code end}, {@value #MAX_QUERIES} to a GetMetricData call, each
     * call followed through its pages, and hands every result to {@code each}.
     */
    public static void getMetricData(CloudWatchClient cw, List<MetricDataQuery> queries, Instant start, Instant end,
            Consumer<MetricDataResult> each) {
        for (int from = 0; from < queries.size(); from += MAX_QUERIES) {
            List<MetricDataQuery> chunk = queries.subList(from, Math.min(queries.size(), from + MAX_QUERIES));
            String token = null;
            do {
                String t = token;
                GetMetricDataResponse r = cw.getMetricData(b -> b.metricDataQueries(chunk).startTime(start)
                        .endTime(end).nextToken(t));
                r.metricDataResults().forEach(each);
                token = r.nextToken();
            } while (token != null && !token.isEmpty());
        }
    }

    /** A CPU average over several periods is their mean; network sums add up. */
    private static double combine(String id, List<Double> vs) {
        double sum = 0;
        for (double v : vs) {
            sum += v;
        }
        return id.startsWith("c") ? sum / vs.size() : sum;
    }

    private static MetricDataQuery query(String queryId, String instanceId, String metric, String stat, int period) {
        return MetricDataQuery.builder().id(queryId).returnData(true)
                .metricStat(s -> s.period(period).stat(stat).metric(m -> m.namespace("AWS/EC2").metricName(metric)
                        .dimensions(Dimension.builder().name("InstanceId").value(instanceId).build())))
                .build();
    }
}
