package dev.curfew.core.budget;

import dev.curfew.core.model.Ec2Instance;
import dev.curfew.core.plan.Action;
import dev.curfew.core.plan.Finding;
import dev.curfew.core.spend.Spend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The budget's decisions of one sweep, pure: each student's spend against their limits (with this week's top-up) says
 * who is told (at 50 % and 80 %, once each per week), who is over budget (at 100 %), and which of their instances are
 * to be stopped. A stop is a finding with action {@code stop}, never terminate; the planner then applies the same
 * exemptions, keep tags, protection and one-time-spot rule as to every other stop. Nothing is remembered between
 * sweeps but who was told: a changed budget or top-up counts at the next sweep.
 */
public final class BudgetCheck {
    /** The rule name of a budget stop's finding. */
    public static final String RULE = "budget";

    private BudgetCheck() {
    }

    /**
     * What to tell one student: the highest threshold they newly reached ({@code 50}, {@code 80}, or {@code 100}:
     * over budget), and every threshold to record as told with it (reaching 80 % at once records 50 too).
     */
    public record Notice(String student, int threshold, List<Integer> record, Standing standing) {
        public Notice {
            record = List.copyOf(record);
        }
    }

    /**
     * @param standings by owner (lower case), every student with a spend and a limit
     * @param spends    by owner (lower case), the spend each standing weighs
     * @param notices   what to tell whom, once
     * @param over      owners (lower case) at or over a limit
     * @param stops     per instance id, the budget's stop finding
     */
    public record Result(Instant weekStart, Map<String, Standing> standings, Map<String, Spend> spends,
                         List<Notice> notices, Set<String> over, Map<String, Finding> stops) {
        public Result {
            standings = java.util.Collections.unmodifiableMap(new TreeMap<>(standings));
            spends = java.util.Collections.unmodifiableMap(new TreeMap<>(spends));
            notices = List.copyOf(notices);
            over = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(over));
            stops = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stops));
        }

        public static Result none(Instant weekStart) {
            return new Result(weekStart, Map.of(), Map.of(), List.of(), Set.of(), Map.of());
        }
    }

    /** The key of a told record: owner (lower case) and threshold. */
    public static String toldKey(String owner, int threshold) {
        return key(owner) + "/" + threshold;
    }

    public static String key(String owner) {
        return owner.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * @param spends    each student's spend this week (two for one student, e.g. two accounts, are added up)
     * @param topUps    this week's top-ups by owner (any case)
     * @param told      {@link #toldKey}s already told this week
     * @param instances what the sweep saw; those running or pending of an owner over budget get a stop finding
     * @param ownerTag  the policy's owner tag
     */
    public static Result check(BudgetRules rules, Instant weekStart, Collection<Spend> spends, Map<String, TopUp> topUps,
                               Set<String> told, Collection<Ec2Instance> instances, String ownerTag) {
        if (rules == null || !rules.any()) {
            return Result.none(weekStart);
        }
        Map<String, TopUp> top = new TreeMap<>();
        topUps.forEach((k, v) -> top.put(key(k), v));
        Map<String, Spend> byOwner = new TreeMap<>();
        for (Spend s : spends) {
            byOwner.merge(key(s.student()), s, Spend::plus);
        }
        Map<String, Standing> standings = new TreeMap<>();
        List<Notice> notices = new ArrayList<>();
        Set<String> over = new LinkedHashSet<>();
        for (Map.Entry<String, Spend> e : byOwner.entrySet()) {
            Standing st = Standing.of(rules, e.getValue(), top.get(e.getKey()));
            if (st == null) {
                continue;
            }
            standings.put(e.getKey(), st);
            int reached = st.reached();
            if (st.over()) {
                over.add(e.getKey());
            }
            if (reached > 0 && !told.contains(toldKey(e.getKey(), reached))) {
                List<Integer> record = new ArrayList<>();
                for (int t : BudgetRules.THRESHOLDS) {
                    if (t <= reached && !told.contains(toldKey(e.getKey(), t))) {
                        record.add(t);
                    }
                }
                notices.add(new Notice(st.student(), reached, record, st));
            }
        }
        Map<String, Finding> stops = new LinkedHashMap<>();
        for (Ec2Instance i : instances) {
            String owner = i.tag(ownerTag);
            if (owner == null || !over.contains(key(owner))) {
                continue;
            }
            if (!i.state().isUp()) {
                continue;
            }
            Standing st = standings.get(key(owner));
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("weekStart", weekStart.toString());
            if (st.weekLimit() != null) {
                evidence.put("weekSpent", String.format(Locale.ROOT, "%.2f", st.weekSpent()));
                evidence.put("weekLimit", st.weekLimit().wire());
            }
            if (st.courseLimit() != null) {
                evidence.put("courseSpent", String.format(Locale.ROOT, "%.2f", st.courseSpent()));
                evidence.put("courseLimit", st.courseLimit().wire());
            }
            stops.put(i.id(), new Finding(RULE, Action.STOP, "over budget: " + st.text(), evidence));
        }
        Map<String, Spend> weighed = new TreeMap<>(byOwner);
        weighed.keySet().retainAll(standings.keySet());
        return new Result(weekStart, standings, weighed, notices, over, stops);
    }
}
