package dev.curfew.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.curfew.core.plan.CurfewTimes;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.policy.PolicyLoader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.Parameter;

/** The sweep lock's pure parts: which key a run takes, its name, when it lapses, and the words of standing aside. */
class SweepLocksTest {
    /** 18:00 in Amsterdam: 17:00Z in winter, 16:00Z in summer. */
    static final Policy POLICY = PolicyLoader.load("""
            course: Lock tests
            time-zone: Europe/Amsterdam
            curfew: "18:00"
            """, "test");

    @Test
    void theCurfewPassIsForTheNearestCurfewTheWarningForTheNextAndTheIdleCheckForItsPassAlone() {
        Instant curfew = Instant.parse("2026-11-30T17:00:00Z");
        // a moment early (the scheduler's clock), on time, an hour late (a delayed delivery): the same curfew
        for (Instant now : List.of(curfew.minusSeconds(2), curfew, curfew.plusSeconds(3600))) {
            assertThat(SweepLocks.key("curfew", POLICY, now)).as(now.toString())
                    .isEqualTo(new SweepLocks.Key("curfew", curfew, curfew.minus(Duration.ofDays(1))));
        }
        assertThat(SweepLocks.key("curfew", POLICY, Instant.parse("2026-12-01T04:59:00Z")).curfew()).isEqualTo(curfew);
        assertThat(SweepLocks.key("curfew", POLICY, Instant.parse("2026-12-01T05:01:00Z")).curfew())
                .isEqualTo(Instant.parse("2026-12-01T17:00:00Z"));
        assertThat(SweepLocks.key("warning", POLICY, curfew.minus(Duration.ofMinutes(30))))
                .isEqualTo(new SweepLocks.Key("warning", curfew, curfew.minus(Duration.ofDays(1))));
        // the curfew before the first after a DST change is 25 hours before it (Amsterdam, 25 October 2026)
        assertThat(SweepLocks.key("curfew", POLICY, Instant.parse("2026-10-25T17:00:00Z")).previous())
                .isEqualTo(Instant.parse("2026-10-24T16:00:00Z"));
        assertThat(SweepLocks.key("idle-check", POLICY, curfew)).isEqualTo(new SweepLocks.Key("idle-check", null));
        // summer time: 18:00 Amsterdam is 16:00Z
        assertThat(SweepLocks.key("curfew", POLICY, Instant.parse("2026-07-01T16:00:05Z")).curfew())
                .isEqualTo(Instant.parse("2026-07-01T16:00:00Z"));
        assertThatThrownBy(() -> SweepLocks.key("nuke", POLICY, curfew)).hasMessageContaining("\"nuke\"");
    }

    @Test
    void theCurfewAndWarningLocksAreKeptAfterSuccessTheIdleChecksIsNot() {
        Instant now = Instant.parse("2026-11-30T16:30:00Z");
        assertThat(SweepLocks.key("curfew", POLICY, now).keptAfterSuccess()).isTrue();
        assertThat(SweepLocks.key("warning", POLICY, now).keptAfterSuccess()).isTrue();
        assertThat(SweepLocks.key("idle-check", POLICY, now).keptAfterSuccess()).isFalse();
    }

    @Test
    void aLockIsNamedByStackPassAndCurfewInCharactersSsmAllows() {
        SweepLocks locks = new SweepLocks(null, "curfew-cc101", SweepLocks.DEFAULT_LIFETIME, Clock.systemUTC());
        Instant curfew = Instant.parse("2026-11-30T17:00:00Z");
        assertThat(locks.name(new SweepLocks.Key("curfew", curfew)))
                .isEqualTo("/curfew/curfew-cc101/sweep-lock/curfew/20261130T170000Z");
        assertThat(locks.name(new SweepLocks.Key("warning", curfew)))
                .isEqualTo("/curfew/curfew-cc101/sweep-lock/warning/20261130T170000Z");
        assertThat(locks.name(new SweepLocks.Key("idle-check", null)))
                .isEqualTo("/curfew/curfew-cc101/sweep-lock/idle-check");
        assertThat(new SweepLocks(null, null, Duration.ofSeconds(1), Clock.systemUTC())
                .name(new SweepLocks.Key("idle-check", null))).isEqualTo("/curfew/sweep-lock/idle-check");
        assertThat(SweepLocks.prefix("s")).isEqualTo("/curfew/s/sweep-lock");
    }

