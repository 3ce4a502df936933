package dev.curfew.aws;

import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.S3Bucket;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.BucketRules;
import dev.curfew.core.plan.Decision;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.sweep.Deadline;
import dev.curfew.core.sweep.Outcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The {@code s3-bucket} resource kind. Buckets are listed once per sweep (ListBuckets is global); the special
 * buckets are recognised and never touched, whatever tags they carry: the buckets holding Curfew's policy and roster
 * ({@link ProtectedBuckets}), the SAM deployment bucket, CloudTrail's console-named buckets, access-log targets, and
 * buckets whose policy lets CloudTrail or a log-delivery service write to them. Emptying covers every object version,
 * delete marker and unfinished multipart upload, 1,000 keys per DeleteObjects call.
 */
public final class S3Buckets extends KindAdapter.OwnTags {
    public static final List<String> IAM_ACTIONS = List.of("s3:ListAllMyBuckets", "s3:GetBucketLocation",
            "s3:GetBucketTagging", "s3:PutBucketTagging", "s3:GetBucketLogging", "s3:GetBucketPolicy",
            "s3:GetBucketVersioning", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads",
            "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:AbortMultipartUpload", "s3:DeleteBucket");
    public static final String SAM_BUCKET_PREFIX = "aws-sam-cli-managed-default-";
    /** The name the CloudTrail console gives a new trail's bucket (template.yaml denies these too). */
    public static final String CLOUDTRAIL_BUCKET_PREFIX = "aws-cloudtrail-logs-";
    static final List<String> LOG_SERVICES = List.of("cloudtrail.amazonaws.com", "logging.s3.amazonaws.com",
            "delivery.logs.amazonaws.com", "config.amazonaws.com");
    private static final Logger LOG = LogManager.getLogger(S3Buckets.class);

    public S3Buckets() {
        super(ResourceKind.S3_BUCKET, IAM_ACTIONS);
    }

    /** ListBuckets is global: the buckets of every region are listed once per sweep. */
    @Override
    public boolean global() {
        return true;
    }

    /**
     * Object deletes see no bucket tags (template.yaml, EmptyAndDeleteThisAccountsBuckets): IAM limits emptying to
     * this account's buckets and denies Curfew's own; which bucket is emptied is the code's decision alone.
     */
    @Override
    public boolean actsOnRecord() {
        return false;
    }

    /** Buckets are read under a policy (which are students', which hold its configuration): see the other list. */
    @Override
    public List<S3Bucket> list(AwsClients clients, String region) {
        throw new UnsupportedOperationException("buckets are listed under a policy: list(Scope, region, failures)");
    }

    /** Its object versions ("emptied" when none), or that it was deleted. */
    @Override
    public String left(AwsClients clients, String region, String id) {
        try {
            long n = clients.s3().listObjectVersions(b -> b.bucket(id)).versions().size();
            return n == 0 ? "emptied" : n + " objects";
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
            return "deleted";
        }
    }

    /**
     * Every bucket; the detailed reads (emptiness, versioning, policy) only for students' buckets. The buckets of
     * Curfew's own configuration ({@link ProtectedBuckets#of}) are special whatever their tags.
     */
    @Override
    public List<S3Bucket> list(Scope scope, String region, Map<String, String> failures) {
        Listing l = listing(scope.clients(), scope.policy(), scope.protectedBuckets());
        failures.putAll(l.failures());
        return l.buckets();
    }

    /**
     * The buckets that could be read, and by name what could not ({@link Inventory#bucketKey},
     * {@link Inventory#bucketLoggingKey}): one bucket whose reads fail (after the SDK's retries) is left out, never
     * the others. Only ListBuckets failing fails the listing.
     */
    public record Listing(List<S3Bucket> buckets, Map<String, String> failures) {
    }

