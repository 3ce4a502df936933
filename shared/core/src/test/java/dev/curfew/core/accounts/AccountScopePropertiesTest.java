package dev.curfew.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.core.model.EbsSnapshot;
import dev.curfew.core.model.EbsVolume;
import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.model.ElasticIp;
import dev.curfew.core.model.EmrCluster;
import dev.curfew.core.model.InstanceState;
import dev.curfew.core.model.Inventory;
import dev.curfew.core.model.MachineImage;
import dev.curfew.core.model.Protection;
import dev.curfew.core.model.Resource;
import dev.curfew.core.model.ResourceKind;
import dev.curfew.core.model.S3Bucket;
import dev.curfew.core.model.SecurityGroup;
import dev.curfew.core.model.SpotRequest;
import dev.curfew.core.model.SpotRequestType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The scope of an enrolled account ({@link AccountScope}), over random inventories of every kind, random enrolment
 * times and random tags (forged owner tags, forged, malformed or missing {@code curfew:created-at} records). Each
 * generated resource carries the truth the generator gave it ({@link Made#born}: when it came to be as AWS, or for the
 * kinds AWS does not date the sentinel, records it; null when nothing records it), so the properties are checked
 * against the generator, not against the code under test.
 */
class AccountScopePropertiesTest {
    static final String ACCOUNT = "111111111111";
    static final String OWNER_TAG = "curfew:owner";
    static final Instant LOW = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant HIGH = Instant.parse("2027-01-01T00:00:00Z");

    /** A generated resource and when it truly came to be (null: not recorded anywhere Curfew may trust). */
    record Made(Resource resource, Instant born) {
    }

    // ---- generators ------------------------------------------------------------------------------------------

    static Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(LOW.getEpochSecond(), HIGH.getEpochSecond()).map(Instant::ofEpochSecond);
    }

    /** Enrolment times: anywhere in the range, often exactly on a generated creation time's second. */
    @Provide
    Arbitrary<Instant> sinces() {
        return instants();
    }

    /** Other tags: a forged owner tag naming another student (or the student), a Name, nothing. */
    static Arbitrary<Map<String, String>> otherTags() {
        Arbitrary<String> owner = Arbitraries.of("none", "bob", "alice", "");
        Arbitrary<String> name = Arbitraries.of("none", "lab", "personal-blog");
        return Combinators.combine(owner, name).as((o, n) -> {
            Map<String, String> m = new LinkedHashMap<>();
            if (!o.equals("none")) {
                m.put(OWNER_TAG, o);
            }
            if (!n.equals("none")) {
                m.put("Name", n);
            }
            return m;
        });
    }

    /** What a curfew:created-at tag may say: nothing, a valid instant, or something that is not one. */
    record CreatedTag(String value, Instant parsed) {
        void putInto(Map<String, String> tags) {
            if (value != null) {
                tags.put(AccountScope.CREATED_AT_TAG, value);
            }
        }
    }

    static Arbitrary<CreatedTag> createdTags() {
        Arbitrary<CreatedTag> valid = instants().map(t -> new CreatedTag(t.toString(), t));
        Arbitrary<CreatedTag> padded = instants().map(t -> new CreatedTag(" " + t + " ", t));
        Arbitrary<CreatedTag> malformed = Arbitraries.of("yesterday", "", "2026-13-01T00:00:00Z", "2026-09-01",
                "1756713600", "2026-09-01T08:00:00", "null").map(v -> new CreatedTag(v, null));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(new CreatedTag(null, null))),
                net.jqwik.api.Tuple.of(4, valid),
                net.jqwik.api.Tuple.of(1, padded),
                net.jqwik.api.Tuple.of(2, malformed));
    }

    /** A creation time AWS gives, or none (an emulator or a partial answer may leave it out). */
    static Arbitrary<Instant> awsTimes() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just((Instant) null)),
                net.jqwik.api.Tuple.of(6, instants()));
    }

    static Map<String, String> tags(Map<String, String> other, CreatedTag created) {
        Map<String, String> m = new HashMap<>(other);
        created.putInto(m);
        return m;
    }

    /** One resource of a random kind with its truth; a created-at tag on a kind AWS dates is ignored (forged). */
    static Arbitrary<Made> resources() {
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'f').numeric().ofLength(8);
        Arbitrary<ResourceKind> kinds = Arbitraries.of(ResourceKind.class);
        return Combinators.combine(kinds, ids, awsTimes(), instants(), otherTags(), createdTags())
                .as(AccountScopePropertiesTest::make);
    }

    static Made make(ResourceKind kind, String id, Instant aws, Instant launch, Map<String, String> other,
                     CreatedTag created) {
        String region = "eu-west-1";
        Map<String, String> t = tags(other, created);
        return switch (kind) {
            // an instance is dated by its root volume's attach time; without one, by the sentinel's record; its
            // launch time (reset by every start) never dates it
            case EC2_INSTANCE -> new Made(new Ec2Instance("i-" + id, region, "t3.micro", InstanceState.RUNNING,
                    false, null, null, launch, aws, null, t, Protection.UNKNOWN), aws != null ? aws : created.parsed());
            case EBS_VOLUME -> new Made(new EbsVolume("vol-" + id, region, region + "a", "gp3", 8, "available", null,
                    aws, null, t), aws);
            case EBS_SNAPSHOT -> new Made(new EbsSnapshot("snap-" + id, region, "vol-1", 8, aws, "completed", t), aws);
            case S3_BUCKET -> new Made(new S3Bucket("bucket-" + id, region, aws, false, false, null, t), aws);
            case AMI -> new Made(new MachineImage("ami-" + id, region, "img", aws, List.of(), t), aws);
            case EMR_CLUSTER -> new Made(new EmrCluster("j-" + id, region, "c", "WAITING", aws, aws, 0, false, 1.0, t),
                    aws);
            case SPOT_REQUEST -> new Made(new SpotRequest("sir-" + id, region, SpotRequestType.ONE_TIME, "open", null,
                    "t3.micro", aws, t), aws);
            // AWS gives no creation time: only the sentinel's record dates them
            case ELASTIC_IP -> new Made(new ElasticIp("eipalloc-" + id, region, "198.51.100.1", null, null, t),
                    created.parsed());
            case SECURITY_GROUP -> new Made(new SecurityGroup("sg-" + id, region, "g", "vpc-1", List.of(), t),
                    created.parsed());
            case NAT_GATEWAY -> new Made(new dev.curfew.core.model.NatGateway("nat-" + id, region, "available",
                    "vpc-1", "subnet-1", List.of(), aws, t), aws);
        };
    }

    @Provide
    Arbitrary<List<Made>> inventories() {
        return resources().list().ofMaxSize(25).map(l -> {
            Map<String, Made> unique = new LinkedHashMap<>();
            l.forEach(m -> unique.putIfAbsent(m.resource().id(), m));
            return new ArrayList<>(unique.values());
        });
    }

    @Provide
    Arbitrary<Made> oneResource() {
        return resources();
    }

    static Inventory inventory(List<Made> made) {
        Map<ResourceKind, List<Resource>> byKind = new java.util.EnumMap<>(ResourceKind.class);
        made.forEach(m -> byKind.computeIfAbsent(m.resource().kind(), k -> new ArrayList<>()).add(m.resource()));
        return new Inventory(byKind, Map.of(), Map.of());
    }

    static List<Resource> all(Inventory inv) {
        return inv.byKind().values().stream().flatMap(List::stream).toList();
    }

    static Set<String> ids(Inventory inv) {
        return all(inv).stream().map(Resource::id).collect(Collectors.toSet());
    }

    // ---- properties ------------------------------------------------------------------------------------------

    @Property
    void nothingCreatedBeforeSinceIsEverInScope(@ForAll("inventories") List<Made> made, @ForAll("sinces") Instant since) {
        AccountScope.Split split = new AccountScope(ACCOUNT, "alice", since).split(inventory(made), OWNER_TAG);
        Set<String> kept = ids(split.inScope());
        for (Made m : made) {
            if (m.born() != null && m.born().isBefore(since)) {
                assertThat(kept).as(m + " created before " + since).doesNotContain(m.resource().id());
            }
        }
    }

    @Property
    void whatIsKeptIsExactlyWhatWasProvablyCreatedSinceEnrolment(@ForAll("inventories") List<Made> made,
                                                                   @ForAll("sinces") Instant since) {
        AccountScope.Split split = new AccountScope(ACCOUNT, "alice", since).split(inventory(made), OWNER_TAG);
        Set<String> expected = made.stream().filter(m -> m.born() != null && !m.born().isBefore(since))
                .map(m -> m.resource().id()).collect(Collectors.toSet());
        assertThat(ids(split.inScope())).isEqualTo(expected);
    }

    @Property
    void aResourceWithNoKnownCreationTimeIsNeverInALimitedScope(@ForAll("oneResource") Made m,
                                                                @ForAll("sinces") Instant since) {
        AccountScope scope = new AccountScope(ACCOUNT, "alice", since);
        if (m.born() == null) {
            assertThat(scope.outOfScope(m.resource())).as(m.toString()).isNotNull().startsWith("out of scope: ");
            assertThat(m.resource().created()).isNull();
        }
        // even the earliest possible enrolment leaves it out
        if (m.born() == null) {
            assertThat(new AccountScope(ACCOUNT, null, Instant.EPOCH).outOfScope(m.resource())).isNotNull();
        }
    }

    @Property
    void everythingKeepsAllUnchangedInTheClassAccount(@ForAll("inventories") List<Made> made) {
        Inventory inv = inventory(made);
        AccountScope.Split split = AccountScope.everything(ACCOUNT).split(inv, OWNER_TAG);
        assertThat(split.outOfScope()).isEmpty();
        assertThat(all(split.inScope())).containsExactlyElementsOf(all(inv));
    }

    @Property
    void everythingInAStudentsAccountKeepsAllAsTheStudents(@ForAll("inventories") List<Made> made) {
        Inventory inv = inventory(made);
        AccountScope.Split split = new AccountScope(ACCOUNT, "alice", null).split(inv, OWNER_TAG);
        assertThat(split.outOfScope()).isEmpty();
        assertThat(ids(split.inScope())).isEqualTo(ids(inv));
        assertThat(all(split.inScope())).allSatisfy(r -> assertThat(r.tags()).containsEntry(OWNER_TAG, "alice"));
    }

    @Property
    void splitNeverLosesOrDuplicatesAResource(@ForAll("inventories") List<Made> made, @ForAll("sinces") Instant since,
                                              @ForAll boolean student) {
        Inventory inv = inventory(made);
        AccountScope.Split split = new AccountScope(ACCOUNT, student ? "alice" : null, since).split(inv, OWNER_TAG);
        List<String> in = all(split.inScope()).stream().map(Resource::id).toList();
        List<String> out = split.outOfScope().stream().map(l -> l.resource().id()).toList();
        List<String> both = new ArrayList<>(in);
        both.addAll(out);
        assertThat(both).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(inv));
        assertThat(split.outOfScope()).allSatisfy(l -> assertThat(l.reason()).startsWith("out of scope: "));
        // the left-out resources are reported as they were found, tags untouched
        Map<String, Resource> byId = all(inv).stream().collect(Collectors.toMap(Resource::id, r -> r));
        assertThat(split.outOfScope()).allSatisfy(l -> assertThat(l.resource()).isEqualTo(byId.get(l.resource().id())));
        // metrics and failures pass through
        assertThat(split.inScope().failures()).isEqualTo(inv.failures());
    }

    @Property
    void inAStudentsAccountEveryKeptResourceIsTheStudentsWhateverItsOwnerTagSaid(
            @ForAll("inventories") List<Made> made, @ForAll("sinces") Instant since) {
        Inventory inv = inventory(made);
        Map<String, Resource> before = all(inv).stream().collect(Collectors.toMap(Resource::id, r -> r));
        AccountScope.Split split = new AccountScope(ACCOUNT, "alice", since).split(inv, OWNER_TAG);
        for (Resource r : all(split.inScope())) {
            assertThat(r.tags()).as(r.id()).containsEntry(OWNER_TAG, "alice");
            Resource was = before.get(r.id());
            assertThat(r.kind()).isEqualTo(was.kind());
            assertThat(r.region()).isEqualTo(was.region());
            // every other tag is kept as it was
            Map<String, String> others = new HashMap<>(r.tags());
            others.remove(OWNER_TAG);
            Map<String, String> wasOthers = new HashMap<>(was.tags());
            wasOthers.remove(OWNER_TAG);
            assertThat(others).isEqualTo(wasOthers);
            assertThat(r.created()).isEqualTo(was.created());
        }
    }

    @Property
    void elasticIpsAndSecurityGroupsAreInScopeOnlyWithAParseableRecordNotBeforeSince(
            @ForAll("oneResource") Made m, @ForAll("sinces") Instant since) {
        if (!(m.resource() instanceof ElasticIp) && !(m.resource() instanceof SecurityGroup)) {
            return;
        }
        String tag = m.resource().tags().get(AccountScope.CREATED_AT_TAG);
        Instant parsed;
        try {
            parsed = tag == null ? null : Instant.parse(tag.trim());
        } catch (java.time.DateTimeException e) {
            parsed = null;
        }
        boolean inScope = new AccountScope(ACCOUNT, "alice", since).outOfScope(m.resource()) == null;
        assertThat(inScope).as(m.toString()).isEqualTo(parsed != null && !parsed.isBefore(since));
    }

    @Property
    void aForgedCreatedAtRecordNeverMovesAKindAwsDates(@ForAll("oneResource") Made m, @ForAll("sinces") Instant since) {
        if (m.resource() instanceof ElasticIp || m.resource() instanceof SecurityGroup
                || m.resource() instanceof Ec2Instance i && i.rootAttachTime() == null) {
            return;
        }
        AccountScope scope = new AccountScope(ACCOUNT, "alice", since);
        boolean in = scope.outOfScope(m.resource()) == null;
        for (Instant forged : List.of(LOW, HIGH)) {
            Made again = make(m.resource().kind(), m.resource().id().replaceFirst("^[a-z]+-", ""), m.born(),
                    Instant.EPOCH, m.resource().tags(), new CreatedTag(forged.toString(), forged));
            assertThat(scope.outOfScope(again.resource()) == null).as(again.toString()).isEqualTo(in);
        }
    }

    @Property
    void anUnknownEnrolmentLeavesEverythingOut(@ForAll("inventories") List<Made> made) {
        AccountScope scope = new AccountScope(ACCOUNT, "alice", AccountScope.UNKNOWN_ENROLMENT);
        AccountScope.Split split = scope.split(inventory(made), OWNER_TAG);
        assertThat(split.inScope().size()).isZero();
        assertThat(split.outOfScope()).hasSize(made.size()).allSatisfy(l -> assertThat(l.reason())
                .contains("when this account was enrolled is not known").doesNotContain("+1000000000"));
    }

    // ---- examples --------------------------------------------------------------------------------------------

    static final Instant SINCE = Instant.parse("2026-09-01T08:00:00Z");

    @Example
    void aMalformedCreatedAtRecordIsOutOfScopeAndSaysWhy() {
        ElasticIp eip = new ElasticIp("eipalloc-1", "eu-west-1", "198.51.100.1", null, null,
                Map.of(AccountScope.CREATED_AT_TAG, "last tuesday"));
        String why = new AccountScope(ACCOUNT, "alice", SINCE).outOfScope(eip);
        assertThat(why).isEqualTo("out of scope: Curfew did not record its creation after enrolment ("
                + AccountScope.CREATED_AT_TAG + "); this account is in scope from " + SINCE);
    }

    @Example
    void anInstanceStartedAgainAfterEnrolmentIsStillDatedByItsRootVolume() {
        Ec2Instance personal = new Ec2Instance("i-personal", "eu-west-1", "t3.micro", InstanceState.RUNNING, false,
                null, null, SINCE.plusSeconds(3600), SINCE.minusSeconds(86_400 * 90), null,
                Map.of(OWNER_TAG, "bob"), Protection.UNKNOWN);
        assertThat(new AccountScope(ACCOUNT, "alice", SINCE).outOfScope(personal))
                .isEqualTo("out of scope: created " + SINCE.minusSeconds(86_400 * 90) + ", before enrolment ("
                        + SINCE + "); left alone");
    }

    @Example
    void createdAtTheMomentOfEnrolmentIsInScopeAndAForgedOwnerIsOverruled() {
        EbsVolume v = new EbsVolume("vol-1", "eu-west-1", "eu-west-1a", "gp3", 8, "available", null, SINCE, null,
                Map.of(OWNER_TAG, "bob"));
        AccountScope.Split split = new AccountScope(ACCOUNT, "alice", SINCE)
                .split(new Inventory(List.of(), Map.of(), List.of(v), List.of(), List.of(), List.of()), OWNER_TAG);
        assertThat(split.outOfScope()).isEmpty();
        assertThat(split.inScope().volumes()).singleElement()
                .satisfies(x -> assertThat(x.tags()).containsEntry(OWNER_TAG, "alice"));
    }
}
