package dev.curfew.core.policy;

import dev.curfew.core.plan.Action;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a policy from YAML and validates all of it, reporting every problem with its path. Scalars are read as
 * text (so {@code 18:00} stays a time and {@code 012345678901} keeps its leading zero) and parsed here.
 */
public final class PolicyLoader {
    public static final String BUNDLED_DEFAULT = "/dev/curfew/core/default-policy.yaml";

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Duration MAX_DURATION = Duration.ofDays(366);
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");

    private PolicyLoader() {
    }

    /** The policy bundled with Curfew: the lesson's own ("at curfew, every student instance is terminated"). */
    public static Policy bundledDefault(List<PolicyOverride> overrides) {
        try (InputStream in = PolicyLoader.class.getResourceAsStream(BUNDLED_DEFAULT)) {
            if (in == null) {
                throw new IllegalStateException("bundled policy " + BUNDLED_DEFAULT + " is missing from the build");
            }
            return load(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bundled default", overrides);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled policy", e);
        }
    }

    public static Policy load(String yamlText, String source) {
        return load(yamlText, source, List.of());
    }

    /**
     * @param source    how to name the policy in errors (a path, an S3 URI)
     * @param overrides top-level fields set from outside the file; they win over the file
     * @throws PolicyException listing every problem found
     */
    public static Policy load(String yamlText, String source, List<PolicyOverride> overrides) {
        Object root;
        try {
            root = yaml().load(yamlText == null ? "" : yamlText);
        } catch (YAMLException e) {
            throw new PolicyException(source, List.of("not valid YAML: " + firstLine(e.getMessage())));
        }
        if (root == null) {
            root = new LinkedHashMap<String, Object>();
        }
        if (!(root instanceof Map<?, ?>)) {
            throw new PolicyException(source, List.of("(top): expected a mapping of fields, found "
                    + describe(root)));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = new LinkedHashMap<>((Map<String, Object>) root);
        Map<String, String> origins = new LinkedHashMap<>();
        for (PolicyOverride o : overrides) {
            if (o.value() == null || o.value().isBlank()) {
                continue;
            }
            Object v = switch (o.field()) {
                case "accounts", "regions", "identity.instructors" -> o.field().equals("regions")
                        && o.value().trim().equals("all") ? "all" : splitList(o.value());
                default -> o.value().trim();
            };
            if (o.field().contains(".")) {
                putNested(map, o.field().split("\\."), v);
            } else {
                map.put(o.field(), v);
            }
            origins.put(o.field(), o.origin());
        }
        List<String> problems = new ArrayList<>();
        Policy p = new Reader(problems, origins).policy(map);
        if (!problems.isEmpty()) {
            throw new PolicyException(source, problems);
        }
        return p;
    }

    /** Sets a nested field (notifications.slack.webhook-secret) from outside, keeping the rest of its section. */
    @SuppressWarnings("unchecked")
    private static void putNested(Map<String, Object> map, String[] path, Object v) {
        Map<String, Object> at = map;
        for (int i = 0; i < path.length - 1; i++) {
            Object next = at.get(path[i]);
            Map<String, Object> copy = next instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
                    : new LinkedHashMap<>();
            if (next != null && !(next instanceof Map<?, ?>)) {
                return; // the file's own value is reported as not a mapping
            }
            at.put(path[i], copy);
            at = copy;
        }
        at.put(path[path.length - 1], v);
    }

    private static List<String> splitList(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static Yaml yaml() {
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(false);
        opts.setMaxAliasesForCollections(20);
        opts.setCodePointLimit(1_000_000);
        DumperOptions dump = new DumperOptions();
        return new Yaml(new SafeConstructor(opts), new Representer(dump), dump, opts, new TextResolver());
    }

    /** Resolves nothing but null implicitly: every other scalar arrives as text. */
    private static final class TextResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        return s.replaceAll("\\s+", " ").trim();
    }

    static String describe(Object o) {
        if (o instanceof Map<?, ?>) return "a mapping";
        if (o instanceof List<?>) return "a list";
        return "\"" + o + "\"";
    }

    /** Walks the raw map, collecting problems instead of stopping at the first. */
    private static final class Reader implements RuleFields {
        private final List<String> problems;
        private final Map<String, String> origins;
        /** The policy's {@code rules:} section, while the kinds read their rules from it. */
        private Map<String, Object> rules = Map.of();

        Reader(List<String> problems, Map<String, String> origins) {
            this.problems = problems;
            this.origins = origins;
        }

        @Override
        public void problem(String path, String message) {
            String origin = origins.get(path);
            if (origin == null) {
                origin = origins.get(path.split("[.\\[]", 2)[0]);
            }
            problems.add(path + (origin == null ? "" : " (from " + origin + ")") + ": " + message);
        }

        Policy policy(Map<String, Object> m) {
            known("", m, "course", "time-zone", "curfew", "accounts", "regions", "mode", "owner-tag",
                    "exemptions", "limits", "rules", "launcher", "notifications", "sentinel", "identity", "enrolment",
                    "budgets");
            String course = text("course", m.get("course"), "My course");
            ZoneId zone = zone("time-zone", m.get("time-zone"));
            LocalTime curfew = time("curfew", m.get("curfew"));
            Set<String> accounts = accounts("accounts", m.get("accounts"));
            List<String> regions = regions("regions", m.get("regions"));
            Mode mode = mode("mode", m.get("mode"));
            if (mode == Mode.ENFORCE && accounts != null && accounts.isEmpty()) {
                problem("accounts", "enforce mode needs at least one account id here (the account guard "
                        + "refuses to change any account that is not listed)");
            }
            String ownerTag = tagKey("owner-tag", m.get("owner-tag"), dev.curfew.core.model.CurfewTags.OWNER);
            Exemptions ex = exemptions(section("exemptions", m.get("exemptions")));
            int limit = limits(section("limits", m.get("limits")));
            LeftoverRules kinds = kinds(section("rules", m.get("rules")));
            LaunchLimits launcher = launcher(section("launcher", m.get("launcher")));
            Notifications notifications = notifications(section("notifications", m.get("notifications")));
            SentinelRules sentinel = sentinel(section("sentinel", m.get("sentinel")));
            IdentityRules identity = identity(section("identity", m.get("identity")));
            EnrolmentRules enrolment = enrolment(section("enrolment", m.get("enrolment")));
            dev.curfew.core.budget.BudgetRules budgets = budgets(section("budgets", m.get("budgets")));
            if (!problems.isEmpty()) {
                return null;
            }
            return new Policy(course, zone, curfew, accounts, regions, mode, ownerTag, ex, limit, kinds, launcher,
                    notifications, sentinel, identity, enrolment, budgets);
        }

        @Override
        public void known(String prefix, Map<String, Object> m, String... keys) {
            List<String> allowed = List.of(keys);
            for (String k : m.keySet()) {
                if (!allowed.contains(String.valueOf(k))) {
                    problem(prefix + k, "unknown field; known fields here: " + String.join(", ", allowed));
                }
            }
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> section(String path, Object v) {
            if (v == null) {
                return Map.of();
            }
            if (!(v instanceof Map<?, ?>)) {
                problem(path, "expected a mapping of fields, found " + describe(v));
                return Map.of();
            }
            return (Map<String, Object>) v;
        }

        private String text(String path, Object v, String dflt) {
            if (v == null) {
                return dflt;
            }
            if (!(v instanceof String s)) {
                problem(path, "expected text, found " + describe(v));
                return dflt;
            }
            if (s.isBlank()) {
                problem(path, "must not be empty");
                return dflt;
            }
            return s.trim();
        }

        private ZoneId zone(String path, Object v) {
            String s = text(path, v, "UTC");
            try {
                return ZoneId.of(s);
            } catch (DateTimeException e) {
                problem(path, "\"" + s + "\" is not a time zone; use an IANA name such as Europe/Amsterdam "
                        + "or America/New_York");
                return ZoneId.of("UTC");
            }
        }

        private LocalTime time(String path, Object v) {
            String s = text(path, v, "18:00");
            try {
                if (!s.matches("\\d{1,2}:\\d{2}")) {
                    throw new DateTimeParseException("", s, 0);
                }
                String[] hm = s.split(":");
                return LocalTime.of(Integer.parseInt(hm[0]), Integer.parseInt(hm[1]));
            } catch (DateTimeException e) {
                problem(path, "\"" + s + "\" is not a time of day; use HH:MM on a 24-hour clock, e.g. 18:00");
                return LocalTime.of(18, 0);
            }
        }

        private Set<String> accounts(String path, Object v) {
            Set<String> out = new LinkedHashSet<>();
            for (String[] e : list(path, v)) {
                if (!ACCOUNT.matcher(e[1]).matches()) {
                    problem(e[0], "\"" + e[1] + "\" is not an AWS account id (12 digits; quote it in YAML)");
                } else {
                    out.add(e[1]);
                }
            }
            return out;
        }

        private List<String> regions(String path, Object v) {
            if (v == null || "all".equals(v)) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            List<String[]> items = list(path, v);
            if (items.isEmpty() && v instanceof List<?>) {
                problem(path, "an empty list sweeps nothing; write all, or name the regions");
            }
            for (String[] e : items) {
                if (!REGION.matcher(e[1]).matches()) {
                    problem(e[0], "\"" + e[1] + "\" is not a region name (e.g. eu-west-1); or write regions: all");
                } else if (!out.contains(e[1])) {
                    out.add(e[1]);
                }
            }
            return out;
        }

        /** A list of texts, each with its path. */
        private List<String[]> list(String path, Object v) {
            List<String[]> out = new ArrayList<>();
            if (v == null) {
                return out;
            }
            if (v instanceof String s) {
                problem(path, "expected a list, found \"" + s + "\"; write [" + s + "]");
                return out;
            }
            if (!(v instanceof List<?> l)) {
                problem(path, "expected a list, found " + describe(v));
                return out;
            }
            for (int i = 0; i < l.size(); i++) {
                Object item = l.get(i);
                if (!(item instanceof String s) || s.isBlank()) {
                    problem(path + "[" + i + "]", "expected text, found " + describe(item));
                } else {
                    out.add(new String[] {path + "[" + i + "]", s.trim()});
                }
            }
            return out;
        }

        private Mode mode(String path, Object v) {
            String s = text(path, v, "dry-run");
            try {
                return Mode.parse(s);
            } catch (IllegalArgumentException e) {
                problem(path, e.getMessage());
                return Mode.DRY_RUN;
            }
        }

        @Override
        public String tagKey(String path, Object v, String dflt) {
            String s = text(path, v, dflt);
            if (!TAG_KEY.matcher(s).matches() || s.startsWith("aws:")) {
                problem(path, "\"" + s + "\" is not a tag key you can set (1-128 characters, not starting with aws:)");
            }
            return s;
        }

        @Override
        public Duration duration(String path, Object v, Duration dflt, boolean allowNone) {
            if (v == null) {
                return dflt;
            }
            String s = v instanceof String str ? str.trim() : String.valueOf(v);
            if (allowNone && s.equals("none")) {
                return null;
            }
            Duration d = Durations.parse(s);
            if (d != null && d.compareTo(MAX_DURATION) > 0) {
                problem(path, "\"" + s + "\" is too long; at most " + Durations.format(MAX_DURATION));
                return dflt;
            }
            if (d == null) {
                problem(path, "\"" + s + "\" is not a duration; use " + Durations.suggest(s)
                        + " (units d, h, m, s" + (allowNone ? "; or none" : "") + ")");
                return dflt;
            }
            return d;
        }

        @Override
        public boolean bool(String path, Object v, boolean dflt) {
            if (v == null) {
                return dflt;
            }
            String s = String.valueOf(v).trim();
            if (s.equals("true") || s.equals("yes")) {
                return true;
            }
            if (s.equals("false") || s.equals("no")) {
                return false;
            }
            problem(path, "\"" + s + "\" is not true or false");
            return dflt;
        }

        private Exemptions exemptions(Map<String, Object> m) {
            known("exemptions.", m, "keep-tag", "longest-keep", "allow-list", "stacks");
            String keepTag = tagKey("exemptions.keep-tag", m.get("keep-tag"), dev.curfew.core.model.CurfewTags.KEEP);
            Duration longest = duration("exemptions.longest-keep", m.get("longest-keep"), Duration.ofDays(14), false);
            List<AllowEntry> allow = new ArrayList<>();
            Object raw = m.get("allow-list");
            if (raw != null && !(raw instanceof List<?>)) {
                problem("exemptions.allow-list", "expected a list, found " + describe(raw));
            } else if (raw != null) {
                List<?> l = (List<?>) raw;
                for (int i = 0; i < l.size(); i++) {
                    String p = "exemptions.allow-list[" + i + "]";
                    Object item = l.get(i);
                    if (item instanceof String s && !s.isBlank()) {
                        allow.add(new AllowEntry(s.trim(), null));
                    } else if (item instanceof Map<?, ?> e) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> em = (Map<String, Object>) e;
                        known(p + ".", em, "match", "until");
                        String match = text(p + ".match", em.get("match"), null);
                        if (match == null) {
                            problem(p + ".match", "is required: a resource id or a Name tag value");
                        }
                        LocalDate until = null;
                        String u = text(p + ".until", em.get("until"), "forever");
                        if (!u.equals("forever")) {
                            try {
                                until = LocalDate.parse(u);
                            } catch (DateTimeParseException ex) {
                                problem(p + ".until", "\"" + u + "\" is not a date; use YYYY-MM-DD or forever");
                            }
                        }
                        if (match != null) {
                            allow.add(new AllowEntry(match, until));
                        }
                    } else {
                        problem(p, "expected an id or Name, or {match: ..., until: YYYY-MM-DD|forever}, found "
                                + describe(item));
                    }
                }
            }
            Set<String> stacks = new LinkedHashSet<>();
            for (String[] e : list("exemptions.stacks", m.get("stacks"))) {
                stacks.add(e[1]);
            }
            return new Exemptions(keepTag, longest, allow, stacks);
        }

        private SentinelRules sentinel(Map<String, Object> m) {
            String p = "sentinel.";
            known(p, m, "enabled", "action", "welcome");
            boolean enabled = bool(p + "enabled", m.get("enabled"), true);
            String action = text(p + "action", m.get("action"), "notify");
            if (!SentinelRules.ACTIONS.contains(action)) {
                problem(p + "action", "\"" + action + "\" is not an action here; use one of "
                        + String.join(", ", SentinelRules.ACTIONS));
            }
            boolean welcome = bool(p + "welcome", m.get("welcome"), true);
            return new SentinelRules(enabled, action, welcome);
        }

        private IdentityRules identity(Map<String, Object> m) {
            String p = "identity.";
            known(p, m, "student-roles", "instructors");
            List<String> roles = new ArrayList<>();
            for (String[] e : list(p + "student-roles", m.get("student-roles"))) {
                String problem = dev.curfew.core.identity.Principals.roleNameProblem(e[1]);
                if (problem != null) {
                    problem(e[0], problem);
                } else if (e[1].startsWith(dev.curfew.core.identity.Principals.SERVICE_LINKED_ROLE_PREFIX)) {
                    problem(e[0], "\"" + e[1] + "\" is a service-linked role: AWS acts through it, never a student");
                } else {
                    roles.add(e[1]);
                }
            }
            List<String> instructors = new ArrayList<>();
            for (String[] e : list(p + "instructors", m.get("instructors"))) {
                String problem = dev.curfew.core.identity.Principals.patternProblem(e[1]);
                if (problem != null) {
                    problem(e[0], problem);
                } else {
                    instructors.add(e[1]);
                }
            }
            return new IdentityRules(roles, instructors);
        }

        private static final Pattern ORGANIZATION_UNIT = Pattern.compile("ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}");
        private static final Pattern ORGANIZATION_ROOT = Pattern.compile("r-[0-9a-z]{4,32}");

        private EnrolmentRules enrolment(Map<String, Object> m) {
            String p = "enrolment.";
            known(p, m, "scope", "accounts", "organization-unit");
            EnrolmentRules.Rule scope = EnrolmentRules.Rule.SINCE_ENROLMENT;
            String s = text(p + "scope", m.get("scope"), "since-enrolment");
            if (s.equals("everything")) {
                scope = EnrolmentRules.Rule.EVERYTHING;
            } else if (!s.equals("since-enrolment")) {
                problem(p + "scope", "\"" + s + "\" is not a scope; use since-enrolment (what was created since the "
                        + "account was enrolled) or everything");
            }
            Map<String, EnrolmentRules.Rule> accounts = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : section(p + "accounts", m.get("accounts")).entrySet()) {
                String account = String.valueOf(e.getKey());
                String path = p + "accounts." + account;
                if (!ACCOUNT.matcher(account).matches()) {
                    problem(path, "\"" + account + "\" is not an AWS account id (12 digits; quote it in YAML)");
                    continue;
                }
                String v = text(path, e.getValue(), null);
                if (v == null) {
                    if (e.getValue() == null) {
                        problem(path, "is empty; write everything, since-enrolment or a date YYYY-MM-DD");
                    }
                } else if (v.equals("everything")) {
                    accounts.put(account, EnrolmentRules.Rule.EVERYTHING);
                } else if (v.equals("since-enrolment")) {
                    accounts.put(account, EnrolmentRules.Rule.SINCE_ENROLMENT);
                } else {
                    try {
                        if (!v.matches("\\d{4}-\\d{2}-\\d{2}")) {
                            throw new DateTimeParseException("", v, 0);
                        }
                        accounts.put(account, EnrolmentRules.Rule.fromDate(LocalDate.parse(v)));
                    } catch (DateTimeParseException ex) {
                        problem(path, "\"" + v + "\" is neither everything, since-enrolment nor a date YYYY-MM-DD "
                                + "(in scope from the start of that day, in time-zone)");
                    }
                }
            }
            String unit = optional(p + "organization-unit", m.get("organization-unit"));
            if (unit != null && !ORGANIZATION_UNIT.matcher(unit).matches()
                    && !ORGANIZATION_ROOT.matcher(unit).matches()) {
                problem(p + "organization-unit", "\"" + unit + "\" is not an Organizations unit id (ou-xxxx-xxxxxxxx: "
                        + "lower-case letters and digits) or root id (r-xxxx); or write none");
                unit = null;
            }
            return new EnrolmentRules(scope, accounts, unit);
        }

        /** The budgets section: weekly, course (amounts), students (owner: weekly amount); all optional. */
        private dev.curfew.core.budget.BudgetRules budgets(Map<String, Object> m) {
            String p = "budgets.";
            known(p, m, "weekly", "course", "students", "course-start");
            LocalDate courseStart = null;
            String start = optional(p + "course-start", m.get("course-start"));
            if (start != null) {
                try {
                    if (!start.matches("\\d{4}-\\d{2}-\\d{2}")) {
                        throw new DateTimeParseException("", start, 0);
                    }
                    courseStart = LocalDate.parse(start);
                } catch (DateTimeParseException ex) {
                    problem(p + "course-start", "\"" + start + "\" is not a date; write the day the course began, "
                            + "YYYY-MM-DD (from 00:00 in time-zone), or none");
                }
            }
            dev.curfew.core.budget.Amount weekly = amount(p + "weekly", m.get("weekly"));
            dev.curfew.core.budget.Amount course = amount(p + "course", m.get("course"));
            Map<String, dev.curfew.core.budget.Amount> students = new LinkedHashMap<>();
            Set<String> seen = new java.util.HashSet<>();
            for (Map.Entry<String, Object> e : section(p + "students", m.get("students")).entrySet()) {
                String owner = String.valueOf(e.getKey()).trim();
                String path = p + "students." + owner;
                if (owner.isEmpty() || !TAG_VALUE.matcher(owner).matches()) {
                    problem(path, "\"" + owner + "\" is not an owner (the value of the owner tag: an IAM user or "
                            + "role session name)");
                    continue;
                }
                if (!seen.add(owner.toLowerCase(java.util.Locale.ROOT))) {
                    problem(path, "is listed twice (owners are matched without regard to case)");
                    continue;
                }
                if (e.getValue() == null) {
                    problem(path, "is empty; write an amount: dollars (15.00) or instance hours (20h)");
                    continue;
                }
                dev.curfew.core.budget.Amount a = amount(path, e.getValue());
                if (a != null) {
                    students.put(owner, a);
                }
            }
            return new dev.curfew.core.budget.BudgetRules(weekly, course, students, courseStart);
        }

        private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,256}");

