package dev.curfew.core.budget;

import dev.curfew.core.notify.Contact;
import dev.curfew.core.notify.Digest;
import dev.curfew.core.notify.Digests;
import dev.curfew.core.policy.Policy;
import java.time.Instant;
import java.util.List;

/** A student's budget message: at 50 % and 80 % a warning, at 100 % that their instances are stopped. */
public final class BudgetDigests {
    /** The message's name in deliveries and reports. */
    public static final String MESSAGE = "budget";

    private BudgetDigests() {
    }

    /**
     * @param now      when the sweep ran
     * @param weekEnds when the course week turns (the budget starts afresh)
     */
    public static Digest notice(Policy p, BudgetCheck.Notice n, Contact to, Instant now, Instant weekEnds,
                                boolean dryRun) {
        String turns = Digests.when(weekEnds, p.timeZone());
        String figures = n.standing().text();
        String subject;
        String intro;
        if (n.threshold() >= 100) {
            subject = "You are over your budget: your running instances are stopped";
            intro = "You have used all of your budget, " + figures + ". Curfew stops your running instances now: "
                    + "stopped, never terminated, so what is on their volumes stays. The launcher refuses new "
                    + "instances until your instructor raises your budget or the week turns (" + turns + "). "
                    + "Instances kept with a keep tag, protected ones and one-time spot instances are not stopped, "
                    + "and keep costing money.";
        } else {
            subject = "You have used " + n.threshold() + " % of your budget";
            intro = "You have used " + n.threshold() + " % of your budget, " + figures + ". At 100 % Curfew stops "
                    + "your running instances (it never terminates them) and the launcher refuses new ones until "
                    + "your instructor raises your budget or the week turns (" + turns + "). Stop or terminate what "
                    + "you do not need.";
        }
        return new Digest(MESSAGE, to, false, p.course(), "[" + p.course() + "] " + (dryRun ? "[dry run] " : "")
                + subject, intro, Digests.when(now, p.timeZone()), dryRun, List.of(), null, List.of(), null);
    }
}
