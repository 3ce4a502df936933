package dev.curfew.function.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.function.aws.MicronautRequestHandler;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * The accounts state machine's steps (template.yaml AccountsStateMachine), one function for the five: the state
 * names the step ({@code "step": "list"}, {@code "sweep"}, {@code "budgets"}, {@code "stop"} or {@code "summary"})
 * and passes what the state before it produced. What each step takes and returns: {@link AccountStepsJson}. A bad input fails the step with an error that
 * names the field, before anything is read or changed; the Map's Catch makes a worker's failure that account's row.
 */
public class AccountStepsHandler extends MicronautRequestHandler<Map<String, Object>, Map<String, Object>> {
    /** The steps, by the name the state machine's states give them. */
    static final java.util.Set<String> STEPS = java.util.Set.of("list", "sweep", "budgets", "stop", "summary");

    @Inject
    AccountSteps steps;

    /** Used by Lambda. */
    public AccountStepsHandler() {
        super();
    }

    /** Used by tests: an application context built with chosen properties and beans. */
    public AccountStepsHandler(ApplicationContextBuilder builder) {
        super(builder);
    }

    @Override
    public Map<String, Object> execute(Map<String, Object> input) {
        if (input == null) {
            throw new IllegalArgumentException("no input: expected {\"step\": \"list\"|\"sweep\"|\"budgets\"|\"stop\""
                    + "|\"summary\", ...}");
        }
        String step = AccountStepsJson.text(input, "step", "step");
        return switch (step) {
            case "list" -> steps.list(input);
            case "sweep" -> steps.sweep(input, getApplicationContext().findBean(Context.class).orElse(null));
            case "budgets" -> steps.budgets(input);
            case "stop" -> steps.stop(input);
            case "summary" -> steps.summary(input);
            default -> throw new IllegalArgumentException("step is \"" + step
                    + "\"; expected list, sweep, budgets, stop or summary");
        };
    }
}
