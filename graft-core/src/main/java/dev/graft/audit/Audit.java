package dev.graft.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.GraftException;
import dev.graft.data.Duplicates;
import dev.graft.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * What {@link Auditor} found.
 *
 * @param data the audited file
 * @param texts the examples' texts, in file order (blank rows skipped)
 * @param givenLabels the examples' labels
 * @param labels the label set, in class-index order
 * @param folds folds of the out-of-fold probe
 * @param suspects suspect labels, most suspect first, and the per-class figures
 * @param exact exact duplicates (after collapsing whitespace and case)
 * @param nearPairs pairs of different texts whose frozen features have cosine ≥ {@code nearThreshold}
 * @param nearConflicting those pairs with different labels
 * @param nearSearched examples searched for near duplicates (all, up to {@link Auditor#NEAR_DUPLICATE_LIMIT})
 * @param nearThreshold cosine threshold of near duplicates
 * @param overlap test examples also in the data, or null without a test file
 * @param outliers examples far from every class centroid, farthest first
 * @param inputs blank, near-empty and truncated inputs
 * @param fix the probe with and without the suspects
 * @param seconds time the audit took
 */
public record Audit(Path data, List<String> texts, List<String> givenLabels, List<String> labels, int folds,
        SuspectLabels.Result suspects, Duplicates exact, int nearPairs, int nearConflicting, int nearSearched,
        double nearThreshold, Overlap overlap, List<Outlier> outliers, Inputs inputs, Fix fix, double seconds) {

    /** Test rows found in the training data, exactly (after normalising) or as near duplicates. */
    public record Overlap(int testRows, int exact, int near) {}

    /** An example whose best cosine to a class centroid is below {@code cut}. */
    public record Outlier(int index, double cosine, double cut) {}

    /**
     * Problems with the inputs themselves: blank, near-empty and truncated texts.
     *
     * @param blankSkipped rows skipped for blank text
     * @param nearEmpty texts of at most {@link Auditor#NEAR_EMPTY_TOKENS} tokens
     * @param truncated texts longer than the maximum length
     * @param medianTokensLost median tokens cut from a truncated text
     * @param maxTokensLost most tokens cut from one text
     * @param totalTokensLost tokens cut in all
     */
    public record Inputs(int blankSkipped, int nearEmpty, int truncated, int medianTokensLost, int maxTokensLost,
            long totalTokensLost) {}

    /**
     * What removing the suspects did to a probe's validation score.
     *
     * @param removed suspects removed from the probe's training part
     * @param validationRows rows of the validation part (a stratified fifth of the data)
     * @param validationBefore validation macro-F1 of the probe trained with the suspects
     * @param validationAfter validation macro-F1 without them
     * @param testBefore test macro-F1 with the suspects, NaN without a test file
     * @param testAfter test macro-F1 without them, NaN without a test file
     */
    public record Fix(int removed, int validationRows, double validationBefore, double validationAfter, double testBefore,
            double testAfter) {}

    /**
     * Formats the audit for a terminal.
     *
     * @param top how many suspects and outliers to list
     * @return the audit for a terminal, without a trailing newline
     */
    public String toText(int top) {
        StringBuilder out = new StringBuilder();
        List<SuspectLabels.Suspect> s = suspects.suspects();
        out.append(String.format(Locale.ROOT, "audit of %s: %,d examples, %d classes (%d-fold linear probe on frozen features, %.0f s)%n%n",
                data.getFileName(), texts.size(), labels.size(), folds, seconds));
        out.append(String.format(Locale.ROOT, "suspect labels: %,d (%.1f %%); estimated label noise by class: %s%n", s.size(),
                100.0 * s.size() / texts.size(), noiseLine()));
        if (!s.isEmpty()) {
            out.append(String.format(Locale.ROOT, "  %4s %7s  %-12s %-12s %10s  %s%n", "#", "example", "given", "suggested",
                    "confidence", "text"));
            for (int i = 0; i < Math.min(top, s.size()); i++) {
                SuspectLabels.Suspect x = s.get(i);
                out.append(String.format(Locale.ROOT, "  %4d %7d  %-12s %-12s %10.3f  %s%n", i + 1, x.index() + 1,
                        clip(labels.get(x.given()), 12), clip(labels.get(x.suggested()), 12), x.suggestedProbability(),
                        excerpt(texts.get(x.index()), 70)));
            }
        }
        out.append(String.format(Locale.ROOT, "%nduplicates: %,d texts occur more than once (%,d extra rows), %,d with conflicting labels%n",
                exact.repeatedTexts(), exact.extraRows(), exact.conflictingTexts()));
        out.append(String.format(Locale.ROOT, "near duplicates (cosine ≥ %.2f of frozen features, different texts): %,d pairs, %,d with conflicting labels%s%n",
                nearThreshold, nearPairs, nearConflicting,
                nearSearched < texts.size() ? String.format(Locale.ROOT, " (among a sample of %,d)", nearSearched) : ""));
        if (overlap != null) {
            out.append(String.format(Locale.ROOT, "train/test overlap: %,d of %,d test examples are in the training data, %,d more as near duplicates%n",
                    overlap.exact(), overlap.testRows(), overlap.near()));
        }
        out.append(String.format(Locale.ROOT, "outliers (far from every class centroid): %,d%n", outliers.size()));
        for (int i = 0; i < Math.min(Math.min(top, 5), outliers.size()); i++) {
            Outlier o = outliers.get(i);
            out.append(String.format(Locale.ROOT, "  example %d (%s, cosine %.3f): %s%n", o.index() + 1,
                    givenLabels.get(o.index()), o.cosine(), excerpt(texts.get(o.index()), 70)));
        }
        out.append(String.format(Locale.ROOT, "inputs: %,d blank rows skipped, %,d near-empty (≤ %d tokens), %,d truncated (median %,d tokens lost, max %,d)%n",
                inputs.blankSkipped(), inputs.nearEmpty(), Auditor.NEAR_EMPTY_TOKENS, inputs.truncated(),
                inputs.medianTokensLost(), inputs.maxTokensLost()));
        out.append(String.format(Locale.ROOT, "%nremoving the %,d suspects from the probe's training part: validation macro-F1 %.4f → %.4f (%+.4f, %,d examples)",
                fix.removed(), fix.validationBefore(), fix.validationAfter(), fix.validationAfter() - fix.validationBefore(),
                fix.validationRows()));
        if (!Double.isNaN(fix.testBefore())) {
            out.append(String.format(Locale.ROOT, "; test macro-F1 %.4f → %.4f (%+.4f)", fix.testBefore(), fix.testAfter(),
                    fix.testAfter() - fix.testBefore()));
        }
        return out.toString();
    }

    private String noiseLine() {
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < labels.size(); k++) {
            parts.add(String.format(Locale.ROOT, "%s %.1f %%", labels.get(k), 100 * suspects.noiseRate()[k]));
        }
        return String.join(", ", parts);
    }

    /**
     * Writes every suspect: CSV, or JSON lines when the name ends in {@code .jsonl}.
     *
     * @param file where
     */
    public void writeSuspects(Path file) {
        boolean jsonl = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jsonl");
        try {
            AtomicFiles.write(file, stream -> {
                Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
                if (jsonl) {
                    ObjectMapper json = new ObjectMapper();
                    for (Map<String, Object> row : suspectRows()) {
                        w.write(json.writeValueAsString(row));
                        w.write('\n');
                    }
                } else {
                    CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder()
                            .setHeader("example", "given", "suggested", "given_probability", "suggested_probability", "text")
                            .get());
                    for (Map<String, Object> row : suspectRows()) {
                        csv.printRecord(row.values());
                    }
                    csv.flush();
                }
                w.flush();
            });
        } catch (IOException e) {
            throw new GraftException("cannot write " + file + ": " + e.getMessage() + "; check the path and permissions", e);
        }
    }

    private List<Map<String, Object>> suspectRows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SuspectLabels.Suspect s : suspects.suspects()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("example", s.index() + 1);
            row.put("given", labels.get(s.given()));
            row.put("suggested", labels.get(s.suggested()));
            row.put("given_probability", round(s.givenProbability()));
            row.put("suggested_probability", round(s.suggestedProbability()));
            row.put("text", texts.get(s.index()));
            rows.add(row);
        }
        return rows;
    }

    /** {@return the findings as plain maps and lists (suspects and outliers without their texts), for JSON} */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", data.getFileName().toString());
        out.put("examples", texts.size());
        out.put("labels", labels);
        out.put("folds", folds);
        Map<String, Object> noise = new LinkedHashMap<>();
        Map<String, Object> thresholds = new LinkedHashMap<>();
        for (int k = 0; k < labels.size(); k++) {
            noise.put(labels.get(k), round(suspects.noiseRate()[k]));
            thresholds.put(labels.get(k), round(suspects.thresholds()[k]));
        }
        out.put("suspect_count", suspects.suspects().size());
        out.put("estimated_noise_rate", noise);
        out.put("class_thresholds", thresholds);
        List<Map<String, Object>> ranked = new ArrayList<>();
        for (SuspectLabels.Suspect s : suspects.suspects()) {
            ranked.add(Map.of("example", s.index() + 1, "given", labels.get(s.given()), "suggested",
                    labels.get(s.suggested()), "given_probability", round(s.givenProbability())));
        }
        out.put("suspects", ranked);
        out.put("duplicates", Map.of("repeated_texts", exact.repeatedTexts(), "extra_rows", exact.extraRows(),
                "conflicting_texts", exact.conflictingTexts(), "near_pairs", nearPairs, "near_conflicting", nearConflicting,
                "near_threshold", nearThreshold, "near_searched", nearSearched));
        if (overlap != null) {
            out.put("overlap", Map.of("test_rows", overlap.testRows(), "exact", overlap.exact(), "near", overlap.near()));
        }
        List<Map<String, Object>> far = new ArrayList<>();
        for (Outlier o : outliers) {
            far.add(Map.of("example", o.index() + 1, "cosine", round(o.cosine())));
        }
        out.put("outliers", far);
        out.put("inputs", Map.of("blank_skipped", inputs.blankSkipped(), "near_empty", inputs.nearEmpty(), "truncated",
                inputs.truncated(), "median_tokens_lost", inputs.medianTokensLost(), "max_tokens_lost", inputs.maxTokensLost(),
                "total_tokens_lost", inputs.totalTokensLost()));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("removed", fix.removed());
        f.put("validation_rows", fix.validationRows());
        f.put("validation_macro_f1_before", round(fix.validationBefore()));
        f.put("validation_macro_f1_after", round(fix.validationAfter()));
        if (!Double.isNaN(fix.testBefore())) {
            f.put("test_macro_f1_before", round(fix.testBefore()));
            f.put("test_macro_f1_after", round(fix.testAfter()));
        }
        out.put("fix", f);
        out.put("seconds", Math.round(seconds * 10) / 10.0);
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    static String excerpt(String text, int width) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= width ? flat : flat.substring(0, width - 1) + "…";
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
