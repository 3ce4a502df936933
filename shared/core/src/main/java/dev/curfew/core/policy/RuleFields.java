package dev.curfew.core.policy;

import dev.curfew.core.plan.Action;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the policy loader hands a kind that reads its own rule ({@code KindRules.read}): its sections of
 * {@code rules:} and the loader's field readers. Each reader names a wrong value by its path ({@code
 * rules.ec2-idle.window}), records the problem (the loader reports every one, and the policy is refused), and
 * returns the default so that reading goes on.
 */
public interface RuleFields {

    /** {@code rules.<key>} as a mapping of fields; empty when absent (a problem when it is not a mapping). */
    Map<String, Object> rule(String key);

    /** Reports every field of {@code m} not among {@code keys}, under {@code prefix} ("rules.ec2-idle."). */
    void known(String prefix, Map<String, Object> m, String... keys);

    void problem(String path, String message);

    boolean bool(String path, Object v, boolean dflt);

    /** A percentage from 0 to 100 ({@code 5} or {@code 5%}). */
    double percent(String path, Object v, double dflt);

    /** A size in bytes ({@code 5MB}, {@code 500KB}, {@code 1000000}). */
    long bytes(String path, Object v, long dflt);

    /** A duration ({@code 2h}, {@code 30m}, {@code 14d}); with {@code allowNone}, {@code none} is null. */
    Duration duration(String path, Object v, Duration dflt, boolean allowNone);

    /** {@code d}, reporting it when it is zero or negative. */
    Duration positive(String path, Duration d);

    /** A tag key one can set (not {@code aws:...}). */
    String tagKey(String path, Object v, String dflt);

    /** One of {@code allowed} (wire names), reported as "not an action for {@code what}" otherwise. */
    Action action(String path, Object v, Action dflt, List<String> allowed, String what);
}
