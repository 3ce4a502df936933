package dev.curfew.core.plan;

import dev.curfew.core.model.Resource;
import java.util.List;
import java.util.Map;

/**
 * What the plan decided for one resource, and why. Every resource a sweep saw has a decision, skips included.
 *
 * @param cancelFirst a spot request to cancel before the action (a persistent request would relaunch the instance)
 * @param setTags     tags written with the action (a mark, the first-seen time), empty for none
 * @param removeTags  tag keys removed with the action (an unmark)
 * @param costPerHour what the resource costs while it stays, in USD per hour; null when not known
 */
public record Decision(Resource resource, String owner, List<Finding> findings, Action action, String reason,
                       String cancelFirst, Map<String, String> setTags, List<String> removeTags,
                       Double costPerHour) {
    public Decision {
        findings = List.copyOf(findings);
        setTags = setTags == null ? Map.of() : Map.copyOf(setTags);
        removeTags = removeTags == null ? List.of() : List.copyOf(removeTags);
    }

    public Decision(Resource resource, String owner, List<Finding> findings, Action action, String reason,
                    String cancelFirst) {
        this(resource, owner, findings, action, reason, cancelFirst, Map.of(), List.of(), null);
    }

    public boolean destructive() {
        return action.destructive();
    }

    /** Changes anything at all when carried out (destructive, or a tag write). */
    public boolean changes() {
        return action.destructive() || action == Action.MARK || action == Action.UNMARK;
    }

    public Decision skip(String why) {
        return new Decision(resource, owner, findings, Action.SKIP, why, null, Map.of(), List.of(), costPerHour);
    }

    public Decision withCost(Double perHour) {
        return new Decision(resource, owner, findings, action, reason, cancelFirst, setTags, removeTags, perHour);
    }

    public Decision with(Action a, String why, Map<String, String> set, List<String> remove) {
        return new Decision(resource, owner, findings, a, why, null, set, remove, costPerHour);
    }
}
