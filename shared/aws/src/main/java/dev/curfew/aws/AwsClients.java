package dev.curfew.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Every SDK client Curfew uses, one per service and region, sharing one HTTP client and one {@link CallCounter}.
 */
public final class AwsClients implements AutoCloseable {
    private final AwsSettings settings;
    private final CallCounter counter = new CallCounter();
    private final SdkHttpClient http;
    private final Map<Region, Ec2Client> ec2 = new ConcurrentHashMap<>();
    private final Map<Region, CloudWatchClient> cloudWatch = new ConcurrentHashMap<>();
    private final Map<Region, software.amazon.awssdk.services.emr.EmrClient> emr = new ConcurrentHashMap<>();
    private final Map<Region, SsmClient> ssm = new ConcurrentHashMap<>();
    private final AtomicReference<StsClient> sts = new AtomicReference<>();
    private final AtomicReference<software.amazon.awssdk.services.iam.IamClient> iam = new AtomicReference<>();
    private final AtomicReference<S3Client> s3 = new AtomicReference<>();
    private final AtomicReference<software.amazon.awssdk.services.sesv2.SesV2Client> ses = new AtomicReference<>();
    private final AtomicReference<software.amazon.awssdk.services.secretsmanager.SecretsManagerClient> secrets =
            new AtomicReference<>();
    private final AtomicReference<software.amazon.awssdk.services.organizations.OrganizationsClient> organizations =
            new AtomicReference<>();
    private final AtomicReference<software.amazon.awssdk.services.costexplorer.CostExplorerClient> costExplorer =
            new AtomicReference<>();
    private final java.util.Queue<software.amazon.awssdk.utils.SdkAutoCloseable> built =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    public AwsClients(AwsSettings settings) {
        this(settings, http(settings));
    }

    /** Clients sending through the given HTTP client ({@link SdkWarmup}'s answers from memory), which close closes. */
    AwsClients(AwsSettings settings, SdkHttpClient http) {
        this.settings = settings;
        this.http = http;
    }

    static SdkHttpClient http(AwsSettings settings) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(java.time.Duration.ofSeconds(5))
                // one answer may take as long as one attempt may (the bench gives slow emulators minutes)
                .socketTimeout(settings.attemptTimeout())
                .build();
    }

    public AwsSettings settings() {
        return settings;
    }

    public CallCounter counter() {
        return counter;
    }

    public Ec2Client ec2(String region) {
        return ec2.computeIfAbsent(Region.of(region), r -> built(configure(Ec2Client.builder(), r).build()));
    }

    public CloudWatchClient cloudWatch(String region) {
        return cloudWatch.computeIfAbsent(Region.of(region), r -> built(configure(CloudWatchClient.builder(), r).build()));
    }

    public SsmClient ssm(String region) {
        return ssm.computeIfAbsent(Region.of(region), r -> built(configure(SsmClient.builder(), r).build()));
    }

    public software.amazon.awssdk.services.emr.EmrClient emr(String region) {
        return emr.computeIfAbsent(Region.of(region),
                r -> built(configure(software.amazon.awssdk.services.emr.EmrClient.builder(), r).build()));
    }

    public StsClient sts() {
        return once(sts, () -> configure(StsClient.builder(), settings.homeRegion()).build());
    }

    /** IAM (a global service: the aws-global region's endpoint). */
    public software.amazon.awssdk.services.iam.IamClient iam() {
        return once(iam, () -> configure(software.amazon.awssdk.services.iam.IamClient.builder(), Region.AWS_GLOBAL)
                .build());
    }

    public S3Client s3() {
        return once(s3, () -> configure(S3Client.builder(), settings.homeRegion())
                .forcePathStyle(settings.endpoint() != null)
                .crossRegionAccessEnabled(settings.endpoint() == null)
                .build());
    }

    /** SES v2 in the home region (where the sender identity is verified). */
    public software.amazon.awssdk.services.sesv2.SesV2Client ses() {
        return once(ses, () -> configure(software.amazon.awssdk.services.sesv2.SesV2Client.builder(),
                settings.homeRegion()).build());
    }

    /** Secrets Manager in the home region (the Slack webhook URL and bot token). */
    public software.amazon.awssdk.services.secretsmanager.SecretsManagerClient secrets() {
        return once(secrets, () -> configure(software.amazon.awssdk.services.secretsmanager.SecretsManagerClient
                .builder(), settings.homeRegion()).build());
    }

    /** AWS Organizations (a global service; the SDK sends the home region's partition to its one endpoint). */
    public software.amazon.awssdk.services.organizations.OrganizationsClient organizations() {
        return once(organizations, () -> configure(software.amazon.awssdk.services.organizations.OrganizationsClient
                .builder(), settings.homeRegion()).build());
    }

    /** Cost Explorer (a global service: the SDK sends the home region's partition to its one endpoint). */
    public software.amazon.awssdk.services.costexplorer.CostExplorerClient costExplorer() {
        return once(costExplorer, () -> configure(
                software.amazon.awssdk.services.costexplorer.CostExplorerClient.builder(), settings.homeRegion())
                .build());
    }

    /** The client in {@code slot}, built by {@code build} at the first call (once, whatever the threads). */
    private <C extends software.amazon.awssdk.utils.SdkAutoCloseable> C once(AtomicReference<C> slot,
                                                                             Supplier<C> build) {
        C client = slot.get();
        if (client == null) {
            synchronized (slot) {
                client = slot.get();
                if (client == null) {
                    client = built(build.get());
                    slot.set(client);
                }
            }
        }
        return client;
    }

    private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>>
            B configure(B builder, Region region) {
        builder.region(region)
                .credentialsProvider(settings.credentials())
                .httpClient(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .addExecutionInterceptor(counter)
                        .retryStrategy(retryStrategy(settings))
                        .apiCallTimeout(settings.callTimeout())
                        .apiCallAttemptTimeout(settings.attemptTimeout())
                        .build());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder;
    }

    private <C extends software.amazon.awssdk.utils.SdkAutoCloseable> C built(C client) {
        built.add(client);
        return client;
    }

    /**
     * One strategy for every client: the SDK's standard one (AWS's retryable errors: throttling, 5xx, I/O), with the
     * settings' attempts and full-jitter exponential backoff from the base delay to the maximum, for throttling and
     * other errors alike, and without the retry quota. Why standard and not adaptive: adaptive adds a client-side rate
     * limiter that, once throttled, makes every later call of the client wait for a token, so the regions swept in
     * parallel stall behind one throttled region; a nightly batch would rather wait per call and carry on. Why no
     * quota: it stops retrying once many calls of a client failed (meant to shed load from an interactive service);
     * a batch job that runs once a night must instead finish its pass, and the call timeout bounds each call.
     * (Setting a mode and then a builder mutator, as this class did before, silently ran the legacy strategy.)
     */
    static RetryStrategy retryStrategy(AwsSettings settings) {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelay(settings.baseDelay(), settings.maxBackoff());
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts())
                .backoffStrategy(backoff)
                .throttlingBackoffStrategy(backoff)
                .circuitBreakerEnabled(false)
                .build();
    }

    @Override
    public void close() {
        // only the clients built, by their common type: a function ships only the SDK services it calls
        built.forEach(software.amazon.awssdk.utils.SdkAutoCloseable::close);
        http.close();
    }
}
