package dev.curfew.core.launch;

import static dev.curfew.core.launch.LaunchWorld.ALICE;
import static dev.curfew.core.launch.LaunchWorld.call;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import dev.curfew.core.report.Json;

/** Whatever a request says, a refusal creates nothing, and nothing in the body decides the owner. */
class LauncherPropertiesTest {
    static final Set<Integer> STATUSES = Set.of(201, 400, 403, 409, 413, 429);

    @Property(tries = 300)
    void anyBodyEitherLaunchesOrChangesNothing(@ForAll @StringLength(max = 300) String body) {
        LaunchWorld w = new LaunchWorld();
        HttpAnswer a = w.launch(body);
        assertThat(a.status()).isIn(STATUSES);
        if (a.status() != 201) {
            assertThat(w.cloud.changes).isEmpty();
        }
    }

    @Property(tries = 300)
    void anyRequestObjectEitherLaunchesForTheCallerOrChangesNothing(@ForAll("requests") Map<String, Object> req) {
        LaunchWorld w = new LaunchWorld();
        HttpAnswer a = w.launch(Json.write(req));
        assertThat(a.status()).as(a.body()).isIn(STATUSES);
        if (a.status() == 201) {
            assertThat(w.cloud.launches).singleElement().satisfies(s -> {
                assertThat(s.tags()).containsEntry("curfew:owner", "alice").containsEntry("curfew:created-by", ALICE);
                assertThat(s.maxPrice()).isEqualByComparingTo("0.05");
                assertThat(s.instanceType()).isIn("t3.micro", "t3.small");
            });
        } else {
            assertThat(w.cloud.changes).isEmpty();
        }
    }

    @Property(tries = 200)
    void namingAnOwnerAnywhereInTheBodyIsAlwaysRefused(@ForAll("requests") Map<String, Object> req,
                                                       @ForAll("ownerKeys") String key,
                                                       @ForAll @IntRange(max = 3) int where) {
        Map<String, Object> forged = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Object> e : req.entrySet()) {
            if (i++ == where) {
                forged.put(key, "bob");
            }
            forged.put(e.getKey(), e.getValue());
        }
        forged.putIfAbsent(key, "bob");
        LaunchWorld w = new LaunchWorld();
        HttpAnswer a = w.launcher.handle(call("POST", "/instances", Json.write(forged), ALICE));
        assertThat(a.status()).as(a.body()).isEqualTo(403);
        assertThat(w.cloud.changes).isEmpty();
    }

    @Provide
    Arbitrary<Map<String, Object>> requests() {
        Arbitrary<Object> type = Arbitraries.of("t3.micro", "t3.small", "t3.large", "", "T3.MICRO").map(x -> x);
        Arbitrary<Object> hours = Arbitraries.oneOf(Arbitraries.integers().between(-2, 8).map(x -> (Object) x),
                Arbitraries.of("2", "two").map(x -> (Object) x), Arbitraries.just(2.5).map(x -> (Object) x));
        Arbitrary<Object> key = Arbitraries.of("alice-key", "bob-key", "nokey", " ").map(x -> x);
        Arbitrary<Object> region = Arbitraries.of("eu-west-1", "us-east-1", "ap-south-1", "nowhere").map(x -> x);
        return net.jqwik.api.Combinators.combine(type.injectNull(0.1), hours.injectNull(0.1), key.injectNull(0.1),
                region.injectNull(0.5), Arbitraries.of("", "count", "imageId").injectNull(0.8))
                .as((t, h, k, r, extra) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    if (t != null) m.put("instanceType", t);
                    if (h != null) m.put("hours", h);
                    if (k != null) m.put("keyName", k);
                    if (r != null) m.put("region", r);
                    if (extra != null && !extra.isEmpty()) m.put(extra, 1);
                    return m;
                });
    }

    @Provide
    Arbitrary<String> ownerKeys() {
        return Arbitraries.of("owner", "Owner", "OWNER", "curfew:owner", "ownerArn", "created-by", "createdBy",
                "curfew:created-by", "userArn", "user", "tags", "identity", "requestContext", "accountId", "principal",
                "student", "curfew:expires-at");
    }
}
