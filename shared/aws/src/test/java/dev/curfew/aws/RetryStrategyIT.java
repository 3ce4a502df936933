package dev.curfew.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.aws.testing.MotoServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/** The retry strategy every client really runs: the standard one, with the settings' attempts and timeouts. */
class RetryStrategyIT {
    static final String EU = "eu-west-1";
    MotoServer moto = MotoServer.get();

    @Test
    void everyClientRunsTheStandardStrategyWithTheSettingsAttemptsAndAnAttemptTimeout() {
        AwsSettings s = moto.settings(EU).withMaxAttempts(7).withTimeouts(Duration.ofSeconds(60),
                Duration.ofSeconds(15));
        try (AwsClients c = new AwsClients(s)) {
            List<ClientOverrideConfiguration> configs = List.of(
                    c.ec2(EU).serviceClientConfiguration().overrideConfiguration(),
                    c.s3().serviceClientConfiguration().overrideConfiguration(),
                    c.sts().serviceClientConfiguration().overrideConfiguration(),
                    c.cloudWatch(EU).serviceClientConfiguration().overrideConfiguration(),
                    c.emr(EU).serviceClientConfiguration().overrideConfiguration(),
                    c.ssm(EU).serviceClientConfiguration().overrideConfiguration(),
                    c.ses().serviceClientConfiguration().overrideConfiguration(),
                    c.secrets().serviceClientConfiguration().overrideConfiguration());
            for (ClientOverrideConfiguration o : configs) {
                RetryStrategy r = o.retryStrategy().orElseThrow();
                assertThat(r).isInstanceOf(StandardRetryStrategy.class);
                assertThat(r.maxAttempts()).isEqualTo(7);
                assertThat(o.apiCallTimeout()).contains(Duration.ofSeconds(60));
                assertThat(o.apiCallAttemptTimeout()).contains(Duration.ofSeconds(15));
            }
        }
    }

    @Test
    void aCallIsTriedAsOftenAsTheSettingsSayThroughThrottlingAndServerErrors() {
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), 1.0, 3);
             AwsClients c = new AwsClients(moto.settings(EU).withEndpoint(URI.create(proxy.endpoint()))
                     .withRetries(6, Duration.ofMillis(1), Duration.ofMillis(5)))) {
            for (Runnable call : List.<Runnable>of(() -> c.ec2(EU).describeInstances(), () -> c.s3().listBuckets(),
                    () -> c.sts().getCallerIdentity(), () -> c.emr(EU).listClusters(),
                    () -> c.cloudWatch(EU).listMetrics())) {
                assertThat(catchThrowableOfType(call::run, AwsServiceException.class)).isNotNull();
            }
            for (String op : List.of("ec2:DescribeInstances", "s3:ListBuckets", "sts:GetCallerIdentity",
                    "emr:ListClusters")) {
                assertThat(proxy.stats(op).calls()).as(op).isEqualTo(1);
                assertThat(proxy.stats(op).attempts()).as(op).isEqualTo(6);
            }
            // the retry quota (circuit breaker) of the standard strategy does not cut a batch job's retries short
            for (int i = 0; i < 30; i++) {
                catchThrowableOfType(() -> c.ec2(EU).describeVolumes(), AwsServiceException.class);
            }
            assertThat(proxy.stats("ec2:DescribeVolumes").attempts()).isEqualTo(30 * 6);
        }
    }

    @Test
    void theBackoffIsJitteredExponentialFromTheBaseDelayToTheMaximum() {
        // 4 attempts with 200 ms base: waits of at most 200 + 400 + 800 ms (full jitter), at most 100 ms each capped
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), 1.0, 3).kinds(FaultProxy.Fault.THROTTLE);
             AwsClients c = new AwsClients(moto.settings(EU).withEndpoint(URI.create(proxy.endpoint()))
                     .withRetries(4, Duration.ofMillis(200), Duration.ofMillis(100)))) {
            long t0 = System.nanoTime();
            catchThrowableOfType(() -> c.ec2(EU).describeInstances(), AwsServiceException.class);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(proxy.stats("ec2:DescribeInstances").attempts()).isEqualTo(4);
            assertThat(ms).as("three waits capped at 100 ms").isLessThan(2_000);
        }
    }
}