        /** An amount: dollars (10.00, $10) or instance hours (20h); null when absent, empty or none. */
        private dev.curfew.core.budget.Amount amount(String path, Object v) {
            String s = optional(path, v);
            if (s == null) {
                return null;
            }
            dev.curfew.core.budget.Amount a = dev.curfew.core.budget.Amount.parse(s);
            if (a == null) {
                problem(path, "\"" + s + "\" is not a budget; write dollars (10.00 or $10) or instance hours (20h), "
                        + "above 0 and at most 1000000; or none");
            }
            return a;
        }

        private LaunchLimits launcher(Map<String, Object> m) {
            String p = "launcher.";
            known(p, m, "allowed-types", "max-hours", "max-running-per-student", "regions", "price-cap", "ami");
            List<String> types = new ArrayList<>();
            for (String[] e : list(p + "allowed-types", m.get("allowed-types"))) {
                if (!INSTANCE_TYPE.matcher(e[1]).matches()) {
                    problem(e[0], "\"" + e[1] + "\" is not an instance type such as t3.micro");
                } else {
                    types.add(e[1]);
                }
            }
            if (m.get("allowed-types") == null) {
                types.addAll(List.of("t3.micro", "t3.small", "t3.medium"));
            } else if (types.isEmpty() && problems.stream().noneMatch(x -> x.startsWith(p + "allowed-types"))) {
                problem(p + "allowed-types", "an empty list allows nothing; name at least one instance type");
            }
            int hours = whole(p + "max-hours", m.get("max-hours"), 4, 1, 24 * 14);
            int perStudent = whole(p + "max-running-per-student", m.get("max-running-per-student"), 2, 0, 1000);
            Object rawRegions = m.get("regions");
            List<String> regions = rawRegions == null || rawRegions instanceof List<?> l && l.isEmpty() ? List.of()
                    : regions(p + "regions", rawRegions);
            java.math.BigDecimal cap = new java.math.BigDecimal("0.05");
            Object rawCap = m.get("price-cap");
            if (rawCap != null) {
                try {
                    cap = new java.math.BigDecimal(String.valueOf(rawCap).trim().replaceFirst("^\\$", ""));
                    if (cap.signum() <= 0) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    problem(p + "price-cap", "\"" + rawCap + "\" is not a price in USD per hour above 0, e.g. 0.05");
                }
            }
            String ami = text(p + "ami", m.get("ami"), LaunchLimits.DEFAULT_AMI);
            if (!ami.matches("ami-[0-9a-f]{8,17}") && !ami.matches("ssm:/[\\w./-]+")) {
                problem(p + "ami", "\"" + ami + "\" is neither an AMI id (ami-...) nor an SSM parameter (ssm:/...)");
            }
            return new LaunchLimits(types, hours, perStudent, regions, cap, ami);
        }

