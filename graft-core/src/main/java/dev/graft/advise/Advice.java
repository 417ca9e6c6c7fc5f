package dev.graft.advise;

import dev.graft.data.DatasetProfile;
import dev.graft.data.Duplicates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the advisor measured and what it recommends.
 *
 * @param profile the whole file's profile
 * @param duplicates repeated texts, and repeated texts with conflicting labels
 * @param trainRows examples in the training split
 * @param validationRows examples in the validation split
 * @param smallestClass the label with the fewest training examples
 * @param smallestClassCount its training examples
 * @param large whether the data counts as large ({@link Advisor#LARGE_PER_CLASS})
 * @param domain similar to or different from the backbone's domain
 * @param signals every measurement and how it reads
 * @param recommendation the strategy to use
 * @param runnerUp the next best
 * @param reasons why, one line each
 * @param estimates time and memory per strategy (empty when not measured)
 * @param availableBytes memory available when the advisor started, or -1
 * @param seconds time the advice took
 */
public record Advice(DatasetProfile profile, Duplicates duplicates, int trainRows, int validationRows,
        String smallestClass, int smallestClassCount, boolean large, Signal.Verdict domain, List<Signal> signals,
        String recommendation, String runnerUp, List<String> reasons, List<StrategyEstimate> estimates,
        long availableBytes, double seconds) {

    /**
     * Copies the lists.
     *
     * @param profile the whole file's profile
     * @param duplicates repeated texts, and repeated texts with conflicting labels
     * @param trainRows examples in the training split
     * @param validationRows examples in the validation split
     * @param smallestClass the label with the fewest training examples
     * @param smallestClassCount its training examples
     * @param large whether the data counts as large ({@link Advisor#LARGE_PER_CLASS})
     * @param domain similar to or different from the backbone's domain
     * @param signals every measurement and how it reads
     * @param recommendation the strategy to use
     * @param runnerUp the next best
     * @param reasons why, one line each
     * @param estimates time and memory per strategy (empty when not measured)
     * @param availableBytes memory available when the advisor started, or -1
     * @param seconds time the advice took
     */
    public Advice {
        signals = List.copyOf(signals);
        reasons = List.copyOf(reasons);
        estimates = List.copyOf(estimates);
    }

    /** {@return the advice for a terminal, lines separated by {@code \n}, no trailing newline} */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "data: %,d training and %,d validation examples; %s%n", trainRows,
                validationRows, duplicateLine()));
        out.append(String.format(Locale.ROOT, "size: %s (the smallest class, '%s', has %,d training examples; large from %d)%n",
                large ? "large" : "small", smallestClass, smallestClassCount, Advisor.LARGE_PER_CLASS));
        out.append("\nsignals\n");
        for (Signal s : signals) {
            out.append(String.format(Locale.ROOT, "  %s: %s%n    → %s: %s%n", s.label(), s.shown(), s.verdict().word(),
                    s.meaning()));
        }
        out.append(String.format(Locale.ROOT, "%nrecommended: %s   (runner-up: %s)%n", recommendation, runnerUp));
        for (String r : reasons) {
            out.append("  · ").append(r).append('\n');
        }
        if (!estimates.isEmpty()) {
            out.append("\nestimates on this machine (features cached; at most the default epoch budget, early stopping can end sooner)\n");
            out.append(String.format(Locale.ROOT, "  %-20s %12s %14s %10s %12s%n", "strategy", "trainable", "s/example", "time",
                    "peak memory"));
            for (StrategyEstimate e : estimates) {
                out.append(String.format(Locale.ROOT, "  %-20s %,12d %14s %10s %12s%n", e.strategy(), e.trainableParameters(),
                        e.secondsPerExample() > 0 ? String.format(Locale.ROOT, "%.3f", e.secondsPerExample()) : "–",
                        duration(e.estimatedSeconds()), e.peakBytes() > 0 ? bytes(e.peakBytes()) : "?"));
            }
        }
        out.append(String.format(Locale.ROOT, "%nadvice took %s", duration(seconds)));
        return out.toString();
    }

    private String duplicateLine() {
        if (duplicates.repeatedTexts() == 0) {
            return "no repeated inputs";
        }
        return String.format(Locale.ROOT, "%,d inputs occur more than once (%,d extra rows), %,d of them with conflicting labels",
                duplicates.repeatedTexts(), duplicates.extraRows(), duplicates.conflictingTexts());
    }

    /** {@return the advice as plain maps and lists, for JSON} */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("rows", profile.rows());
        data.put("classes", profile.classes());
        data.put("per_class", profile.perClass());
        data.put("imbalance_ratio", profile.imbalanceRatio());
        data.put("token_length_p50_p90_p99_max", profile.tokenLengthPercentiles());
        data.put("truncated_fraction", profile.truncatedFraction());
        data.put("train_rows", trainRows);
        data.put("validation_rows", validationRows);
        data.put("repeated_texts", duplicates.repeatedTexts());
        data.put("conflicting_texts", duplicates.conflictingTexts());
        data.put("smallest_class", smallestClass);
        data.put("smallest_class_train_examples", smallestClassCount);
        out.put("data", data);
        out.put("size", large ? "large" : "small");
        out.put("domain", domain.word());
        List<Map<String, Object>> s = new ArrayList<>();
        for (Signal signal : signals) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", signal.id());
            m.put("measured", signal.label());
            m.put("verdict", signal.verdict().word());
            m.put("meaning", signal.meaning());
            m.put("values", signal.values());
            s.add(m);
        }
        out.put("signals", s);
        out.put("recommendation", Map.of("strategy", recommendation, "runner_up", runnerUp, "reasons", reasons));
        List<Map<String, Object>> e = new ArrayList<>();
        for (StrategyEstimate estimate : estimates) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("strategy", estimate.strategy());
            m.put("trainable_parameters", estimate.trainableParameters());
            m.put("seconds_per_example", estimate.secondsPerExample());
            m.put("estimated_seconds", Math.round(estimate.estimatedSeconds()));
            m.put("peak_bytes", estimate.peakBytes());
            e.add(m);
        }
        out.put("estimates", e);
        out.put("available_bytes", availableBytes);
        out.put("seconds", Math.round(seconds * 10) / 10.0);
        return out;
    }

    static String bytes(long n) {
        return n >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", n / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MB", n / (double) (1L << 20));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60) : s + " s";
    }
}
