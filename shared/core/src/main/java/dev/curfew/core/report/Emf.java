package dev.curfew.core.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One log event in CloudWatch's embedded metric format (EMF): a JSON object, printed alone on one line, from which
 * CloudWatch Logs extracts metrics. Written by hand to the specification ("Specification: Embedded metric format",
 * CloudWatch User Guide) rather than with AWS's EMF library, which brings jackson-databind and sinks of its own:
 * <pre>
 * {"_aws": {"Timestamp": epoch-millis,
 *           "CloudWatchMetrics": [{"Namespace": "...", "Dimensions": [["Pass"], ...],
 *                                  "Metrics": [{"Name": "ActionsDone", "Unit": "Count"}, ...]}]},
 *  "Pass": "curfew", "ActionsDone": 3, ... other members}
 * </pre>
 * Every dimension and metric a directive names is a member of the root (dimension values are strings, metric
 * values numbers). What would break the specification is refused with an error naming the field, so a bad line is
 * never printed in silence (CloudWatch drops a whole event it cannot read).
 */
public record Emf(String namespace, List<List<String>> dimensionSets, Map<String, String> dimensions,
                  List<Metric> metrics, Map<String, Object> properties) {

    /** The units CloudWatch accepts that Curfew uses (the specification's names). */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds"), SECONDS("Seconds"), NONE("None");

        private final String wire;

        Unit(String wire) {
            this.wire = wire;
        }

        public String wireName() {
            return wire;
        }
    }

    /** One metric: its name (a member of the root), its unit and this event's value. */
    public record Metric(String name, Unit unit, double value) {
    }

    /** Limits of the specification and of CloudWatch metrics. */
    public static final int MAX_METRICS = 100;
    public static final int MAX_DIMENSIONS_PER_SET = 30;
    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_DIMENSION_VALUE_LENGTH = 1024;
    /** CloudWatch's namespace characters: letters, digits, . - _ / # : and space; "AWS/" is AWS's own. */
    private static final Pattern NAMESPACE = Pattern.compile("[0-9A-Za-z._/#: -]+");

    public Emf {
        if (namespace == null || namespace.isBlank() || namespace.length() > MAX_NAME_LENGTH
                || !NAMESPACE.matcher(namespace).matches() || namespace.startsWith("AWS/")) {
            throw new IllegalArgumentException("EMF Namespace \"" + namespace + "\": 1 to " + MAX_NAME_LENGTH
                    + " of the characters 0-9 A-Z a-z . - _ / # : and space, not starting with AWS/");
        }
        dimensions = Map.copyOf(dimensions);
        dimensionSets = dimensionSets.stream().map(List::copyOf).toList();
        metrics = List.copyOf(metrics);
        properties = properties == null ? Map.of() : new LinkedHashMap<>(properties);
        if (metrics.isEmpty() || metrics.size() > MAX_METRICS) {
            throw new IllegalArgumentException("EMF Metrics: 1 to " + MAX_METRICS + " metrics, not " + metrics.size());
        }
        Set<String> members = new HashSet<>(Set.of("_aws"));
        for (Map.Entry<String, String> d : dimensions.entrySet()) {
            name("EMF dimension", d.getKey());
            if (d.getValue().isBlank() || d.getValue().length() > MAX_DIMENSION_VALUE_LENGTH) {
                throw new IllegalArgumentException("EMF dimension " + d.getKey() + ": its value \"" + d.getValue()
                        + "\" must be 1 to " + MAX_DIMENSION_VALUE_LENGTH + " characters, not blank");
            }
            unique(members, d.getKey());
        }
        for (List<String> set : dimensionSets) {
            if (set.size() > MAX_DIMENSIONS_PER_SET) {
                throw new IllegalArgumentException("EMF Dimensions " + set + ": at most " + MAX_DIMENSIONS_PER_SET
                        + " dimensions in a set");
            }
            for (String key : set) {
                if (!dimensions.containsKey(key)) {
                    throw new IllegalArgumentException("EMF Dimensions " + set + ": " + key + " has no value");
                }
            }
        }
        for (Metric m : metrics) {
            name("EMF metric", m.name());
            if (m.unit() == null) {
                throw new IllegalArgumentException("EMF metric " + m.name() + ": no unit");
            }
            if (!Double.isFinite(m.value())) {
                throw new IllegalArgumentException("EMF metric " + m.name() + ": the value " + m.value()
                        + " is not a finite number");
            }
            unique(members, m.name());
        }
        for (String key : properties.keySet()) {
            unique(members, key);
        }
    }

    private static void name(String what, String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(what + " name \"" + name + "\": 1 to " + MAX_NAME_LENGTH
                    + " characters, not blank");
        }
    }

    private static void unique(Set<String> members, String name) {
        if (!members.add(name)) {
            throw new IllegalArgumentException("EMF member \"" + name + "\" is named twice (dimensions, metrics, "
                    + "other members and _aws share the root object)");
        }
    }

    /** The document, as maps and lists in the specification's order: _aws first, then dimensions, metrics, others. */
    public Map<String, Object> document(Instant at) {
        List<Map<String, Object>> definitions = new ArrayList<>();
        for (Metric m : metrics) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("Name", m.name());
            d.put("Unit", m.unit().wireName());
            definitions.add(d);
        }
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", namespace);
        directive.put("Dimensions", dimensionSets);
        directive.put("Metrics", definitions);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", at.toEpochMilli());
        aws.put("CloudWatchMetrics", List.of(directive));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("_aws", aws);
        dimensions.keySet().stream().sorted().forEach(k -> root.put(k, dimensions.get(k)));
        for (Metric m : metrics) {
            double v = m.value();
            root.put(m.name(), v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v);
        }
        root.putAll(properties);
        return root;
    }

    /** The event as printed: the JSON object alone, on one line. */
    public String line(Instant at) {
        return Json.line(document(at));
    }
}
