package dev.curfew.core.budget;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * A budget amount: US dollars ({@code 10.00}, {@code $10}) or instance hours ({@code 20h}).
 *
 * @param value more than zero for a limit; a top-up may be any non-negative amount
 */
public record Amount(double value, Unit unit) {
    /** What an amount counts. */
    public enum Unit {
        /** US dollars, against a student's spend in dollars. */
        DOLLARS,
        /** Instance hours, against the hours a student's instances ran. */
        HOURS
    }

    public Amount {
        Objects.requireNonNull(unit, "unit");
        if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
            throw new IllegalArgumentException("an amount is a number of 0 or more");
        }
    }

    public static Amount dollars(double v) {
        return new Amount(v, Unit.DOLLARS);
    }

    public static Amount hours(double v) {
        return new Amount(v, Unit.HOURS);
    }

    /**
     * Reads {@code 10}, {@code 10.00}, {@code $10.50} (dollars) or {@code 20h}, {@code 1.5h} (instance hours); null when
     * the text is none of these or is not above zero. At most 1,000,000 either way.
     */
    public static Amount parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim().toLowerCase(Locale.ROOT);
        Unit unit = Unit.DOLLARS;
        if (s.endsWith("h")) {
            unit = Unit.HOURS;
            s = s.substring(0, s.length() - 1).trim();
        } else if (s.startsWith("$")) {
            s = s.substring(1).trim();
        }
        if (!s.matches("\\d{1,7}(\\.\\d{1,4})?")) {
            return null;
        }
        BigDecimal v = new BigDecimal(s);
        if (v.signum() <= 0 || v.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
            return null;
        }
        return new Amount(v.doubleValue(), unit);
    }

    /** The same unit, this plus {@code more}. */
    public Amount plus(double more) {
        return new Amount(value + more, unit);
    }

    /** As the spend lines write a limit ({@link dev.curfew.core.spend.SpendText#limit}): "$10.00", "20 h", "12.5 h". */
    public String show() {
        return dev.curfew.core.spend.SpendText.limit(this);
    }

    /** A figure spent, as the spend lines write it: "$3.10", "12.5 h". */
    public static String show(double v, Unit unit) {
        return unit == Unit.DOLLARS ? dev.curfew.core.spend.SpendText.money(v)
                : dev.curfew.core.spend.SpendText.hours(v);
    }

    /** As the policy would write it: "10.00" or "20h". */
    public String wire() {
        return unit == Unit.DOLLARS ? String.format(Locale.ROOT, "%.2f", value)
                : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString() + "h";
    }
}
