package dev.curfew.core.policy;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as policies write them: {@code 90s}, {@code 30m}, {@code 2h}, {@code 1h30m}, {@code 14d}. */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+[dhms])+");
    private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

    private Durations() {
    }

    /** @return the duration, or null if the text is not one */
    public static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (!WHOLE.matcher(t).matches()) {
            return null;
        }
        Duration d = Duration.ZERO;
        Matcher m = PART.matcher(t);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return d;
    }

    /** The shortest policy spelling of a duration, e.g. {@code 1h30m}. */
    public static String format(Duration d) {
        if (d == null) {
            return "-";
        }
        long s = d.getSeconds();
        if (s == 0) {
            return "0m";
        }
        StringBuilder b = new StringBuilder();
        long days = s / 86400, hours = (s % 86400) / 3600, mins = (s % 3600) / 60, secs = s % 60;
        if (days > 0) b.append(days).append('d');
        if (hours > 0) b.append(hours).append('h');
        if (mins > 0) b.append(mins).append('m');
        if (secs > 0) b.append(secs).append('s');
        return b.toString();
    }

    /** A suggestion for a text that is not a duration: "2 hours" becomes "2h". */
    public static String suggest(String text) {
        Matcher m = Pattern.compile("^\\s*(\\d+)\\s*([a-zA-Z]+)\\s*$").matcher(text == null ? "" : text);
        if (m.matches()) {
            String unit = m.group(2).toLowerCase(java.util.Locale.ROOT);
            String u = unit.startsWith("d") ? "d" : unit.startsWith("h") ? "h"
                    : unit.startsWith("mi") || unit.equals("m") ? "m" : unit.startsWith("s") ? "s" : null;
            if (u != null) {
                return m.group(1) + u;
            }
        }
        return "2h";
    }
}
