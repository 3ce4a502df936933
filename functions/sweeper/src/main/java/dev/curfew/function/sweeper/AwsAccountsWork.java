package dev.curfew.function.sweeper;

import dev.curfew.aws.AwsCloud;
import dev.curfew.aws.accounts.AccountSessions;
import dev.curfew.aws.accounts.AccountSweeps;
import dev.curfew.aws.notify.Notifier;
import dev.curfew.aws.notify.RosterSource;
import dev.curfew.core.accounts.AccountRun;
import dev.curfew.core.accounts.AccountTarget;
import dev.curfew.core.notify.NotificationReport;
import dev.curfew.core.notify.Roster;
import dev.curfew.core.policy.Policy;
import dev.curfew.core.sweep.Deadline;
import dev.curfew.function.common.Deployment;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The accounts steps' work done by the engine the CLI's {@code --accounts all} runs: {@link AccountSweeps} (each
 * account under its own guard and scope, reached through its curfew-access role with the session name
 * {@value #SESSION}, which students see in their CloudTrail) and {@link Notifier#accountsSummary}.
 */
@Singleton
public class AwsAccountsWork implements AccountsWork {
    private static final Logger LOG = LogManager.getLogger(AwsAccountsWork.class);
    /** The role session name in students' accounts. */
    static final String SESSION = "curfew-sweeper";

    private final SweepService service;
    private final Deployment deployment;
    private final SweeperConfig config;
    private final Clock clock;
    /** Each account's clients, kept while the function instance lives (credentials are refreshed as they expire). */
    private final AccountSessions sessions;

    public AwsAccountsWork(SweepService service, Deployment deployment, SweeperConfig config, Clock clock) {
        this.service = service;
        this.deployment = deployment;
        this.config = config;
        this.clock = clock;
        this.sessions = new AccountSessions(service.clients(), SESSION);
    }

    /** A fresh engine per step: it accepts only the accounts its own {@link AccountSweeps#targets} found. */
    private AccountSweeps sweeps() {
        return sweeps(clock);
    }

    private AccountSweeps sweeps(Clock at) {
        return new AccountSweeps(sessions, deployment.policy(), at, LOG::info).withMessages(deployment.slackApiUrl());
    }

    @Override
    public Listing list(Policy policy) {
        AccountSweeps sweeps = sweeps();
        List<AccountTarget> targets = targets(sweeps, policy);
        return new Listing(targets, sweeps.problems());
    }

    private List<AccountTarget> targets(AccountSweeps sweeps, Policy policy) {
        Roster roster = RosterSource.load(policy.notifications().roster(), service.clients());
        if (roster.size() == 0 && !roster.problems().isEmpty()) {
            throw new IllegalStateException("the roster " + policy.notifications().roster() + " could not be read ("
                    + String.join("; ", roster.problems()) + "): no student's own account would be swept");
        }
        return sweeps.targets(policy, roster);
    }

    @Override
    public List<AccountTarget> targets(Policy policy) {
        return targets(sweeps(), policy);
    }

    @Override
    public AccountRun sweep(AccountTarget target, Policy policy, String pass, Instant curfew, Deadline emptying) {
        // the warning plans as of the curfew the list step named (the first curfew after a second before it)
        AccountSweeps sweeps = sweeps("warning".equals(pass) ? Clock.fixed(curfew.minusSeconds(1),
                java.time.ZoneOffset.UTC) : clock);
        List<AccountTarget> covered = targets(sweeps, policy);
        if (!covered.contains(target)) {
            return AccountRun.notSwept(target, AccountRun.Status.REFUSED_BY_GUARD, "account " + target.account()
                    + " (" + target.source().text() + (target.owner() == null ? "" : " of " + target.owner())
                    + ") is not one of the accounts the policy and roster cover: nothing was read or changed");
        }
        return sweeps.sweep(target, policy, pass, emptying);
    }

    @Override
    public NotificationReport summary(Policy policy, String pass, List<AccountRun> runs, Instant curfew) {
        return summary(policy, pass, runs, List.of(), curfew);
    }

    @Override
    public NotificationReport summary(Policy policy, String pass, List<AccountRun> runs, List<String> unlisted,
                                      Instant curfew) {
        boolean curfewPass = "curfew".equals(pass);
        if (!curfewPass && policy.mode() != dev.curfew.core.policy.Mode.ENFORCE) {
            // a dry run records nothing, so "once per curfew" would be at every warning and idle check
            return new NotificationReport(pass, null, 0, List.of(), List.of(), List.of(), List.of("dry run: after the "
                    + pass + " nobody is told of the accounts not reached (the curfew sweep's summary lists them)"));
        }
        AwsCloud cloud = new AwsCloud(service.clients(), deployment.policy());
        return new Notifier(service.clients(), cloud, deployment.slackApiUrl(), LOG::info, config.summaryParameter())
                .accountsSummary(policy, pass, runs, unlisted, curfew, curfewPass);
    }

    @PreDestroy
    public void close() {
        sessions.close();
    }
}
