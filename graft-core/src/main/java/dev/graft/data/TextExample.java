package dev.graft.data;

import java.util.Objects;

/**
 * One labelled text.
 *
 * @param text the text as read from the file (not trimmed); never null
 * @param label the class label; never null
 */
public record TextExample(String text, String label) {

    /**
     * Rejects nulls.
     *
     * @param text the text as read from the file (not trimmed); never null
     * @param label the class label; never null
     */
    public TextExample {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
    }
}
