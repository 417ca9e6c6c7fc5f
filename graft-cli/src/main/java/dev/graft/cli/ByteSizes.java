package dev.graft.cli;

import dev.graft.GraftException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes on the command line: {@code 512}, {@code 64KB}, {@code 1MB} (powers of 1024). */
final class ByteSizes {

    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(b|kb|k|mb|m|gb|g)?");

    private ByteSizes() {}

    /**
     * @param text e.g. {@code 1MB}
     * @param option the option's name, for the error
     * @return bytes
     */
    static long parse(String text, String option) {
        Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new GraftException(option + " " + text + " is not a size; use e.g. 65536, 64KB or 1MB");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        return value << shift;
    }
}
