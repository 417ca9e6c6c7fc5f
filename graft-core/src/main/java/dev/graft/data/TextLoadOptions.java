package dev.graft.data;

import dev.graft.GraftException;
import dev.graft.Parameter;
import java.util.Objects;

/**
 * How {@link TextLoader} finds the text and the label in a file.
 *
 * @param textColumn the CSV/TSV header name or JSON field holding the text
 * @param labelColumn the CSV/TSV header name or JSON field holding the label
 * @param strict if true, a blank text is an error; if false, blank texts are skipped and counted in
 *     {@link TextDataset#blankSkipped()}
 */
public record TextLoadOptions(String textColumn, String labelColumn, boolean strict) {

    /**
     * Rejects null or blank column names.
     *
     * @param textColumn the CSV/TSV header name or JSON field holding the text
     * @param labelColumn the CSV/TSV header name or JSON field holding the label
     * @param strict if true, a blank text is an error; if false, blank texts are skipped and counted in
     *     {@link TextDataset#blankSkipped()}
     */
    public TextLoadOptions {
        Objects.requireNonNull(textColumn, "textColumn");
        Objects.requireNonNull(labelColumn, "labelColumn");
        if (textColumn.isBlank()) {
            throw new GraftException(Parameter.TEXT_COLUMN, null, "is blank; give the name of the column that holds the texts");
        }
        if (labelColumn.isBlank()) {
            throw new GraftException(Parameter.LABEL_COLUMN, null, "is blank; give the name of the column that holds the labels");
        }
    }

    /** {@return columns {@code text} and {@code label}, blank texts skipped} */
    public static TextLoadOptions defaults() {
        return new TextLoadOptions("text", "label", false);
    }

    /**
     * Returns a copy reading the text from another column.
     *
     * @param column the column or field holding the text
     * @return a copy with that text column
     */
    public TextLoadOptions withTextColumn(String column) {
        return new TextLoadOptions(column, labelColumn, strict);
    }

    /**
     * Returns a copy reading the label from another column.
     *
     * @param column the column or field holding the label
     * @return a copy with that label column
     */
    public TextLoadOptions withLabelColumn(String column) {
        return new TextLoadOptions(textColumn, column, strict);
    }

    /**
     * Returns a copy with other handling of blank texts.
     *
     * @param value true to refuse blank texts instead of skipping them
     * @return a copy with that strictness
     */
    public TextLoadOptions withStrict(boolean value) {
        return new TextLoadOptions(textColumn, labelColumn, value);
    }
}
