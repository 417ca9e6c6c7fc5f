package dev.graft.data;

import dev.graft.GraftException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Maps class labels to indices {@code 0 … size()-1} and back. Immutable; equal when the label
 * lists are equal.
 */
public final class LabelEncoder {

    private final List<String> labels;
    private final Map<String, Integer> index;

    private LabelEncoder(List<String> labels) {
        this.labels = List.copyOf(labels);
        this.index = new HashMap<>();
        for (int i = 0; i < this.labels.size(); i++) {
            if (index.put(this.labels.get(i), i) != null) {
                throw new GraftException("label " + Messages.quote(this.labels.get(i))
                        + " appears twice in the label list; give each label once");
            }
        }
        if (this.labels.isEmpty()) {
            throw new GraftException("no labels to encode; the data has no examples");
        }
    }

    /**
     * Makes an encoder over the distinct labels, sorted.
     *
     * @param labels labels, possibly repeated (e.g. one per example)
     * @return an encoder over the distinct labels in natural string order
     * @throws GraftException if there are no labels
     */
    public static LabelEncoder fit(Collection<String> labels) {
        Objects.requireNonNull(labels, "labels");
        return new LabelEncoder(List.copyOf(new TreeSet<>(labels)));
    }

    /**
     * Makes an encoder over labels in a given order.
     *
     * @param labels the labels in index order, e.g. as saved with a model
     * @return an encoder keeping that order
     * @throws GraftException if a label repeats or the list is empty
     */
    public static LabelEncoder of(List<String> labels) {
        Objects.requireNonNull(labels, "labels");
        return new LabelEncoder(labels);
    }

    /**
     * Turns a label into its class index.
     *
     * @param label a known label
     * @return its index
     * @throws GraftException if the label is unknown; the message lists the known labels
     */
    public int encode(String label) {
        Integer i = index.get(label);
        if (i == null) {
            throw new GraftException("unknown label " + Messages.quote(label) + " (known labels: "
                    + Messages.list(labels) + "); use one of these, or train a model that includes it");
        }
        return i;
    }

    /**
     * Turns a class index into its label.
     *
     * @param index a class index
     * @return its label
     * @throws IndexOutOfBoundsException if {@code index} is outside {@code [0, size())}
     */
    public String decode(int index) {
        return labels.get(Objects.checkIndex(index, labels.size()));
    }

    /**
     * Turns every example's label into its class index.
     *
     * @param data examples whose labels are all known
     * @return the index of each example's label, in example order
     * @throws GraftException at the first unknown label
     */
    public int[] encodeAll(TextDataset data) {
        int[] out = new int[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode(data.examples().get(i).label());
        }
        return out;
    }

    /** {@return the labels in index order; unmodifiable} */
    public List<String> labels() {
        return labels;
    }

    /** {@return the number of classes} */
    public int size() {
        return labels.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelEncoder other && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    @Override
    public String toString() {
        return "LabelEncoder" + labels;
    }
}