    static Listing listing(AwsClients clients, Policy policy, Map<String, String> protectedBuckets) {
        S3Client s3 = clients.s3();
        Map<String, String> failures = new java.util.concurrent.ConcurrentHashMap<>();
        List<Bucket> all = new ArrayList<>(s3.listBucketsPaginator(b -> b.maxBuckets(1000)).buckets().stream()
                .toList());

        // S3 has no bulk read: each bucket's reads are separate calls, so they run READ_PARALLELISM at a time
        List<Map<String, String>> tagsOf = inParallel(all, b -> orNull(() -> tags(s3, b.name()),
                Inventory.bucketKey(b.name()), failures));
        Set<String> logTargets = new HashSet<>();
        inParallel(all, b -> java.util.Optional.ofNullable(orNull(() -> logTarget(s3, b.name()),
                Inventory.bucketLoggingKey(b.name()), failures))).forEach(t -> t.ifPresent(logTargets::add));
        List<Integer> index = java.util.stream.IntStream.range(0, all.size()).boxed().toList();
        List<S3Bucket> read = inParallel(index, i -> tagsOf.get(i) == null ? null : orNull(() -> {
            Bucket b = all.get(i);
            String name = b.name();
            Map<String, String> t = tagsOf.get(i);
            String region = b.bucketRegion() != null ? b.bucketRegion() : location(s3, name);
            String special = special(name, t, logTargets, protectedBuckets);
            boolean inScope = BucketRules.students(name, t, policy);
            if (special == null && inScope) {
                special = writtenByLogService(s3, name);
            }
            Boolean empty = null;
            boolean versioned = false;
            if (special == null && inScope) {
                versioned = versioned(s3, name);
                empty = empty(s3, name);
            }
            return new S3Bucket(name, region, b.creationDate(), empty, versioned, special, t);
        }, Inventory.bucketKey(all.get(i).name()), failures));
        return new Listing(read.stream().filter(java.util.Objects::nonNull).toList(), Map.copyOf(failures));
    }

    /** The read's result, or null with the failure recorded under {@code what} (a service or client error). */
    private static <R> R orNull(java.util.function.Supplier<R> read, String what, Map<String, String> failures) {
        try {
            return read.get();
        } catch (SdkException e) {
            LOG.warn("{}: {}", what, Errors.describe(e));
            failures.put(what, Errors.describe(e));
            return null;
        }
    }

    /** How many buckets are read at once (the SDK client is thread-safe; S3 answers each call on its own). */
    static final int READ_PARALLELISM = 8;

