package dev.curfew.core.notify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a roster, CSV or YAML. Every bad row is named by its line and left out; the good rows still count.
 *
 * <p>CSV: a header line naming the columns {@code owner} (required), {@code name}, {@code email}, {@code slack},
 * {@code account} (optional: the student's own AWS account, 12 digits) in any order; blank lines and lines starting with {@code #} are skipped; fields may be double-quoted.
 *
 * <p>YAML: a list of {@code {owner, name, email, slack, account}}, or a mapping of owner to
 * {@code {name, email, slack, account}}. Two students may not claim the same account: the second row is left out and
 * the problem names both.
 */
public final class RosterParser {
    static final List<String> COLUMNS = List.of("owner", "name", "email", "slack", "account");
    private static final Pattern OWNER = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+");
    private static final Pattern SLACK_MEMBER = Pattern.compile("[UW][A-Z0-9]{2,20}");

    /** An AWS account id: exactly 12 ASCII digits (not {@code \\d}, which admits other scripts' digits). */
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

    private RosterParser() {
    }

    /** Whether {@code s} is an AWS account id: exactly 12 ASCII digits, nothing around them. */
    public static boolean isAccountId(String s) {
        return s != null && ACCOUNT.matcher(s).matches();
    }

    /** CSV or YAML: by the source's extension (.csv, .yaml, .yml), else by the first meaningful line. */
    public static Roster parse(String text, String source) {
        String s = text == null ? "" : text.replace("\r\n", "\n").replace('\r', '\n');
        if (s.startsWith("\uFEFF")) {
            s = s.substring(1);
        }
        String lower = source == null ? "" : source.toLowerCase(Locale.ROOT);
        boolean csv;
        if (lower.endsWith(".csv")) {
            csv = true;
        } else if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
            csv = false;
        } else {
            String first = s.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).findFirst()
                    .orElse("");
            csv = first.toLowerCase(Locale.ROOT).replace("\"", "").matches("owner\\s*,.*|.*,\\s*owner(\\s*,.*)?");
        }
        return csv ? csv(s, source) : yaml(s, source);
    }

    static Roster csv(String text, String source) {
        List<String> problems = new ArrayList<>();
        Map<String, Contact> out = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        Map<String, Integer> columns = null;
        int headerCount = 0;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = fields(line);
            if (fields == null) {
                problems.add(at(source, lineNo) + "an unclosed double quote");
                continue;
            }
            if (columns == null) {
                columns = new LinkedHashMap<>();
                headerCount = fields.size();
                for (int c = 0; c < fields.size(); c++) {
                    String col = fields.get(c).trim().toLowerCase(Locale.ROOT);
                    if (!COLUMNS.contains(col)) {
                        problems.add(at(source, lineNo) + "unknown column \"" + fields.get(c) + "\"; the columns are "
                                + String.join(", ", COLUMNS));
                    } else if (columns.put(col, c) != null) {
                        problems.add(at(source, lineNo) + "column \"" + col + "\" appears twice");
                    }
                }
                if (!columns.containsKey("owner")) {
                    problems.add(at(source, lineNo) + "the first line must name the columns, owner among them "
                            + "(owner,name,email,slack)");
                    return new Roster(source, Map.of(), problems);
                }
                continue;
            }
            if (fields.size() != headerCount) {
                problems.add(at(source, lineNo) + fields.size() + " field" + (fields.size() == 1 ? "" : "s")
                        + ", the header has " + headerCount + " (a comma inside a name needs double quotes)");
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (var e : columns.entrySet()) {
                row.put(e.getKey(), fields.get(e.getValue()).trim());
            }
            add(row, source, lineNo, out, problems);
        }
        if (columns == null) {
            problems.add(at(source, 1) + "empty roster: write a header line owner,name,email,slack and a row per "
                    + "student");
        }
        return new Roster(source, out, problems);
    }

    /** One CSV line's fields (RFC 4180 quotes within the line), or null for an unclosed quote. */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    b.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    b.append(c);
                }
            } else if (c == '"' && b.toString().isBlank()) {
                b.setLength(0);
                quoted = true;
            } else if (c == ',') {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        out.add(b.toString());
        return out;
    }

    static Roster yaml(String text, String source) {
        List<String> problems = new ArrayList<>();
        Map<String, Contact> out = new LinkedHashMap<>();
        Node root;
        try {
            LoaderOptions opts = new LoaderOptions();
            opts.setAllowDuplicateKeys(true); // reported below with their lines
            opts.setMaxAliasesForCollections(20);
            root = new Yaml(opts).compose(new java.io.StringReader(text));
        } catch (YAMLException e) {
            problems.add(at(source, 0).replace("line 0: ", "") + "not valid YAML or CSV: "
                    + e.getMessage().replaceAll("\\s+", " ").trim());
            return new Roster(source, Map.of(), problems);
        }
        if (root == null) {
            problems.add(at(source, 1) + "empty roster");
            return new Roster(source, Map.of(), problems);
        }
        if (root instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                int line = line(item);
                Map<String, String> row = fieldsOf(item, source, problems, true);
                if (row != null) {
                    add(row, source, line, out, problems);
                }
            }
        } else if (root instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                int line = line(t.getKeyNode());
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    problems.add(at(source, line) + "expected an owner name as the key");
                    continue;
                }
                Map<String, String> row = fieldsOf(t.getValueNode(), source, problems, false);
                if (row != null) {
                    if (row.containsKey("owner")) {
                        problems.add(at(source, line) + "owner is the key here; leave it out of the fields");
                        continue;
                    }
                    row.put("owner", k.getValue());
                    add(row, source, line, out, problems);
                }
            }
        } else {
            problems.add(at(source, line(root)) + "expected a list of {owner, name, email, slack} or a mapping of "
                    + "owner to {name, email, slack}");
        }
        return new Roster(source, out, problems);
    }

    private static Map<String, String> fieldsOf(Node node, String source, List<String> problems, boolean withOwner) {
        int line = line(node);
        if (!(node instanceof MappingNode m)) {
            problems.add(at(source, line) + "expected " + (withOwner ? "{owner, name, email, slack}"
                    : "{name, email, slack}") + ", found " + describe(node));
            return null;
        }
        Map<String, String> row = new LinkedHashMap<>();
        boolean ok = true;
        for (NodeTuple t : m.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue().toLowerCase(Locale.ROOT) : "?";
            int l = line(t.getKeyNode());
            if (!COLUMNS.contains(key)) {
                problems.add(at(source, l) + "unknown field \"" + key + "\"; the fields are "
                        + String.join(", ", COLUMNS));
                ok = false;
            } else if (!(t.getValueNode() instanceof ScalarNode v)) {
                problems.add(at(source, l) + key + ": expected text, found " + describe(t.getValueNode()));
                ok = false;
            } else if (row.put(key, v.getValue().trim()) != null) {
                problems.add(at(source, l) + key + " appears twice");
                ok = false;
            }
        }
        return ok ? row : null;
    }

    private static String describe(Node n) {
        return n instanceof MappingNode ? "a mapping" : n instanceof SequenceNode ? "a list"
                : "\"" + ((ScalarNode) n).getValue() + "\"";
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    private static void add(Map<String, String> row, String source, int line, Map<String, Contact> out,
                            List<String> problems) {
        String owner = blankToNull(row.get("owner"));
        String name = blankToNull(row.get("name"));
        String email = blankToNull(row.get("email"));
        String slack = blankToNull(row.get("slack"));
        String rawAccount = row.get("account");
        String account = blankToNull(rawAccount);
        List<String> bad = new ArrayList<>();
        if (owner == null) {
            bad.add("owner is missing (the curfew:owner tag: an IAM user or role session name)");
        } else if (!OWNER.matcher(owner).matches()) {
            bad.add("owner \"" + owner + "\" is not an IAM user or role session name");
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            bad.add("email \"" + email + "\" is not an email address");
        }
        if (slack != null && !SLACK_MEMBER.matcher(slack).matches()) {
            bad.add("slack \"" + slack + "\" is not a Slack member id (U0123ABCD)");
        }
        if (account != null && !isAccountId(rawAccount)) {
            bad.add("account \"" + rawAccount + "\" is not an AWS account id (12 digits)");
        }
        if (bad.isEmpty() && email == null && slack == null) {
            bad.add("owner \"" + owner + "\" has neither an email nor a slack id: nobody could be told");
        }
        if (bad.isEmpty() && owner != null && out.containsKey(owner.toLowerCase(Locale.ROOT))) {
            bad.add("owner \"" + owner + "\" is listed twice; the first row counts");
        }
        if (bad.isEmpty() && account != null) {
            out.values().stream().filter(c -> account.equals(c.account())).findFirst().ifPresent(c -> bad.add(
                    "account " + account + " is claimed by both \"" + c.owner() + "\" and \"" + owner
                            + "\"; the first row counts"));
        }
        if (!bad.isEmpty()) {
            problems.add(at(source, line) + String.join("; ", bad));
            return;
        }
        out.put(owner.toLowerCase(Locale.ROOT), new Contact(owner, name == null ? owner : name, email, slack,
                account));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String at(String source, int line) {
        return "roster " + (source == null ? "" : source + " ") + "line " + line + ": ";
    }
}
