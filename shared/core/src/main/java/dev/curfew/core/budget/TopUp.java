package dev.curfew.core.budget;

import java.util.Locale;

/**
 * What the instructor added to one student's budget for one course week ({@code ./curfew budget --student NAME --add
 * 5}): dollars and instance hours apart. A top-up raises the week's limit and, in that week, the course's limit of
 * the same unit; when the week turns it no longer counts.
 */
public record TopUp(double dollars, double hours) {
    public static final TopUp NONE = new TopUp(0, 0);

    public TopUp {
        if (!(dollars >= 0) || !(hours >= 0) || Double.isInfinite(dollars) || Double.isInfinite(hours)) {
            throw new IllegalArgumentException("a top-up is 0 or more");
        }
    }

    /** The part of this top-up in {@code unit}. */
    public double of(Amount.Unit unit) {
        return unit == Amount.Unit.DOLLARS ? dollars : hours;
    }

    /** This top-up with {@code more} added. */
    public TopUp plus(Amount more) {
        return more.unit() == Amount.Unit.DOLLARS ? new TopUp(dollars + more.value(), hours)
                : new TopUp(dollars, hours + more.value());
    }

    public boolean isNone() {
        return dollars == 0 && hours == 0;
    }

    /** How it is stored: "dollars=5.00 hours=0.0". */
    public String wire() {
        return String.format(Locale.ROOT, "dollars=%.2f hours=%.2f", dollars, hours);
    }

    /** Reads {@link #wire()}; null when the text is not that form (a damaged record counts as no top-up). */
    public static TopUp parse(String s) {
        if (s == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "dollars=(\\d{1,9}(?:\\.\\d{1,4})?) hours=(\\d{1,9}(?:\\.\\d{1,4})?)").matcher(s.trim());
        return m.matches() ? new TopUp(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))) : null;
    }

    /** "+$5.00", "+3 h", "+$5.00 and +3 h", or "none". */
    public String show() {
        if (isNone()) {
            return "none";
        }
        String d = dollars > 0 ? "+" + Amount.dollars(dollars).show() : null;
        String h = hours > 0 ? "+" + Amount.hours(hours).show() : null;
        return d == null ? h : h == null ? d : d + " and " + h;
    }
}
