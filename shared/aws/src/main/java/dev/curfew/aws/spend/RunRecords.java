package dev.curfew.aws.spend;

import dev.curfew.core.budget.CourseWeek;
import dev.curfew.core.spend.RunHistory;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;

/**
 * Reads the runs the sentinel recorded in the course week of {@code now} ({@link RunHistory}: one String parameter per
 * start or end under {@code /curfew/<stack>/runs/<week>/}): one paginated GetParametersByPath, asked only when a pass
 * needs spend. A failed read is not thrown: the history says why, and the estimate counts each instance's current or
 * last run as it did before there were records.
 */
public final class RunRecords {
    /** What {@link #read} calls (the sweeper). */
    public static final List<String> IAM_ACTIONS = List.of("ssm:GetParametersByPath");

    private RunRecords() {
    }

    /**
     * The week's records of one account's instances only ({@code null}: the class account's own), read below that
     * account's part of the week, so a step of the many-accounts sweep does not read every other account's records.
     *
     * @param ssm the home region's client of the home account (where the sentinel writes them)
     */
    public static RunHistory read(SsmClient ssm, String stackName, ZoneId zone, Instant now, String account) {
        String week = RunHistory.weekPath(stackName, CourseWeek.key(zone, now));
        return read(ssm, week, week + "/" + (account == null ? RunHistory.HOME : account)).of(account);
    }

    private static RunHistory read(SsmClient ssm, String weekPath, String path) {
        Map<String, String> records = new LinkedHashMap<>();
        try {
            for (Parameter p : dev.curfew.aws.SsmPaths.below(ssm, path)) {
                records.put(p.name(), p.value());
            }
        } catch (RuntimeException e) {
            return RunHistory.failed(path + ": " + dev.curfew.aws.Errors.describe(e));
        }
        return RunHistory.parse(weekPath, records);
    }
}
