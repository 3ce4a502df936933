package dev.curfew.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.enrol.Enrolment;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code curfew enroll --organization} on the moto server: the external id it prints is the one the sweeper presents
 * to every account of the Organization unit ({@link AccountSessions#externalId} for an ORGANIZATION target).
 */
class EnrolOrganizationIT extends CurfewRuns {
    static final String SWEEPER = "arn:aws:iam::123456789012:role/curfew-SweeperFunctionRole-ABC";

    @Override
    List<String> options() {
        return List.of("--endpoint-url", moto.endpoint(), "--region", EU);
    }

    @Test
    void theCommandsCarryTheExternalIdTheSweeperPresentsToTheUnitsAccounts() {
        assertThat(curfew("enroll", "--organization", "ou-ab12-cdef3456", "--sweeper-role", SWEEPER)).as(err)
                .isZero();
        assertThat(err).contains("made the enrolment key ssm:/curfew/enrolment-key");
        Matcher m = Pattern.compile("ParameterKey=ExternalId,ParameterValue=(curfew-[0-9a-f]{40}) ").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        try (AccountSessions sessions = new AccountSessions(clients, "curfew-sweeper")) {
            assertThat(m.group(1)).isEqualTo(sessions.externalId(new AccountTarget("444444444444", "alice",
                    AccountTarget.Source.ORGANIZATION)));
        }
        assertThat(out).contains("--deployment-targets OrganizationalUnitIds=ou-ab12-cdef3456 --regions eu-west-1")
                .contains("--permission-model SERVICE_MANAGED").doesNotContain("alice");
        String first = out;

        assertThat(curfew("enroll", "--organization", "ou-ab12-cdef3456", "--sweeper-role", SWEEPER)).isZero();
        assertThat(out).as("the same key, the same id").isEqualTo(first);
        assertThat(err).doesNotContain("made the enrolment key");
        String key = clients.ssm(EU).getParameter(b -> b.name("/curfew/enrolment-key").withDecryption(true))
                .parameter().value();
        assertThat(m.group(1)).isNotEqualTo(Enrolment.externalId(java.util.Base64.getDecoder().decode(key),
                "alice"));
    }
}
