package dev.graft.data;

import dev.graft.GraftException;
import java.util.ArrayList;
import java.util.List;

/** Turns (line, text, label) rows into a {@link TextDataset}, applying the blank-text policy. */
final class RowCollector {

    private final String source;
    private final String textColumn;
    private final String labelColumn;
    private final String kind;
    private final boolean strict;
    private final List<TextExample> examples = new ArrayList<>();
    private int blankSkipped;

    /**
     * @param source the file, for messages
     * @param options column names and strictness
     * @param kind "column" or "field", for messages
     */
    RowCollector(String source, TextLoadOptions options, String kind) {
        this.source = source;
        this.textColumn = options.textColumn();
        this.labelColumn = options.labelColumn();
        this.kind = kind;
        this.strict = options.strict();
    }

    /**
     * @param line the 1-based line where the row starts
     * @param text the text, null when absent (JSON null); blank texts are skipped or refused
     * @param label the label, not null; stripped; blank labels are refused
     */
    void add(long line, String text, String label) {
        if (text == null || text.isBlank()) {
            if (strict) {
                throw new GraftException(at(line) + "text in " + kind + " " + Messages.quote(textColumn)
                        + " is " + (text == null ? "null" : "blank")
                        + " (strict mode); remove the row, or turn strict mode off to skip blank texts");
            }
            blankSkipped++;
            return;
        }
        String stripped = label.strip();
        if (stripped.isEmpty()) {
            throw new GraftException(at(line) + "label in " + kind + " " + Messages.quote(labelColumn)
                    + " is blank; give the row a label or remove it");
        }
        examples.add(new TextExample(text, stripped));
    }

    /** {@return "file line N: "}, the prefix of a message about that line */
    String at(long line) {
        return place(line) + ": ";
    }

    /** {@return "file line N"} */
    String place(long line) {
        return source + " line " + line;
    }

    /**
     * @param noRows what to say when the file had no data rows at all
     * @return the dataset; fails if no row was usable
     */
    TextDataset finish(String noRows) {
        if (examples.isEmpty()) {
            if (blankSkipped > 0) {
                String which = blankSkipped == 1 ? "the only text" : "all " + Messages.count(blankSkipped) + " texts";
                throw new GraftException(source + ": no usable rows — " + which + " in " + kind + " "
                        + Messages.quote(textColumn) + (blankSkipped == 1 ? " is" : " are")
                        + " blank; check that it is the text " + kind);
            }
            throw new GraftException(source + ": " + noRows);
        }
        return new TextDataset(examples, blankSkipped);
    }
}