    @Test
    void aLockLapsesItsLifetimeAfterSsmLastWroteIt() {
        Instant written = Instant.parse("2026-11-30T17:00:03Z");
        Parameter p = Parameter.builder().name("/l").value("t").lastModifiedDate(written).build();
        Duration life = SweepLocks.DEFAULT_LIFETIME;
        assertThat(SsmLease.lapsesAt(written, life)).isEqualTo(Instant.parse("2026-11-30T17:05:33Z"));
        assertThat(new SsmLease(null, life, Clock.fixed(written.plus(life), ZoneOffset.UTC)).lapsed(p))
                .as("at the instant it lapses it still holds").isFalse();
        assertThat(new SsmLease(null, life, Clock.fixed(written.plus(life).plusMillis(1), ZoneOffset.UTC)).lapsed(p))
                .isTrue();
        assertThat(new SsmLease(null, life, Clock.fixed(written.minusSeconds(5), ZoneOffset.UTC)).lapsed(p))
                .as("SSM's clock a little ahead of ours").isFalse();
        assertThat(new SsmLease(null, life, Clock.fixed(written, ZoneOffset.UTC))
                .lapsed(Parameter.builder().value("t").build())).as("no time: lapsed").isTrue();
    }

    @Test
    void standingAsideSaysWhoHoldsTheLockSinceWhenAndUntilWhen() {
        SweepLocks.Key key = new SweepLocks.Key("curfew", Instant.parse("2026-11-30T17:00:00Z"));
        Instant since = Instant.parse("2026-11-30T17:00:04Z");
        Instant until = since.plus(SweepLocks.DEFAULT_LIFETIME);
        assertThat(SweepLocks.standAsideMessage(key, "123456789012", since, until, false)).isEqualTo(
                "another curfew sweep of account 123456789012 for the curfew of 2026-11-30T17:00:00Z holds the lock "
                        + "since 2026-11-30T17:00:04Z (until 2026-11-30T17:05:34Z): nothing was done or sent");
        assertThat(SweepLocks.standAsideMessage(key, "123456789012", since, until, true)).isEqualTo(
                "the curfew sweep of account 123456789012 for the curfew of 2026-11-30T17:00:00Z finished at "
                        + "2026-11-30T17:00:04Z; its lock is kept until 2026-11-30T17:05:34Z so that a repeated event "
                        + "stands aside: nothing was done or sent");
        assertThat(SweepLocks.standAsideMessage(new SweepLocks.Key("idle-check", null), "1", since, until, false))
                .startsWith("another idle check of account 1 holds the lock since ");
    }

    /**
     * Every run of the curfew pass is for a curfew at most half a day (and an hour of DST) away, at 18:00 local time;
     * runs up to an hour either side of a curfew share its lock. Checked every 37 minutes through a year (both DST
     * changes included).
     */
    @Test
    void theCurfewOfACurfewRunIsTheNearestCurfew() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (Instant now = start; now.isBefore(start.plus(Duration.ofDays(366))); now = now.plusSeconds(37 * 60)) {
            Instant c = SweepLocks.key("curfew", POLICY, now).curfew();
            assertThat(c).as(now.toString()).isIn(CurfewTimes.latest(POLICY, now), CurfewTimes.next(POLICY, now));
            assertThat(c.atZone(POLICY.timeZone()).toLocalTime()).isEqualTo(LocalTime.of(18, 0));
            assertThat(Duration.between(now, c).abs()).as(now.toString())
                    .isLessThanOrEqualTo(Duration.ofMinutes(12 * 60 + 30));
            Instant other = c.plusSeconds(now.getEpochSecond() % 7200 - 3600);
            assertThat(SweepLocks.key("curfew", POLICY, other).curfew()).as(other.toString()).isEqualTo(c);
        }
    }
}
