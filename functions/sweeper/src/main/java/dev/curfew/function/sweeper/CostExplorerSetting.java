package dev.curfew.function.sweeper;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * Whether students' spend is read from Cost Explorer (CURFEW_COST_EXPLORER, the template's CostExplorer parameter:
 * {@code on} or {@code off}, default off): on, the billed figure replaces Curfew's estimate where AWS has one.
 */
@Singleton
public class CostExplorerSetting {
    private final boolean on;

    public CostExplorerSetting(@Nullable @Value("${curfew.cost-explorer:off}") String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (!v.isEmpty() && !v.equals("on") && !v.equals("off")) {
            throw new IllegalArgumentException("CURFEW_COST_EXPLORER (curfew.cost-explorer) is \"" + value
                    + "\"; expected on or off");
        }
        this.on = v.equals("on");
    }

    public boolean on() {
        return on;
    }
}
