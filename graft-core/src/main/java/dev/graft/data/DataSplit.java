package dev.graft.data;

import java.util.Objects;

/**
 * Disjoint parts of one dataset.
 *
 * @param train examples to fit on
 * @param validation examples for early stopping and choices during training; may be empty
 * @param test held-out examples for the final score; empty when a separate test file is given
 */
public record DataSplit(TextDataset train, TextDataset validation, TextDataset test) {

    /**
     * Rejects nulls.
     *
     * @param train examples to fit on
     * @param validation examples for early stopping and choices during training; may be empty
     * @param test held-out examples for the final score; empty when a separate test file is given
     */
    public DataSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
    }
}
