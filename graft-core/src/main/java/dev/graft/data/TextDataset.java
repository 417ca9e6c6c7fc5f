package dev.graft.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable list of labelled texts.
 *
 * @param examples the examples in file order; copied, so later changes to the argument do not show
 * @param blankSkipped how many rows the loader skipped because their text was blank (0 for
 *     datasets not read from a file, and for subsets)
 */
public record TextDataset(List<TextExample> examples, int blankSkipped) {

    /**
     * Copies the list and rejects nulls and a negative count.
     *
     * @param examples the examples in file order; copied, so later changes to the argument do not show
     * @param blankSkipped how many rows the loader skipped because their text was blank (0 for
     *     datasets not read from a file, and for subsets)
     */
    public TextDataset {
        examples = List.copyOf(Objects.requireNonNull(examples, "examples"));
        if (blankSkipped < 0) {
            throw new IllegalArgumentException("blankSkipped must be >= 0, got " + blankSkipped);
        }
    }

    /**
     * Makes a dataset of examples not read from a file.
     *
     * @param examples the examples
     * @return a dataset with no skipped rows
     */
    public static TextDataset of(List<TextExample> examples) {
        return new TextDataset(examples, 0);
    }

    /** {@return a dataset with no examples (e.g. the test part when a separate test file is given)} */
    public static TextDataset empty() {
        return new TextDataset(List.of(), 0);
    }

    /** {@return the number of examples} */
    public int size() {
        return examples.size();
    }

    /** {@return the distinct labels in natural string order} */
    public List<String> labels() {
        TreeSet<String> labels = new TreeSet<>();
        for (TextExample e : examples) {
            labels.add(e.label());
        }
        return List.copyOf(labels);
    }

    /** {@return the texts in example order} */
    public List<String> texts() {
        List<String> texts = new ArrayList<>(examples.size());
        for (TextExample e : examples) {
            texts.add(e.text());
        }
        return Collections.unmodifiableList(texts);
    }

    /** {@return label → number of examples, sorted by label; unmodifiable} */
    public SortedMap<String, Integer> countsPerLabel() {
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (TextExample e : examples) {
            counts.merge(e.label(), 1, Integer::sum);
        }
        return Collections.unmodifiableSortedMap(counts);
    }

    /**
     * Selects examples by position.
     *
     * @param indices positions into {@link #examples()}, in the order wanted; repeats allowed
     * @return a dataset of those examples, with {@code blankSkipped} 0
     * @throws IndexOutOfBoundsException if an index is outside {@code [0, size())}
     */
    public TextDataset subset(int[] indices) {
        List<TextExample> picked = new ArrayList<>(indices.length);
        for (int i : indices) {
            Objects.checkIndex(i, examples.size());
            picked.add(examples.get(i));
        }
        return new TextDataset(picked, 0);
    }
}
