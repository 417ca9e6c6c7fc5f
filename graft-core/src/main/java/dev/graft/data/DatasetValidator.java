package dev.graft.data;

import dev.graft.GraftException;
import dev.graft.Parameter;
import java.util.Map;
import java.util.SortedMap;

/** Refuses datasets no classifier can learn from, with a message that points at the likely cause. */
public final class DatasetValidator {

    /** A class needs about this many rows on average, else the label column is probably wrong. */
    static final int MIN_ROWS_PER_CLASS = 5;

    private DatasetValidator() {}

    /**
     * Same as {@link #check(TextDataset, String)} without naming the label column.
     *
     * @param data the loaded examples
     * @throws GraftException if the data cannot train a classifier
     */
    public static void check(TextDataset data) {
        check(data, null);
    }

    /**
     * Checks that there are at least two classes and at least 5 rows per
     * class on average.
     *
     * @param data the loaded examples
     * @param labelColumn the column the labels came from, named in messages; may be null
     * @throws GraftException if the data cannot train a classifier
     */
    public static void check(TextDataset data, String labelColumn) {
        String column = labelColumn == null ? "the label column" : "column " + Messages.quote(labelColumn);
        int rows = data.size();
        if (rows == 0) {
            throw new GraftException("no examples; check the data file and " + column);
        }
        SortedMap<String, Integer> counts = data.countsPerLabel();
        int classes = counts.size();
        if (classes < 2) {
            throw new GraftException(Parameter.LABEL_COLUMN, labelColumn == null ? null : Messages.escape(labelColumn),
                    "holds only one class " + Messages.quote(counts.firstKey())
                    + "; a classifier needs at least two — add examples of another class or choose another label column");
        }
        if ((long) classes * MIN_ROWS_PER_CLASS > rows) {
            long singletons = counts.values().stream().filter(c -> c == 1).count();
            throw new GraftException(Parameter.LABEL_COLUMN, labelColumn == null ? null : Messages.escape(labelColumn),
                    "gives " + Messages.count(classes) + " classes for " + Messages.plural(rows, "row")
                    + " (" + Messages.count(singletons) + " with a single row; a classifier needs about "
                    + MIN_ROWS_PER_CLASS + " rows per class) — is it really the label? It may be an id or text column;"
                    + " choose another label column" + example(counts));
        }
    }

    private static String example(SortedMap<String, Integer> counts) {
        StringBuilder out = new StringBuilder(" (labels: ");
        int shown = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (shown == 3) {
                out.append(", …");
                break;
            }
            out.append(shown == 0 ? "" : ", ").append(Messages.quote(e.getKey()));
            shown++;
        }
        return out.append(")").toString();
    }
}
