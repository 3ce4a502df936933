package dev.curfew.core.policy;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as policies write them: {@code 500000}, {@code 500KB}, {@code 5MB}, {@code 1GB} (decimal units). */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|mb|gb)?");

    private ByteSizes() {
    }

    /** @return the number of bytes, or null if the text is not a size */
    public static Long parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        double factor = switch (unit) {
            case "kb" -> 1e3;
            case "mb" -> 1e6;
            case "gb" -> 1e9;
            default -> 1;
        };
        return Math.round(n * factor);
    }

    public static String format(double bytes) {
        if (bytes >= 1e9) return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
        if (bytes >= 1e6) return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        if (bytes >= 1e3) return String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
        return String.format(Locale.ROOT, "%.0f B", bytes);
    }
}
