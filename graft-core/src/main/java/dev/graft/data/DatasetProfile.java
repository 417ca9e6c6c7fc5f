package dev.graft.data;

import dev.graft.GraftException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * What a text dataset looks like: size, classes, balance and text lengths in tokens.
 *
 * @param rows number of examples
 * @param classes number of distinct labels
 * @param perClass label → count, sorted by label; unmodifiable
 * @param imbalanceRatio largest class count / smallest class count (1 when balanced)
 * @param blankSkipped rows the loader skipped for blank text
 * @param tokenLengthPercentiles token counts at p50, p90, p99 and the maximum (nearest-rank
 *     percentiles); unmodifiable, 4 values
 * @param maxLength the model's maximum sequence length, in tokens
 * @param truncatedFraction share of texts longer than {@code maxLength} tokens, in [0, 1]
 */
public record DatasetProfile(int rows, int classes, SortedMap<String, Integer> perClass, double imbalanceRatio,
        int blankSkipped, List<Integer> tokenLengthPercentiles, int maxLength, double truncatedFraction) {

    /** Rows listed by {@link #toTable()} before it summarises the rest. */
    static final int MAX_TABLE_CLASSES = 30;

    /**
     * Copies the collections and checks that the numbers agree.
     *
     * @param rows number of examples
     * @param classes number of distinct labels
     * @param perClass label → count, sorted by label; unmodifiable
     * @param imbalanceRatio largest class count / smallest class count (1 when balanced)
     * @param blankSkipped rows the loader skipped for blank text
     * @param tokenLengthPercentiles token counts at p50, p90, p99 and the maximum (nearest-rank
     *     percentiles); unmodifiable, 4 values
     * @param maxLength the model's maximum sequence length, in tokens
     * @param truncatedFraction share of texts longer than {@code maxLength} tokens, in [0, 1]
     */
    public DatasetProfile {
        perClass = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(perClass, "perClass")));
        tokenLengthPercentiles = List.copyOf(Objects.requireNonNull(tokenLengthPercentiles, "tokenLengthPercentiles"));
        if (tokenLengthPercentiles.size() != 4) {
            throw new IllegalArgumentException("tokenLengthPercentiles needs p50, p90, p99, max; got "
                    + tokenLengthPercentiles);
        }
        if (classes != perClass.size()) {
            throw new IllegalArgumentException("classes " + classes + " but perClass has " + perClass.size());
        }
        int sum = perClass.values().stream().mapToInt(Integer::intValue).sum();
        if (rows != sum) {
            throw new IllegalArgumentException("rows " + rows + " but perClass counts sum to " + sum);
        }
        if (blankSkipped < 0 || maxLength < 1 || !(truncatedFraction >= 0 && truncatedFraction <= 1)) {
            throw new IllegalArgumentException("bad profile: blankSkipped " + blankSkipped + ", maxLength "
                    + maxLength + ", truncatedFraction " + truncatedFraction);
        }
    }

    /**
     * Profiles a dataset: class balance, blank rows and token lengths against the model's limit.
     *
     * @param data the examples; not empty
     * @param tokenCounter number of tokens in a text, as the model's tokenizer counts them
     * @param maxLength the model's maximum sequence length, in tokens
     * @return the profile
     * @throws GraftException if data is empty or maxLength is below 1
     */
    public static DatasetProfile of(TextDataset data, ToIntFunction<String> tokenCounter, int maxLength) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(tokenCounter, "tokenCounter");
        return ofCounts(data, texts -> texts.stream().mapToInt(tokenCounter).toArray(), maxLength);
    }

    /**
     * As {@link #of(TextDataset, ToIntFunction, int)}, with the texts counted together (a tokenizer
     * may count a batch on several cores).
     *
     * @param data the examples; not empty
     * @param tokenCounts numbers of tokens of a list of texts, in order
     * @param maxLength the model's maximum sequence length, in tokens
     * @return the profile
     * @throws GraftException if data is empty or maxLength is below 1
     */
    public static DatasetProfile ofCounts(TextDataset data, java.util.function.Function<List<String>, int[]> tokenCounts,
            int maxLength) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(tokenCounts, "tokenCounts");
        if (data.size() == 0) {
            throw new GraftException("no examples to profile; check the data file");
        }
        if (maxLength < 1) {
            throw new GraftException("maximum length " + maxLength + " tokens is not positive; use e.g. 128");
        }
        int[] lengths = tokenCounts.apply(data.examples().stream().map(TextExample::text).toList());
        int truncated = 0;
        for (int i = 0; i < lengths.length; i++) {
            int n = lengths[i];
            if (n < 0) {
                throw new IllegalArgumentException("token counter returned " + n + " for example " + i);
            }
            if (n > maxLength) {
                truncated++;
            }
        }
        Arrays.sort(lengths);
        List<Integer> percentiles = List.of(percentile(lengths, 50), percentile(lengths, 90),
                percentile(lengths, 99), lengths[lengths.length - 1]);
        SortedMap<String, Integer> counts = data.countsPerLabel();
        int max = Collections.max(counts.values());
        int min = Collections.min(counts.values());
        return new DatasetProfile(data.size(), counts.size(), counts, (double) max / min, data.blankSkipped(),
                percentiles, maxLength, (double) truncated / data.size());
    }

    /** Nearest rank: the smallest value with at least p% of values at or below it. */
    static int percentile(int[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** {@return median text length in tokens} */
    public int p50() {
        return tokenLengthPercentiles.get(0);
    }

    /** {@return 90th percentile text length in tokens} */
    public int p90() {
        return tokenLengthPercentiles.get(1);
    }

    /** {@return 99th percentile text length in tokens} */
    public int p99() {
        return tokenLengthPercentiles.get(2);
    }

    /** {@return longest text in tokens} */
    public int maxTokens() {
        return tokenLengthPercentiles.get(3);
    }

    /**
     * A small aligned plain-text table, lines separated by {@code \n}, e.g.
     *
     * <pre>
     * rows 6,046 · classes 2 · imbalance 2.06
     *   ham   4,150  67.4%
     *   spam  1,896  30.8%
     * tokens p50 312 · p90 1,204 · p99 4,980 · max 20,113
     * 61.2% truncated at 128 tokens
     * </pre>
     *
     * @return the table, without a trailing newline
     */
    public String toTable() {
        return table(true);
    }

    /** {@return {@link #toTable()} without the token lines, for inputs that are not text} */
    public String classTable() {
        return table(false);
    }

    private String table(boolean tokens) {
        StringBuilder out = new StringBuilder();
        out.append("rows ").append(Messages.count(rows)).append(" · classes ").append(Messages.count(classes))
                .append(" · imbalance ").append(String.format(Locale.ROOT, "%.2f", imbalanceRatio));
        if (blankSkipped > 0) {
            out.append(" · blank skipped ").append(Messages.count(blankSkipped));
        }
        List<Map.Entry<String, Integer>> shown = new ArrayList<>(perClass.entrySet());
        int hidden = 0;
        if (shown.size() > MAX_TABLE_CLASSES) {
            hidden = shown.size() - MAX_TABLE_CLASSES;
            shown = shown.subList(0, MAX_TABLE_CLASSES);
        }
        int labelWidth = 0;
        int countWidth = 0;
        for (Map.Entry<String, Integer> e : shown) {
            labelWidth = Math.max(labelWidth, Messages.escape(e.getKey()).length());
            countWidth = Math.max(countWidth, Messages.count(e.getValue()).length());
        }
        for (Map.Entry<String, Integer> e : shown) {
            String label = Messages.escape(e.getKey());
            out.append("\n  ").append(label).append(" ".repeat(labelWidth - label.length() + 2));
            String count = Messages.count(e.getValue());
            out.append(" ".repeat(countWidth - count.length())).append(count);
            out.append(String.format(Locale.ROOT, "  %5.1f%%", 100.0 * e.getValue() / rows));
        }
        if (hidden > 0) {
            out.append("\n  … ").append(Messages.plural(hidden, "more class").replace("classs", "classes"));
        }
        if (!tokens) {
            return out.toString();
        }
        out.append("\ntokens p50 ").append(Messages.count(p50())).append(" · p90 ").append(Messages.count(p90()))
                .append(" · p99 ").append(Messages.count(p99())).append(" · max ").append(Messages.count(maxTokens()));
        out.append(String.format(Locale.ROOT, "\n%.1f%% truncated at %s tokens", 100.0 * truncatedFraction,
                Messages.count(maxLength)));
        return out.toString();
    }
}
