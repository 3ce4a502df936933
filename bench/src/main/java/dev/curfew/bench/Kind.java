package dev.curfew.bench;

import dev.curfew.aws.AwsClients;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * One resource kind as the bench sees it: how many to seed for a size, how to seed them into an emulated region,
 * and the floor's plain listing of it (once per page: the calls any sweep must make). Adding a kind to the bench is
 * one entry in {@link Kinds#ALL} built from these two small functions.
 *
 * @param name   the kind's wire name ({@code ec2-instance}, {@code ebs-volume}, ...)
 * @param listOp the call that lists the kind ({@code ec2:DescribeVolumes}); the floor lists a kind only when the
 *               sweep does (seen in the warm-up sweep's calls), so the two always do the same work
 * @param global listed once per sweep (S3 buckets), not once per region
 * @param count  how many to seed for N instances per region (per region; in all, for a global kind)
 * @param seed   puts resources {@code [from, to)} of a region into the emulator; {@code null}: not seeded
 * @param floor  lists the kind in a region the cheapest way a sweep could, and says which instances need metrics
 */
public record Kind(String name, String listOp, boolean global, IntUnaryOperator count, Seeder seed,
                   FloorLister floor) {

    /** Seeds resources number {@code from} (inclusive) to {@code to} (exclusive) of one region. */
    @FunctionalInterface
    public interface Seeder {
        void seed(AwsClients clients, String region, int from, int to, SeedPlan plan);
    }

    /** Lists one region's resources of the kind, page by page, with no other call. */
    @FunctionalInterface
    public interface FloorLister {
        Listed list(AwsClients clients, String region);
    }

    /**
     * What a floor listing found.
     *
     * @param count          resources listed
     * @param needEc2Metrics ids of the instances whose CPU and network a sweep must read (empty for other kinds)
     */
    public record Listed(int count, List<String> needEc2Metrics) {
        public Listed {
            needEc2Metrics = List.copyOf(needEc2Metrics);
        }

        public static Listed of(int count) {
            return new Listed(count, List.of());
        }
    }
}
