package dev.graft.advise;

import java.util.Map;

/**
 * One measured hint of how close the data is to the backbone's domain, and how it reads.
 *
 * @param id stable name, for machines
 * @param label what was measured, for people
 * @param shown the measurement as printed
 * @param verdict what it says about the domain
 * @param meaning one sentence on why
 * @param values the numbers behind {@code shown}, for JSON
 */
public record Signal(String id, String label, String shown, Verdict verdict, String meaning, Map<String, Object> values) {

    /** What a signal says about the data's distance from the backbone's domain. */
    public enum Verdict {
        /** The data reads like the backbone's pretraining domain. */
        SIMILAR,
        /** The data reads unlike the backbone's pretraining domain. */
        DIFFERENT,
        /** The measurement says nothing either way. */
        NEUTRAL;

        /** {@return lower-case name} */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Copies the values.
     *
     * @param id stable name, for machines
     * @param label what was measured, for people
     * @param shown the measurement as printed
     * @param verdict what it says about the domain
     * @param meaning one sentence on why
     * @param values the numbers behind {@code shown}, for JSON
     */
    public Signal {
        values = Map.copyOf(values);
    }
}
