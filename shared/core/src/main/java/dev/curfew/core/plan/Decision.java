package dev.curfew.core.plan;

import dev.curfew.core.model.Resource;
import java.util.List;

/**
 * What the plan decided for one resource, and why. Every resource a sweep saw has a decision, skips included.
 *
 * @param cancelFirst a spot request to cancel before the action (a persistent request would relaunch the instance)
 */
public record Decision(Resource resource, String owner, List<Finding> findings, Action action, String reason,
                       String cancelFirst) {
    public Decision {
        findings = List.copyOf(findings);
    }

    public boolean destructive() {
        return action.destructive();
    }

    public Decision skip(String why) {
        return new Decision(resource, owner, findings, Action.SKIP, why, null);
    }
}