        private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+");
        private static final Pattern SLACK_MEMBER = Pattern.compile("[UW][A-Z0-9]{2,20}");
        private static final Pattern SECRET_ID = Pattern.compile("[\\w/+=.@:-]{1,2048}");

        private Notifications notifications(Map<String, Object> m) {
            String p = "notifications.";
            known(p, m, "roster", "warning-lead", "slack", "email", "instructor", "students-in-dry-run");
            String roster = optional(p + "roster", m.get("roster"));
            if (roster != null && !roster.matches("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.+")
                    && !roster.matches("ssm:/[\\w./-]+")) {
                problem(p + "roster", "\"" + roster + "\" is neither an S3 object (s3://bucket/key) nor an SSM "
                        + "parameter (ssm:/name); or write none");
                roster = null;
            }
            Duration lead = duration(p + "warning-lead", m.get("warning-lead"), Notifications.DEFAULT_LEAD, false);
            lead = positive(p + "warning-lead", lead);
            if (lead != null && lead.compareTo(Duration.ofHours(12)) > 0) {
                problem(p + "warning-lead", "a warning more than 12h before curfew is for the wrong day; use e.g. 30m");
            }
            Map<String, Object> slack = section(p + "slack", m.get("slack"));
            known(p + "slack.", slack, "webhook-secret", "bot-token-secret");
            String webhook = secretId(p + "slack.webhook-secret", slack.get("webhook-secret"));
            String bot = secretId(p + "slack.bot-token-secret", slack.get("bot-token-secret"));
            Map<String, Object> email = section(p + "email", m.get("email"));
            known(p + "email.", email, "sender");
            String sender = emailAddress(p + "email.sender", email.get("sender"));
            Map<String, Object> instructor = section(p + "instructor", m.get("instructor"));
            known(p + "instructor.", instructor, "name", "email", "slack");
            String name = text(p + "instructor.name", instructor.get("name"), "Instructor");
            String instructorEmail = emailAddress(p + "instructor.email", instructor.get("email"));
            String instructorSlack = matching(p + "instructor.slack", instructor.get("slack"), SLACK_MEMBER,
                    "a Slack member id (U0123ABCD: in Slack, the profile's \u22ee menu, Copy member ID)");
            boolean students = bool(p + "students-in-dry-run", m.get("students-in-dry-run"), false);
            return new Notifications(roster, lead == null ? Notifications.DEFAULT_LEAD : lead, webhook, bot, sender,
                    name, instructorEmail, instructorSlack, students);
        }

