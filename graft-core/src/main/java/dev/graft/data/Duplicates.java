package dev.graft.data;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Texts that occur more than once (after collapsing whitespace and case), and those among them
 * that carry different labels: a hint of label noise.
 *
 * @param repeatedTexts distinct texts that occur more than once
 * @param extraRows rows beyond the first occurrence of each text
 * @param conflictingTexts repeated texts with more than one label
 */
public record Duplicates(int repeatedTexts, int extraRows, int conflictingTexts) {

    /**
     * Counts texts that occur more than once, and those with conflicting labels.
     *
     * @param data the examples
     * @return the duplicate counts
     */
    public static Duplicates of(TextDataset data) {
        Map<String, Set<String>> labels = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (TextExample e : data.examples()) {
            String key = normalise(e.text());
            counts.merge(key, 1, Integer::sum);
            labels.computeIfAbsent(key, k -> new HashSet<>()).add(e.label());
        }
        int repeated = 0;
        int extra = 0;
        int conflicting = 0;
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            if (c.getValue() > 1) {
                repeated++;
                extra += c.getValue() - 1;
                conflicting += labels.get(c.getKey()).size() > 1 ? 1 : 0;
            }
        }
        return new Duplicates(repeated, extra, conflicting);
    }

    /**
     * Normalises a text for duplicate detection.
     *
     * @param text any text
     * @return the text as duplicates are compared: whitespace collapsed, lower case
     */
    public static String normalise(String text) {
        return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