    /**
     * Applies {@code read} to every item, {@link #READ_PARALLELISM} at a time, keeping the items' order. The first
     * failure is thrown as it is (a systemic failure fails the listing, as it would one bucket at a time).
     */
    static <T, R> List<R> inParallel(List<T> items, java.util.function.Function<T, R> read) {
        if (items.size() <= 1) {
            return items.stream().map(read).toList();
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(READ_PARALLELISM, items.size()), r -> {
                    Thread th = new Thread(r, "curfew-s3-read");
                    th.setDaemon(true);
                    return th;
                });
        try {
            List<java.util.concurrent.Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> read.apply(item)));
            }
            List<R> out = new ArrayList<>(items.size());
            for (java.util.concurrent.Future<R> f : futures) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading buckets", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, String> tags(S3Client s3, String bucket) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            s3.getBucketTagging(b -> b.bucket(bucket)).tagSet().forEach(t -> m.put(t.key(), t.value()));
        } catch (S3Exception e) {
            if (!"NoSuchTagSet".equals(Errors.code(e)) && !"NoSuchTagSetError".equals(Errors.code(e))) {
                throw e;
            }
        }
        return m;
    }

    private static String logTarget(S3Client s3, String bucket) {
        var logging = s3.getBucketLogging(b -> b.bucket(bucket)).loggingEnabled();
        return logging == null ? null : logging.targetBucket();
    }

    private static String location(S3Client s3, String bucket) {
        String c = s3.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString();
        return c == null || c.isEmpty() ? "us-east-1" : c.equals("EU") ? "eu-west-1" : c;
    }

    static String special(String name, Map<String, String> tags, Set<String> logTargets,
                          Map<String, String> protectedBuckets) {
        String configuration = protectedBuckets.get(name);
        if (configuration != null) {
            return "it " + configuration;
        }
        if (name.startsWith(CLOUDTRAIL_BUCKET_PREFIX)) {
            return "a CloudTrail log bucket (named " + CLOUDTRAIL_BUCKET_PREFIX + "...)";
        }
        if (name.startsWith(SAM_BUCKET_PREFIX)
                || "aws-sam-cli-managed-default".equals(tags.get("aws:cloudformation:stack-name"))) {
            return "the SAM deployment bucket";
        }
        if (logTargets.contains(name)) {
            return "the access-log target of another bucket";
        }
        return null;
    }

    private static String writtenByLogService(S3Client s3, String bucket) {
        try {
            String policy = s3.getBucketPolicy(b -> b.bucket(bucket)).policy();
            for (String service : LOG_SERVICES) {
                if (policy != null && policy.contains(service)) {
                    return "a log bucket (its policy lets " + service + " write to it)";
                }
            }
            return null;
        } catch (S3Exception e) {
            if ("NoSuchBucketPolicy".equals(Errors.code(e))) {
                return null;
            }
            throw e;
        }
    }

    private static boolean versioned(S3Client s3, String bucket) {
        var status = s3.getBucketVersioning(b -> b.bucket(bucket)).status();
        return status == BucketVersioningStatus.ENABLED || status == BucketVersioningStatus.SUSPENDED;
    }

    /** Empty means no object version, no delete marker and no unfinished multipart upload. */
    private static boolean empty(S3Client s3, String bucket) {
        ListObjectVersionsResponse v = s3.listObjectVersions(b -> b.bucket(bucket).maxKeys(1));
        if (!v.versions().isEmpty() || !v.deleteMarkers().isEmpty()) {
            return false;
        }
        return s3.listMultipartUploads(b -> b.bucket(bucket).maxUploads(1)).uploads().isEmpty();
    }

    @Override
    protected Outcome act(AwsClients clients, String region, Decision d) {
        return act(clients, region, d, Deadline.NONE);
    }

    /**
     * Empties or deletes a bucket. Emptying stops between DeleteObjects calls once {@code deadline} has passed: the
     * bucket is then neither deleted nor unmarked, its outcome is partial and says what was deleted, and the next run
     * (which finds it still marked and not empty) continues. A bucket the deadline had passed for before anything was
     * deleted is not started.
     */
    @Override
    protected Outcome act(AwsClients clients, String region, Decision d, Deadline deadline) {
        S3Bucket bucket = (S3Bucket) d.resource();
        S3Client s3 = clients.s3();
        Emptying emptying = new Emptying(bucket.id(), deadline, LOG::info);
        try {
            return switch (d.action()) {
                case EMPTY, DELETE -> {
                    if (!emptying.run(s3)) {
                        yield emptying.nothingYet() ? Outcome.deferred(bucket.id()) : Outcome.partial(bucket.id(),
                                "partly emptied: " + emptying.counts() + " before the time budget ran out; the rest "
                                + "is emptied on the next run (the mark stays)");
                    }
                    if (d.action() == Action.EMPTY) {
                        yield Outcome.done(bucket.id(), "emptied: " + emptying.counts());
                    }
                    s3.deleteBucket(b -> b.bucket(bucket.id()));
                    yield Outcome.done(bucket.id(), "emptied: " + emptying.counts() + "; bucket deleted");
                }
                default -> Outcome.failed(bucket.id(), "buckets cannot be sent " + d.action().wireName());
            };
        } catch (SdkException e) {
            return emptying.after(Errors.outcome(bucket.id(), e));
        } catch (KeysNotDeleted e) {
            return emptying.after(e.retryable ? Outcome.failedRetryable(bucket.id(), e.getMessage())
                    : Outcome.failed(bucket.id(), e.getMessage()));
        }
    }

    /** DeleteObjects answered for some keys with an error; retryable when every error is S3 being busy. */
    static final class KeysNotDeleted extends RuntimeException {
        static final java.util.Set<String> BUSY = java.util.Set.of("SlowDown", "InternalError", "ServiceUnavailable");
        final boolean retryable;

        KeysNotDeleted(String bucket, List<software.amazon.awssdk.services.s3.model.S3Error> errors) {
            super(errors.size() + " objects of " + bucket + " could not be deleted, e.g. " + errors.get(0).key()
                    + ": " + errors.get(0).code() + " " + errors.get(0).message());
            this.retryable = errors.stream().allMatch(x -> BUSY.contains(x.code()));
        }
    }

    /**
     * Deletes every version, delete marker and unfinished upload of one bucket, 1,000 keys a call, looking at the
     * deadline before each call; counts what it deleted.
     */
    static final class Emptying {
        private final String bucket;
        private final Deadline deadline;
        private final Consumer<String> progress;
        long deleted;
        long aborted;

        Emptying(String bucket, Deadline deadline, Consumer<String> progress) {
            this.bucket = bucket;
            this.deadline = deadline;
            this.progress = progress;
        }

        boolean nothingYet() {
            return deleted == 0 && aborted == 0;
        }

        String counts() {
            return deleted + " object versions and delete markers deleted, " + aborted + " unfinished uploads aborted";
        }

        /** A failure's outcome, saying what had been deleted before it. */
        Outcome after(Outcome o) {
            return nothingYet() || o.status() != Outcome.Status.FAILED ? o : new Outcome(o.resourceId(),
                    o.status(), o.detail() + " (after " + counts() + ")", o.retryable());
        }

        /** @return true when the bucket is empty, false when the deadline stopped it first */
        boolean run(S3Client s3) {
            // what is listed is deleted, so each round lists from the start again until nothing is left
            while (true) {
                if (deadline.passed()) {
                    return stopped();
                }
                ListObjectVersionsResponse page = s3.listObjectVersions(b -> b.bucket(bucket).maxKeys(1000));
                List<ObjectIdentifier> ids = new ArrayList<>();
                page.versions().forEach(v -> ids.add(ObjectIdentifier.builder().key(v.key())
                        .versionId(v.versionId()).build()));
                page.deleteMarkers().forEach(m -> ids.add(ObjectIdentifier.builder().key(m.key())
                        .versionId(m.versionId()).build()));
                if (ids.isEmpty()) {
                    break;
                }
                for (int from = 0; from < ids.size(); from += 1000) {
                    if (from > 0 && deadline.passed()) {
                        return stopped();
                    }
                    List<ObjectIdentifier> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
                    var r = s3.deleteObjects(b -> b.bucket(bucket).delete(x -> x.objects(chunk).quiet(true)));
                    if (!r.errors().isEmpty()) {
                        deleted += chunk.size() - r.errors().size();
                        throw new KeysNotDeleted(bucket, r.errors());
                    }
                    deleted += chunk.size();
                }
                if (progress != null) {
                    progress.accept(bucket + ": " + deleted + " object versions deleted so far");
                }
            }
            boolean moreUploads = true;
            String uploadKey = null;
            String uploadId = null;
            while (moreUploads) {
                String k = uploadKey;
                String u = uploadId;
                ListMultipartUploadsResponse page = s3.listMultipartUploads(b -> b.bucket(bucket).keyMarker(k)
                        .uploadIdMarker(u));
                for (MultipartUpload up : page.uploads()) {
                    if (deadline.passed()) {
                        return stopped();
                    }
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(up.key()).uploadId(up.uploadId()));
                    aborted++;
                }
                moreUploads = Boolean.TRUE.equals(page.isTruncated());
                uploadKey = page.nextKeyMarker();
                uploadId = page.nextUploadIdMarker();
            }
            LOG.info("emptied {}: {} object versions and delete markers, {} unfinished uploads", bucket, deleted,
                    aborted);
            return true;
        }

        private boolean stopped() {
            LOG.info("{}: the time budget ran out after {}; the rest is emptied on the next run", bucket, counts());
            return false;
        }
    }

    /** S3 replaces a bucket's whole tag set: merge with what is there, leaving aws: tags out (S3 keeps them). */
    @Override
    protected void retag(AwsClients clients, String region, Resource r, Map<String, String> set,
                         List<String> remove) {
        S3Client s3 = clients.s3();
        Map<String, String> merged = new LinkedHashMap<>(tags(s3, r.id()));
        merged.keySet().removeIf(k -> k.startsWith("aws:"));
        remove.forEach(merged::remove);
        merged.putAll(set);
        List<Tag> tags = merged.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        if (tags.isEmpty()) {
            s3.deleteBucketTagging(b -> b.bucket(r.id()));
        } else {
            s3.putBucketTagging(b -> b.bucket(r.id()).tagging(t -> t.tagSet(tags)));
        }
    }
}