        /** Text, or null when absent, empty or {@code none}. */
        private String optional(String path, Object v) {
            if (v == null) {
                return null;
            }
            if (!(v instanceof String s)) {
                problem(path, "expected text, found " + describe(v));
                return null;
            }
            String t = s.trim();
            return t.isEmpty() || t.equals("none") ? null : t;
        }

        private String secretId(String path, Object v) {
            return matching(path, v, SECRET_ID, "a Secrets Manager secret name or ARN");
        }

        private String emailAddress(String path, Object v) {
            return matching(path, v, EMAIL, "an email address");
        }

        /** {@link #optional} text that must match {@code pattern}; else a problem ("... is not {@code what}"), null. */
        private String matching(String path, Object v, Pattern pattern, String what) {
            String s = optional(path, v);
            if (s != null && !pattern.matcher(s).matches()) {
                problem(path, "\"" + s + "\" is not " + what);
                return null;
            }
            return s;
        }

        private int whole(String path, Object v, int dflt, int min, int max) {
            if (v == null) {
                return dflt;
            }
            try {
                int n = Integer.parseInt(String.valueOf(v).trim());
                if (n < min || n > max) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                problem(path, "\"" + v + "\" is not a whole number from " + min + " to " + max);
                return dflt;
            }
        }

        private int limits(Map<String, Object> m) {
            known("limits.", m, "max-destructive-actions");
            Object v = m.get("max-destructive-actions");
            if (v == null) {
                return 100;
            }
            try {
                int n = Integer.parseInt(String.valueOf(v).trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                problem("limits.max-destructive-actions", "\"" + v + "\" is not a whole number of 0 or more");
                return 100;
            }
        }

        /**
         * The rules of every kind of the registry: each kind's keys are the known fields of {@code rules:}; a kind
         * that reads its own rule ({@code KindRules.read}) does, the others are read alike ({@link #kindRule}).
         */
        private LeftoverRules kinds(Map<String, Object> m) {
            List<String> keys = new ArrayList<>();
            dev.curfew.core.plan.Kinds.ALL.forEach(k -> keys.addAll(k.policyKeys()));
            known("rules.", m, keys.toArray(String[]::new));
            rules = m;
            Map<dev.curfew.core.model.ResourceKind, KindRule> kinds = new java.util.EnumMap<>(
                    dev.curfew.core.model.ResourceKind.class);
            for (dev.curfew.core.plan.KindRules k : dev.curfew.core.plan.Kinds.ALL) {
                KindRule own = k.read(this);
                kinds.put(k.kind(), own != null ? own : kindRule(k, m));
            }
            return new LeftoverRules(kinds);
        }

        @Override
        public Map<String, Object> rule(String key) {
            return section("rules." + key, rules.get(key));
        }

        /** The rule of one kind of the registry: {@code enabled}, its wait field (if it has one), {@code action}. */
        private KindRule kindRule(dev.curfew.core.plan.KindRules k, Map<String, Object> m) {
            String p = "rules." + k.policyKey() + ".";
            Map<String, Object> sec = section("rules." + k.policyKey(), m.get(k.policyKey()));
            KindRule d = k.defaults();
            List<String> fields = new ArrayList<>(List.of("enabled"));
            if (k.afterField() != null) {
                fields.add(k.afterField());
            }
            fields.add("action");
            fields.addAll(d.options().keySet());
            known(p, sec, fields.toArray(String[]::new));
            Duration after = k.afterField() == null ? d.after()
                    : duration(p + k.afterField(), sec.get(k.afterField()), d.after(), false);
            Map<String, Object> options = new LinkedHashMap<>();
            d.options().forEach((name, dflt) -> options.put(name, option(p + name, sec.get(name), dflt)));
            return new KindRule(bool(p + "enabled", sec.get("enabled"), d.enabled()), after,
                    action(p + "action", sec.get("action"), d.action(),
                            k.actions().stream().map(Action::wireName).toList(), k.label() + "s"), options);
        }

        /** A further field of a kind's rule, read as its default's type: a switch or a list of texts. */
        private Object option(String path, Object v, Object dflt) {
            if (dflt instanceof Boolean b) {
                return bool(path, v, b);
            }
            if (dflt instanceof List<?>) {
                return v == null ? dflt : list(path, v).stream().map(e -> e[1]).toList();
            }
            throw new IllegalStateException(path + ": a kind's field must default to a switch or a list");
        }

        @Override
        public Action action(String path, Object v, Action dflt, List<String> allowed, String what) {
            String s = text(path, v, dflt.wireName());
            if (!allowed.contains(s)) {
                problem(path, "\"" + s + "\" is not an action for " + what + "; use one of " + String.join(", ", allowed));
                return dflt;
            }
            return Action.fromWire(s);
        }

        @Override
        public Duration positive(String path, Duration d) {
            if (d != null && (d.isZero() || d.isNegative())) {
                problem(path, "must be longer than zero");
            }
            return d;
        }

        @Override
        public double percent(String path, Object v, double dflt) {
            if (v == null) {
                return dflt;
            }
            String s = String.valueOf(v).trim().replaceFirst("%$", "");
            try {
                double d = Double.parseDouble(s);
                if (d < 0 || d > 100 || Double.isNaN(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                problem(path, "\"" + v + "\" is not a percentage between 0 and 100");
                return dflt;
            }
        }

        @Override
        public long bytes(String path, Object v, long dflt) {
            if (v == null) {
                return dflt;
            }
            Long n = ByteSizes.parse(String.valueOf(v));
            if (n == null) {
                problem(path, "\"" + v + "\" is not a size in bytes; use e.g. 5MB, 500KB or 1000000");
                return dflt;
            }
            return n;
        }
    }
}
