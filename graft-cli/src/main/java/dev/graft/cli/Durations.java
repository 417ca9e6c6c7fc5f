package dev.graft.cli;

import dev.graft.GraftException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations on the command line: {@code 2ms}, {@code 90s}, {@code 20m}, {@code 1.5h}, or plain seconds. */
final class Durations {

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|[smh]?)");

    private Durations() {}

    /**
     * @param text e.g. {@code 20m}
     * @param option the option's name, for the error
     * @return seconds, more than zero
     */
    static double seconds(String text, String option) {
        double seconds = parse(text, option);
        if (seconds <= 0) {
            throw new GraftException(option + " " + text + " must be longer than zero; use e.g. 90s, 20m or 2h");
        }
        return seconds;
    }

    /**
     * @param text e.g. {@code 2ms}; zero is allowed
     * @param option the option's name, for the error
     * @return microseconds
     */
    static long micros(String text, String option) {
        return Math.round(parse(text, option) * 1e6);
    }

    /**
     * @param seconds a duration
     * @return it as {@code H:MM:SS}
     */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static double parse(String text, String option) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new GraftException(option + " " + text + " is not a duration; use e.g. 2ms, 90s, 20m or 2h");
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> value / 1000;
            case "m" -> value * 60;
            case "h" -> value * 3600;
            default -> value;
        };
    }
}
