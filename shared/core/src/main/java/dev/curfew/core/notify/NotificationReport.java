package dev.curfew.core.notify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The notifications section of a sweep report: the roster used, every delivery, and what went wrong. A failed
 * delivery is recorded here and never stops the sweep.
 *
 * @param roster         where the roster came from, or null for none
 * @param rosterContacts how many owners it names
 * @param rosterProblems bad rows (each with its line) and a roster that could not be read
 * @param alreadyWarned  resources left out of this pass's warnings: warned already for the same curfew
 * @param problems       anything else: a secret that could not be read, a channel not configured
 */
public record NotificationReport(String pass, String roster, int rosterContacts, List<String> rosterProblems,
                                 List<Delivery> deliveries, List<String> alreadyWarned, List<String> problems) {
    public NotificationReport {
        rosterProblems = List.copyOf(rosterProblems);
        deliveries = List.copyOf(deliveries);
        alreadyWarned = List.copyOf(alreadyWarned);
        problems = List.copyOf(problems);
    }

    /** This report with {@code more}'s deliveries and problems after its own (the roster as this one read it). */
    public NotificationReport plus(NotificationReport more) {
        List<Delivery> d = new java.util.ArrayList<>(deliveries);
        d.addAll(more.deliveries());
        List<String> p = new java.util.ArrayList<>(problems);
        p.addAll(more.problems());
        return new NotificationReport(pass, roster, rosterContacts, rosterProblems, d, alreadyWarned, p);
    }

    public long failed() {
        return deliveries.stream().filter(d -> d.status() == Delivery.Status.FAILED).count();
    }

    public Map<String, Long> statusCounts() {
        Map<String, Long> m = new TreeMap<>();
        deliveries.forEach(d -> m.merge(d.status().wireName(), 1L, Long::sum));
        return m;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pass", pass);
        m.put("roster", roster);
        m.put("rosterContacts", rosterContacts);
        m.put("rosterProblems", rosterProblems);
        m.put("deliveries", deliveries.stream().map(Delivery::toMap).toList());
        m.put("statuses", statusCounts());
        m.put("failed", failed());
        m.put("alreadyWarned", alreadyWarned);
        m.put("problems", problems);
        return m;
    }
}
