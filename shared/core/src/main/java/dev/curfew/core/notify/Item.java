package dev.curfew.core.notify;

import dev.curfew.core.plan.Decision;
import dev.curfew.core.plan.Plan;
import dev.curfew.core.report.SweepReport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One resource of a sweep as the messages see it: its report row and its tags (with any tag the plan sets). */
public record Item(SweepReport.Row row, Map<String, String> tags, Map<String, String> setTags) {
    public Item {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        setTags = setTags == null ? Map.of() : Map.copyOf(setTags);
    }

    /** The report's rows joined with the plan's decisions (for tags), in the report's order. */
    public static List<Item> of(SweepReport report, Plan plan) {
        Map<String, Decision> byId = new HashMap<>();
        if (plan != null) {
            plan.decisions().forEach(d -> byId.put(d.resource().kind().wireName() + "/" + d.resource().id(), d));
        }
        return report.rows().stream().map(r -> {
            Decision d = byId.get(r.kind() + "/" + r.id());
            return new Item(r, d == null ? Map.of() : d.resource().tags(), d == null ? Map.of() : d.setTags());
        }).toList();
    }
}
