package dev.graft.data;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;

/** Formatting for one-line error messages: values from files are escaped and shortened. */
final class Messages {

    static final int MAX_VALUE_CHARS = 40;
    static final int MAX_LIST_ITEMS = 12;

    private Messages() {}

    /** {@return the value in single quotes, control characters escaped, shortened to 40 chars} */
    static String quote(String value) {
        return "'" + escape(value) + "'";
    }

    /** {@return the value with control characters escaped and shortened to 40 chars} */
    static String escape(String value) {
        return escape(value, MAX_VALUE_CHARS);
    }

    /** {@return the value with control characters escaped and shortened to {@code max} chars} */
    static String escape(String value, int max) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        int chars = 0;
        for (int i = 0; i < value.length(); i++) {
            if (chars == max) {
                out.append('…');
                break;
            }
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
            chars++;
        }
        return out.toString();
    }

    /** {@return the names joined by ", ", escaped, at most 12 of them then "… (N more)"} */
    static String list(Collection<String> names) {
        StringBuilder out = new StringBuilder();
        Iterator<String> it = names.iterator();
        int shown = 0;
        while (it.hasNext() && shown < MAX_LIST_ITEMS) {
            String name = it.next();
            if (shown > 0) {
                out.append(", ");
            }
            out.append(name.isEmpty() || !name.strip().equals(name) || name.contains(",")
                    ? quote(name) : escape(name));
            shown++;
        }
        if (names.size() > shown) {
            out.append(", … (").append(names.size() - shown).append(" more)");
        }
        return out.toString();
    }

    /** {@return the count with thousands separators, e.g. 6,046} */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@return a fraction without float noise, e.g. 1.1 rather than 1.0999999999999999} */
    static String decimal(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** {@return "1 row" or "3 rows"} */
    static String plural(long n, String noun) {
        return count(n) + " " + noun + (n == 1 ? "" : "s");
    }
}
