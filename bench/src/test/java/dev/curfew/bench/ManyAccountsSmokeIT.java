package dev.curfew.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.testing.MotoServer;
import dev.curfew.core.accounts.AccountRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The many-accounts row at a tiny size (3 students' accounts, one region, 2 instances each) inside the build. */
class ManyAccountsSmokeIT {

    @Test
    void everyAccountIsSweptAndItsCallsAreItsOwn() throws Exception {
        MotoServer moto = MotoServer.get();
        moto.reset();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ManyAccounts.Result r = ManyAccounts.run(new ManyAccounts.Config(URI.create(moto.endpoint()), 3,
                List.of("eu-west-1"), 2, 2), new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(r.statuses()).containsExactlyEntriesOf(java.util.Map.of(AccountRun.Status.SWEPT, 4));
        assertThat(r.instancesSeen()).as("each student's two instances, none counted twice").isEqualTo(6);
        assertThat(r.studentCalls()).hasSize(3);
        // each account's own clients: its role read, the guard, one listing per kind (one region) and the buckets
        assertThat(r.oneStudentsCalls()).containsEntry("iam:GetRole", 1L).containsEntry("ec2:DescribeInstances", 1L)
                .containsEntry("sts:GetCallerIdentity", 1L).doesNotContainKey("sts:AssumeRole");
        assertThat(r.studentCalls()).allMatch(n -> n.equals(r.studentCalls().get(0)));
        assertThat(r.homeCalls()).as("the class account's sweep, and one AssumeRole per student account")
                .isGreaterThanOrEqualTo(3);
        assertThat(ManyAccounts.markdown(r)).contains("| 3 + class | 1 | 6 |");
    }
}
