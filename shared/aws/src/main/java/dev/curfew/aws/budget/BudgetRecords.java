package dev.curfew.aws.budget;

import dev.curfew.aws.SsmLease;
import dev.curfew.aws.SsmPrune;
import dev.curfew.core.budget.Amount;
import dev.curfew.core.budget.BudgetCheck;
import dev.curfew.core.budget.OverBudget;
import dev.curfew.core.budget.TopUp;
import dev.curfew.core.spend.Spend;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The budget's records, SSM String parameters in the home region under {@code /curfew/<stack>/budget/}, per course
 * week ({@code <week>} is its Monday, {@link dev.curfew.core.budget.CourseWeek#key}) and owner (lower case, as an
 * SSM name segment):
 * <ul>
 *   <li>{@code top-up/<week>/<owner>}: what the instructor added this week ({@code ./curfew budget --add});</li>
 *   <li>{@code told/<week>/<owner>/<50|80|100>}: the student was told of that threshold (created without overwrite,
 *       so a message goes once however often the sweep runs);</li>
 *   <li>{@code over/<week>/<owner>}: the spend that put the student over budget; the launcher reads it and refuses
 *       new launches while it is still over the budget as it is now.</li>
 * </ul>
 * Records of weeks before the current one are deleted by the curfew pass ({@link #prune}). Students may not write any
 * of them (template.yaml, NeverTouchTheBudgetRecords).
 */
public final class BudgetRecords {
    /** What the sweeper calls. */
    public static final List<String> SWEEPER_ACTIONS = List.of("ssm:DeleteParameter", "ssm:DeleteParameters",
            "ssm:GetParametersByPath", "ssm:PutParameter");
    /** What the launcher calls. */
    public static final List<String> LAUNCHER_ACTIONS = List.of("ssm:GetParameter");
    static final String TOP_UP = "top-up/";
    static final String TOLD = "told/";
    static final String OVER = "over/";

    private final SsmClient ssm;
    private final String prefix;

    /** @param ssm the home region's client of the home account */
    public BudgetRecords(SsmClient ssm, String stackName) {
        this.ssm = ssm;
        this.prefix = prefix(stackName);
    }

    /** Where a stack's budget records live. */
    public static String prefix(String stackName) {
        return stackName == null || stackName.isBlank() ? "/curfew/budget/" : "/curfew/" + stackName + "/budget/";
    }

    /**
     * The most characters an owner's segment of a record's name has: an SSM name holds at most 1,011 characters with
     * its ARN and path (the stack's name up to 128, the kind and week, a threshold: about 250 in all), so the segment
     * of a long owner name (a tag value is up to 256 characters, each non-ASCII one 5 in a segment) is cut and made
     * unique again. Names whose segment fits keep the name they always had.
     */
    static final int OWNER_SEGMENT = 600;
    /** How a record whose owner segment was shortened names its owner in its value. */
    static final String OWNER_IN_VALUE = " owner=";

    /**
     * An owner's segment of a record's name: {@link SsmLease#segment} of the lower-cased name; one longer than
     * {@value #OWNER_SEGMENT} characters is its first characters and {@code _h} with the SHA-256 of the whole name (32
     * hex digits), the same every time, and never another name's (a segment has '_' only before 4 upper-case hex
     * digits, so no short name ends like it; two long names differ in their hash). A record is found by such a name
     * as by any other; the kept weeks' records also name the owner in their value ({@link #ownerSuffix}), which their
     * listing reads, and so do the told, over and top-up records' (their listings key every owner by the whole name).
     */
    static String owner(String owner) {
        String whole = SsmLease.segment(BudgetCheck.key(owner));
        if (whole.length() <= OWNER_SEGMENT) {
            return whole;
        }
        int cut = OWNER_SEGMENT - 34;
        int escape = whole.lastIndexOf('_', cut - 1);
        if (escape >= 0 && escape + 5 > cut) {
            cut = escape; // not in the middle of a _XXXX
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(BudgetCheck.key(owner)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return whole.substring(0, cut) + "_h" + java.util.HexFormat.of().formatHex(hash, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** What a record's value adds to name its owner: nothing, or the name when its segment was shortened. */
    static String ownerSuffix(String owner) {
        return owner(owner).equals(SsmLease.segment(BudgetCheck.key(owner))) ? "" : OWNER_IN_VALUE
                + BudgetCheck.key(owner);
    }

    /** A record's value without the owner {@link #ownerSuffix} named in it (null stays null). */
    static String unsuffixed(String value) {
        int named = value == null ? -1 : value.indexOf(OWNER_IN_VALUE);
        return named < 0 ? value : value.substring(0, named);
    }

    /**
     * A listed record's owner: the one its value names ({@link #ownerSuffix}: its segment was shortened), else read
     * back from its name segment; so a listing keys every owner by the name the lookups use.
     */
    static String listedOwner(Parameter p, String segment) {
        int named = p.value() == null ? -1 : p.value().indexOf(OWNER_IN_VALUE);
        return named < 0 ? unsegment(segment) : p.value().substring(named + OWNER_IN_VALUE.length());
    }

    /** Reads an owner back from its name segment. */
    static String unsegment(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_' && i + 4 < s.length() && s.substring(i + 1, i + 5).matches("[0-9A-F]{4}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                i += 4;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    public String topUpName(String week, String owner) {
        return prefix + TOP_UP + week + "/" + owner(owner);
    }

    public String toldName(String week, String owner, int threshold) {
        return prefix + TOLD + week + "/" + owner(owner) + "/" + threshold;
    }

    public String overName(String week, String owner) {
        return prefix + OVER + week + "/" + owner(owner);
    }

    /** This week's top-ups, by owner (lower case). A record that cannot be read counts as none. */
    public Map<String, TopUp> topUps(String week) {
        Map<String, TopUp> out = new TreeMap<>();
        for (Parameter p : below(prefix + TOP_UP + week)) {
            TopUp t = TopUp.parse(unsuffixed(p.value()));
            if (t != null) {
                out.put(listedOwner(p, last(p.name())), t);
            }
        }
        return out;
    }

    private final Map<String, Object> listed = new java.util.HashMap<>();

    /**
     * This week's top-ups as {@link #topUps}, listed at most once by this object: a sweep's budget check, its messages
     * and its class page share one listing (GetParametersByPath, a request per 10 top-ups). A failure is remembered
     * and thrown again, so a pass never asks twice.
     */
    public synchronized Map<String, TopUp> topUpsOnce(String week) {
        Object o = listed.get(week);
        if (o == null) {
            try {
                o = topUps(week);
            } catch (RuntimeException e) {
                o = e;
            }
            listed.put(week, o);
        }
        if (o instanceof RuntimeException e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        Map<String, TopUp> m = (Map<String, TopUp>) o;
        return m;
    }

    /** One owner's top-up this week (none when there is no record). */
    public TopUp topUp(String week, String owner) {
        TopUp t = TopUp.parse(unsuffixed(read(topUpName(week, owner))));
        return t == null ? TopUp.NONE : t;
    }

    /** Adds {@code more} to the owner's top-up of the week; returns the new top-up. */
    public TopUp addTopUp(String week, String owner, Amount more) {
        TopUp now = topUp(week, owner).plus(more);
        ssm.putParameter(b -> b.name(topUpName(week, owner)).value(now.wire() + ownerSuffix(owner)).type(ParameterType.STRING)
                .overwrite(true).description("Curfew: a top-up of " + owner + "'s budget for the week of " + week));
        return now;
    }

    /** The {@link BudgetCheck#toldKey}s told this week. */
    public Set<String> told(String week) {
        Set<String> out = new HashSet<>();
        String base = prefix + TOLD + week + "/";
        for (Parameter p : below(prefix + TOLD + week)) {
            String[] parts = p.name().substring(base.length()).split("/");
            if (parts.length == 2) {
                out.add(BudgetCheck.key(listedOwner(p, parts[0])) + "/" + parts[1]);
            }
        }
        return out;
    }

    /** Records that the owner is told of the threshold: true only the first time (created without overwrite). */
    public boolean firstTold(String week, String owner, int threshold, String text) {
        try {
            ssm.putParameter(b -> b.name(toldName(week, owner, threshold)).value((text.isBlank() ? "-" : text) + ownerSuffix(owner))
                    .type(ParameterType.STRING).overwrite(false)
                    .description("Curfew told " + owner + " of " + threshold + " % of their budget"));
            return true;
        } catch (ParameterAlreadyExistsException e) {
            return false;
        }
    }

    /** The owners (lower case) recorded over budget this week. */
    public Set<String> over(String week) {
        Set<String> out = new HashSet<>();
        for (Parameter p : below(prefix + OVER + week)) {
            out.add(BudgetCheck.key(listedOwner(p, last(p.name()))));
        }
        return out;
    }

    /**
     * Every owner (lower case) recorded over budget this week, with the spend that put them over (one listing;
     * a record that cannot be read is left out).
     */
    public Map<String, Spend> overRecords(String week) {
        Map<String, Spend> out = new TreeMap<>();
        for (Parameter p : below(prefix + OVER + week)) {
            String owner = BudgetCheck.key(listedOwner(p, last(p.name())));
            Spend s = OverBudget.parse(owner, unsuffixed(p.value()));
            if (s != null) {
                out.put(owner, s);
            }
        }
        return out;
    }

    /** The spend that put the owner over budget this week, or null when they are not recorded over it. */
    public Spend overRecord(String week, String owner) {
        return OverBudget.parse(owner, unsuffixed(read(overName(week, owner))));
    }

    public void markOver(String week, String owner, Spend spend) {
        ssm.putParameter(b -> b.name(overName(week, owner)).value(OverBudget.wire(spend) + ownerSuffix(owner)).type(ParameterType.STRING)
                .overwrite(true).description("Curfew: " + owner + " is over budget; the launcher refuses new launches"));
    }

    /** Removes the owner's over-budget record of the week (already gone counts as done). */
    public void clearOver(String week, String owner) {
        try {
            ssm.deleteParameter(b -> b.name(overName(week, owner)));
        } catch (ParameterNotFoundException e) {
            // done
        }
    }

    /**
     * Deletes the records of every week before {@code week} (told, over, top-up). A failure is named in the result and
     * never thrown for AWS's sake.
     */
    public SsmPrune.Pruned prune(String week) {
        return SsmPrune.prune(ssm, List.of(prefix + TOLD, prefix + OVER, prefix + TOP_UP), p -> {
            String[] parts = p.name().substring(prefix.length()).split("/");
            return parts.length > 1 && parts[1].compareTo(week) < 0;
        }, "budget records", "of weeks before this one");
    }

    private List<Parameter> below(String path) {
        return dev.curfew.aws.SsmPaths.below(ssm, path);
    }

    private String read(String name) {
        try {
            return ssm.getParameter(b -> b.name(name)).parameter().value();
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }

    private static String last(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }
}
