package dev.curfew.aws.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.testing.MotoServer;
import dev.curfew.core.launch.LaunchPort;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/** Launch leases as SSM parameters on the moto server, with real threads. */
class LaunchLeasesIT {
    static final String EU = "eu-west-1";
    static MotoServer moto;
    static AwsClients clients;
    LaunchLeases leases = new LaunchLeases(clients, "lease-test", Duration.ofSeconds(120), Clock.systemUTC());

    @BeforeAll
    static void start() {
        moto = MotoServer.get();
        clients = new AwsClients(moto.settings(EU));
    }

    @AfterAll
    static void stop() {
        clients.close();
    }

    @BeforeEach
    void reset() {
        moto.reset();
    }

    String value(String name) {
        try {
            return clients.ssm(EU).getParameter(b -> b.name(name)).parameter().value();
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }

    @Test
    void aLeaseIsAParameterOfItsOwnerThatIsGoneWhenReleased() {
        Optional<LaunchPort.Lease> alice = leases.acquire("alice", Duration.ZERO);

        assertThat(alice).isPresent();
        assertThat(leases.name("alice")).isEqualTo("/curfew/lease-test/launch-lease/alice");
        assertThat(value(leases.name("alice"))).isNotBlank();
        assertThat(leases.acquire("alice", Duration.ZERO)).as("held").isEmpty();
        assertThat(leases.acquire("bob", Duration.ZERO)).as("another student's").isPresent();

        alice.get().close();
        assertThat(value(leases.name("alice"))).isNull();
        assertThat(leases.acquire("alice", Duration.ZERO)).isPresent();
    }

    @Test
    void aWaiterGetsTheLeaseWhenItIsReleased() throws Exception {
        LaunchPort.Lease first = leases.acquire("alice", Duration.ZERO).orElseThrow();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Optional<LaunchPort.Lease>> waiter = pool.submit(() -> leases.acquire("alice",
                    Duration.ofSeconds(20)));
            Thread.sleep(700);
            assertThat(waiter.isDone()).isFalse();
            first.close();
            assertThat(waiter.get(20, TimeUnit.SECONDS)).isPresent();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void amongManyAtOnceOneHoldsTheLeaseAtATime() throws Exception {
        int threads = 8;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                // each thread its own clients, as separate Lambda sandboxes have
                AwsClients own = new AwsClients(moto.settings(EU));
                LaunchLeases mine = new LaunchLeases(own, "lease-test", Duration.ofSeconds(120), Clock.systemUTC());
                all.add(pool.submit(() -> {
                    go.await();
                    for (int round = 0; round < 3; round++) {
                        Optional<LaunchPort.Lease> l = mine.acquire("alice", Duration.ofSeconds(60));
                        if (l.isEmpty()) {
                            continue;
                        }
                        held.incrementAndGet();
                        int now = inside.incrementAndGet();
                        most.accumulateAndGet(now, Math::max);
                        Thread.sleep(30);
                        inside.decrementAndGet();
                        l.get().close();
                    }
                    own.close();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(most.get()).as("holders at once").isEqualTo(1);
        assertThat(held.get()).as("leases held one after the other").isEqualTo(threads * 3);
    }

    @Test
    void aLapsedLeaseIsTakenOverByExactlyOneOfManyWaiters() throws Exception {
        LaunchLeases shortLived = new LaunchLeases(clients, "lease-test", Duration.ofSeconds(1), Clock.systemUTC());
        String name = shortLived.name("alice");
        clients.ssm(EU).putParameter(b -> b.name(name).value("holder-that-died").type("String"));
        assertThat(shortLived.acquire("alice", Duration.ZERO)).as("not lapsed yet").isEmpty();
        Thread.sleep(2_000);

        int threads = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Optional<LaunchPort.Lease>> got = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<LaunchPort.Lease>>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                all.add(pool.submit(() -> {
                    go.await();
                    return shortLived.acquire("alice", Duration.ZERO);
                }));
            }
            go.countDown();
            for (Future<Optional<LaunchPort.Lease>> f : all) {
                got.add(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(got.stream().filter(Optional::isPresent)).as("took it over").hasSize(1);
        assertThat(value(name)).isNotEqualTo("holder-that-died");
        assertThat(value("/curfew/lease-test/launch-lease-taken/holder-that-died")).isNotNull();
    }

    @Test
    void releasingNeverDeletesALeaseThatIsNoLongerThisHolders() {
        LaunchPort.Lease lease = leases.acquire("alice", Duration.ZERO).orElseThrow();
        String name = leases.name("alice");
        clients.ssm(EU).putParameter(b -> b.name(name).value("someone-else").type("String").overwrite(true));

        lease.close();

        assertThat(value(name)).isEqualTo("someone-else");
    }

    @Test
    void ownerNamesNeverShareALease() {
        assertThat(List.of("alice", "Alice", "a_lice", "a@lice", "é", "_00E9", "_E9", "a.b-c").stream()
                .map(leases::name).distinct()).hasSize(8);
        assertThat(leases.name("a@b.c+d=e,f")).isEqualTo("/curfew/lease-test/launch-lease/a_0040b.c_002Bd_003De_002Cf");
        assertThat(new LaunchLeases(clients, null, Duration.ofSeconds(1), Clock.systemUTC()).name("x"))
                .isEqualTo("/curfew/launch-lease/x");
    }
}
