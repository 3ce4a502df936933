package dev.curfew.aws.sentinel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.AwsClients;
import dev.curfew.aws.SsmPrune;
import dev.curfew.aws.testing.FaultProxy;
import dev.curfew.aws.testing.MotoTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * {@link ToldRecords} on moto's SSM: the sentinel's per-instance once-records are deleted once older than the
 * retention, in batches SSM accepts, and nothing else under the stack's path is touched.
 */
class ToldRecordsIT extends MotoTest {
    static final String STACK = "it";

    SsmClient ssm;

    @BeforeEach
    void seed() {
        ssm = clients.ssm(EU);
    }

    void put(String name) {
        ssm.putParameter(b -> b.name(name).type("String").value("x"));
    }

    List<String> names(String path) {
        List<String> out = new ArrayList<>();
        for (GetParametersByPathResponse page : ssm.getParametersByPathPaginator(b -> b.path(path).recursive(true))) {
            page.parameters().stream().map(Parameter::name).forEach(out::add);
        }
        return out;
    }

    /** 23 limit records (three delete batches, several list pages) in two accounts and 4 interruption records. */
    void seedRecords() {
        for (int i = 0; i < 20; i++) {
            put(SentinelAws.limitsToldName(STACK, EU, "i-" + i, "type"));
        }
        for (int i = 0; i < 3; i++) {
            put(SentinelAws.limitsToldName(STACK, "111111111111", EU, "i-" + i, "cap"));
        }
        for (int i = 0; i < 4; i++) {
            put(SentinelAws.interruptionToldName(STACK, EU, "i-" + i));
        }
        put(SentinelAws.welcomedPrefix(STACK) + "alice");
        put("/curfew/" + STACK + "/sweep-lock/curfew/20261201T170000Z");
        put("/curfew/" + STACK + "/launch-lease/alice");
        put("/curfew/other/limits-told/eu-west-1/i-0/type"); // another stack's: not this one's to prune
    }

    @Test
    void recordsWrittenBeforeTheRetentionAreDeletedAndNothingElse() {
        seedRecords();
        Instant later = Instant.now().plus(1, ChronoUnit.DAYS); // everything written so far is "old"

        SsmPrune.Pruned pruned = ToldRecords.prune(ssm, STACK, later);

        assertThat(pruned.failure()).isNull();
        assertThat(pruned.read()).isEqualTo(27);
        assertThat(pruned.deleted()).isEqualTo(27);
        assertThat(names("/curfew/" + STACK + "/limits-told")).isEmpty();
        assertThat(names("/curfew/" + STACK + "/interruption-told")).isEmpty();
        assertThat(names("/curfew/" + STACK + "/welcomed")).containsExactly("/curfew/it/welcomed/alice");
        assertThat(names("/curfew/" + STACK + "/sweep-lock")).hasSize(1);
        assertThat(names("/curfew/" + STACK + "/launch-lease")).hasSize(1);
        assertThat(names("/curfew/other")).hasSize(1);
    }

    @Test
    void recordsWithinTheRetentionAreKept() {
        seedRecords();
        Instant dayAgo = Instant.now().minus(1, ChronoUnit.DAYS);

        SsmPrune.Pruned pruned = ToldRecords.prune(ssm, STACK, dayAgo);

        assertThat(pruned.deleted()).isZero();
        assertThat(pruned.read()).isEqualTo(27);
        assertThat(names("/curfew/" + STACK + "/limits-told")).hasSize(23);
        assertThat(names("/curfew/" + STACK + "/interruption-told")).hasSize(4);
    }

    @Test
    void aFailedListingIsNamedAndTheOtherPrefixIsStillPruned() {
        seedRecords();
        try (FaultProxy proxy = FaultProxy.start(moto.endpoint(), 0, 1);
             AwsClients through = new AwsClients(moto.settingsThrough(proxy, EU, 1))) {
            proxy.always(c -> c.operation().equals("GetParametersByPath")
                    && c.body() != null && c.body().contains("limits-told"));

            SsmPrune.Pruned pruned = ToldRecords.prune(through.ssm(EU), STACK,
                    Instant.now().plus(1, ChronoUnit.DAYS));

            assertThat(pruned.failure()).startsWith("cannot list /curfew/it/limits-told: ");
            assertThat(pruned.deleted()).isEqualTo(4);
            assertThat(pruned.text()).contains("4 of 4 deleted").contains("cannot list /curfew/it/limits-told");
        }
        assertThat(names("/curfew/" + STACK + "/limits-told")).hasSize(23);
        assertThat(names("/curfew/" + STACK + "/interruption-told")).isEmpty();
    }
}
