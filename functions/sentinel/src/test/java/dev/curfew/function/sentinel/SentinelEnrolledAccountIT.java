package dev.curfew.function.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.aws.sentinel.SentinelAws;
import dev.curfew.aws.testing.MotoTest;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.enrol.Enrolment;
import io.micronaut.json.JsonMapper;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Events forwarded from students' own accounts (README, "Students' own accounts (enrolment)"): the home account is
 * 123456789012; alice's own account 111111111111 is on the roster, 999999999999 is not. Things are made "in a
 * student's account" with credentials assumed into it (moto keeps each account's state apart).
 */
class SentinelEnrolledAccountIT extends MotoTest {
    static final String ALICES = "111111111111";
    static final String STRANGER = "999999999999";
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    static AccountSessions sessions;
    static SentinelHandler handler;
    static JsonMapper json;
    static LogMessenger messages;
    static final List<String> log = new CopyOnWriteArrayList<>();
    static AbstractAppender probe;

    @BeforeAll
    static void start() {
        probe = new AbstractAppender("enrolled-probe", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                log.add(e.getLevel() + " " + e.getMessage().getFormattedMessage());
            }
        };
        probe.start();
        ((Logger) LogManager.getLogger(SentinelService.class)).addAppender(probe);
    }

    @AfterAll
    static void stop() {
        ((Logger) LogManager.getLogger(SentinelService.class)).removeAppender(probe);
    }

    @AfterEach
    void close() {
        handler.close();
        sessions.close();
    }

    @BeforeEach
    void accounts() {
        // a handler per test: the credentials it assumed into an account are forgotten by moto's reset
        handler("enforce");
        log.clear();
        sessions = new AccountSessions(clients, "curfew-test");
        clients.ssm(EU).putParameter(b -> b.name("/curfew/roster").type("String").value(
                "owner,name,email,account\nalice,Alice A,alice@example.edu," + ALICES + "\nbob,Bob B,bob@example.edu,\n"));
        clients.ssm(EU).putParameter(b -> b.name(AccountSessions.KEY_PARAMETER).type("SecureString")
                .value(Base64.getEncoder().encodeToString(KEY)));
    }

    static void handler(String mode) {
        if (handler != null) {
            handler.close();
        }
        handler = Sentinels.handler(moto, Map.of("curfew.policy",
                Path.of("src/test/resources/sentinel-enrolled-policy.yaml").toAbsolutePath().toString(),
                "curfew.mode", mode));
        json = handler.getApplicationContext().getBean(JsonMapper.class);
        messages = handler.getApplicationContext().getBean(LogMessenger.class);
    }

    /** A class-account sample as forwarded from {@code account}: every 123456789012 in it becomes that account. */
    static Map<String, Object> forwardedSample(String file, String account, String... fromTo) throws Exception {
        String text = Events.rewritten(file, fromTo).replace("123456789012", account);
        return handler.handleRequest(Events.parse(json, text), null);
    }

    /** EC2 acting in {@code account} (credentials assumed into it). */
    static Ec2Client ec2In(String account) {
        return sessions.clients(new AccountTarget(account, "someone", AccountTarget.Source.ROSTER)).ec2(EU);
    }

    static String runInstance(Ec2Client ec2, String type, Tag... tags) {
        return ec2.runInstances(b -> {
            b.imageId("ami-12c6146b").instanceType(type).minCount(1).maxCount(1);
            if (tags.length > 0) {
                b.tagSpecifications(t -> t.resourceType("instance").tags(tags));
            }
        }).instances().get(0).instanceId();
    }

    static Map<String, String> tags(Ec2Client ec2, String id) {
        Map<String, String> out = new LinkedHashMap<>();
        ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0).tags()
                .forEach((Tag t) -> out.put(t.key(), t.value()));
        return out;
    }

    static String state(Ec2Client ec2, String id) {
        return ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0).state()
                .nameAsString();
    }

    /** The forwarded RunInstances sample (account 111111111111, CloudTrail naming the IAM user bob there). */
    static Map<String, Object> forwarded(String instance, String account) throws Exception {
        return handler.handleRequest(Events.parse(json, Events.rewritten("sentinel-runinstances-forwarded.json",
                Events.INSTANCE, instance, ALICES, account)), null);
    }

    static List<String> homeParameters() {
        List<String> out = new java.util.ArrayList<>();
        clients.ssm(EU).getParametersByPathPaginator(b -> b.path("/curfew/curfew/").recursive(true))
                .forEach(page -> page.parameters().forEach(p -> out.add(p.name())));
        return out;
    }

    @Test
    void aForwardedLaunchIsTaggedInTheStudentsOwnAccountAsTheRostersStudentWhoeverCloudTrailNames() throws Exception {
        Ec2Client alices = ec2In(ALICES);
        // launched tagged as bob's: in alice's own account it is alice's all the same
        String id = runInstance(alices, "t3.micro", Tag.builder().key("curfew:owner").value("bob").build());

        Map<String, Object> out = forwarded(id, ALICES);

        assertThat(out).containsEntry("account", ALICES).containsEntry("accountOf", "alice")
                .containsEntry("owner", "alice");
        assertThat(tags(alices, id)).containsEntry("curfew:owner", "alice")
                .containsEntry("curfew:created-by", "arn:aws:iam::111111111111:user/bob")
                .containsEntry("curfew:created-at", "2026-11-25T10:00:00Z")
                .containsEntry("curfew:expires-at", "2026-11-25T17:00:00Z");
        assertThat(clients.ec2(EU).describeInstances().reservations()).as("nothing of it in the class account")
                .isEmpty();
        assertThat(messages.sent()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("welcome");
            assertThat(m.to()).isEqualTo("alice");
            assertThat(m.text()).contains("your own AWS account " + ALICES).doesNotContain("./curfew enroll");
        });
        forwarded(id, ALICES);
        assertThat(messages.sent()).as("a repeated delivery welcomes nobody again").hasSize(1);
    }

    @Test
    void aLaunchOutsideTheLimitsInAStudentsAccountIsStoppedThereAndTheStudentIsToldOnce() throws Exception {
        Ec2Client alices = ec2In(ALICES);
        String id = runInstance(alices, "t3.xlarge");

        Map<String, Object> out = forwarded(id, ALICES);
        forwarded(id, ALICES);

        assertThat(out.toString()).contains("instance type t3.xlarge is not allowed");
        assertThat(state(alices, id)).isEqualTo("stopped");
        assertThat(tags(alices, id)).containsEntry("curfew:owner", "alice").containsKey("curfew:action");
        assertThat(messages.sent()).filteredOn(m -> m.kind().equals("launch-limits")).singleElement()
                .satisfies(m -> assertThat(m.to()).isEqualTo("alice"));
        assertThat(homeParameters()).contains("/curfew/curfew/limits-told/" + ALICES + "/eu-west-1/" + id + "/type");
    }

    @Test
    void theSameEventFromAnAccountNobodyEnrolledIsRefusedLoggedAndChangesNothingAnywhere() throws Exception {
        Ec2Client strangers = ec2In(STRANGER);
        String id = runInstance(strangers, "t3.xlarge");

        Map<String, Object> out = forwarded(id, STRANGER);

        assertThat(out).containsEntry("refused", STRANGER);
        assertThat(String.valueOf(out.get("outcome"))).startsWith("refused: account " + STRANGER + " is not enrolled");
        assertThat(tags(strangers, id)).isEmpty();
        assertThat(state(strangers, id)).isEqualTo("running");
        assertThat(clients.ec2(EU).describeInstances().reservations()).isEmpty();
        assertThat(homeParameters()).as("no welcome or limits record").isEmpty();
        assertThat(messages.sent()).isEmpty();
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("WARN").contains("from account " + STRANGER
                + " refused"));
    }

    @Test
    void anElasticIpIsDatedAndAVolumeAttachedAgainIsUnmarkedInTheStudentsAccount() throws Exception {
        Ec2Client alices = ec2In(ALICES);
        String alloc = alices.allocateAddress(b -> b.domain("vpc")).allocationId();
        String vol = alices.createVolume(b -> b.availabilityZone("eu-west-1a").size(1).tagSpecifications(t -> t
                .resourceType("volume").tags(Tag.builder().key("curfew:pending").value("delete@2026-11-26T17:00:00Z")
                        .build(), Tag.builder().key("Name").value("data").build()))).volumeId();

        forwardedSample("sentinel-allocateaddress.json", ALICES, Events.ALLOCATION, alloc);
        Map<String, Object> attached = forwardedSample("sentinel-attachvolume.json", ALICES, Events.VOLUME, vol);

        Map<String, String> eip = new LinkedHashMap<>();
        alices.describeAddresses(b -> b.allocationIds(alloc)).addresses().get(0).tags()
                .forEach(t -> eip.put(t.key(), t.value()));
        assertThat(eip).containsEntry("curfew:owner", "alice").containsEntry("curfew:created-at",
                "2026-11-25T10:00:00Z");
        assertThat(String.valueOf(attached.get("outcome"))).startsWith("unmarked");
        assertThat(alices.describeVolumes(b -> b.volumeIds(vol)).volumes().get(0).tags())
                .extracting(Tag::key).containsExactly("Name");
    }

    @Test
    void aSecurityGroupMadeInTheStudentsAccountIsDatedSoTheScopeOfTheAccountTakesIt() throws Exception {
        Ec2Client alices = ec2In(ALICES);
        String group = alices.createSecurityGroup(b -> b.groupName("alice-web").description("web server")).groupId();

        Map<String, Object> out = forwardedSample("sentinel-createsecuritygroup.json", ALICES, Events.GROUP, group);

        assertThat(out).containsEntry("call", "CreateSecurityGroup").containsEntry("owner", "alice");
        Map<String, String> tags = new LinkedHashMap<>();
        alices.describeSecurityGroups(b -> b.groupIds(group)).securityGroups().get(0).tags()
                .forEach(t -> tags.put(t.key(), t.value()));
        assertThat(tags).containsEntry("curfew:owner", "alice")
                .containsEntry("curfew:created-at", "2026-11-25T10:00:00Z");
    }

    @Test
    void aSpotInterruptionInAStudentsAccountIsToldToThatStudentOnce() throws Exception {
        Ec2Client alices = ec2In(ALICES);
        String id = runInstance(alices, "t3.micro");

        forwardedSample("sentinel-spot-interruption.json", ALICES, Events.INSTANCE, id);
        forwardedSample("sentinel-spot-interruption.json", ALICES, Events.INSTANCE, id);

        assertThat(messages.sent()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("spot-interruption");
            assertThat(m.to()).as("the account's student, though the instance has no owner tag").isEqualTo("alice");
        });
        assertThat(homeParameters()).containsExactly("/curfew/curfew/interruption-told/" + ALICES + "/eu-west-1/"
                + id);
    }

    @Test
    void inDryRunAForwardedLaunchWritesNothingInEitherAccount() throws Exception {
        handler("dry-run");
        Ec2Client alices = ec2In(ALICES);
        String id = runInstance(alices, "t3.xlarge");

        Map<String, Object> out = forwarded(id, ALICES);

        assertThat(String.valueOf(out.get("wouldTag"))).contains("curfew:owner=alice", "curfew:created-at=");
        assertThat(tags(alices, id)).isEmpty();
        assertThat(state(alices, id)).isEqualTo("running");
        assertThat(homeParameters()).isEmpty();
    }

    @Test
    void theOnceRecordsOfTwoAccountsWithTheSameInstanceIdDoNotCollide() {
        SentinelAws sentinel = new SentinelAws(clients);
        SentinelAws alices = sentinel.in(ALICES, sessions.clients(new AccountTarget(ALICES, "alice",
                AccountTarget.Source.ROSTER)), "curfew:owner");
        SentinelAws other = sentinel.in("222222222222", sessions.clients(new AccountTarget("222222222222", "carol",
                AccountTarget.Source.ROSTER)), "curfew:owner");
        String same = "i-0123456789abcdef0";

        assertThat(sentinel.firstToldOfInterruption("curfew", EU, same, "home")).isTrue();
        assertThat(alices.firstToldOfInterruption("curfew", EU, same, "alice's")).isTrue();
        assertThat(other.firstToldOfInterruption("curfew", EU, same, "carol's")).isTrue();
        assertThat(alices.firstToldOfInterruption("curfew", EU, same, "again")).isFalse();
        assertThat(alices.firstToldOfLimits("curfew", EU, same, "type", "alice's")).isTrue();
        assertThat(other.firstToldOfLimits("curfew", EU, same, "type", "carol's")).isTrue();
        assertThat(other.firstToldOfLimits("curfew", EU, same, "type", "again")).isFalse();
        assertThat(homeParameters()).as("all kept in the home account").contains(
                "/curfew/curfew/interruption-told/eu-west-1/" + same,
                "/curfew/curfew/interruption-told/" + ALICES + "/eu-west-1/" + same,
                "/curfew/curfew/interruption-told/222222222222/eu-west-1/" + same,
                "/curfew/curfew/limits-told/" + ALICES + "/eu-west-1/" + same + "/type");
    }

    @Test
    void aStudentWithAnAccountOnTheRosterIsToldHowToEnrolItWithoutTheExternalId() throws Exception {
        String id = runInstance(clients.ec2(EU), "t3.micro");

        handler.handleRequest(Events.parse(json, Events.rewritten("sentinel-runinstances.json", Events.INSTANCE, id)),
                null);

        assertThat(messages.sent()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("welcome");
            assertThat(m.to()).isEqualTo("alice");
            assertThat(m.text()).contains("Your own AWS account " + ALICES, "./curfew enroll --student alice",
                    "nothing to edit").doesNotContain(Enrolment.externalId(KEY, "alice"));
        });
        assertThat(tags(clients.ec2(EU), id)).containsEntry("curfew:owner", "alice")
                .containsEntry("curfew:created-at", "2026-11-25T10:00:00Z");
    }
}
