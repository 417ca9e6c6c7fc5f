package dev.graft.image;

import dev.graft.GraftException;
import dev.graft.data.TextDataset;
import dev.graft.data.TextExample;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decodes every image of a dataset once before training: unreadable images are skipped with a
 * report (path and reason), or refused under {@code strict}.
 */
public final class ImageCheck {

    private ImageCheck() {}

    /**
     * Keeps the examples whose images decode, skipping or refusing the others.
     *
     * @param data examples whose texts are image references
     * @param reader decodes references
     * @param strict refuse the dataset at the first unreadable image instead of skipping
     * @param warn hears one line per skipped image (up to 10) and a total
     * @return the readable examples
     * @throws GraftException under {@code strict} at the first unreadable image, or if none is readable
     */
    public static TextDataset readable(TextDataset data, ImageReader reader, boolean strict, Consumer<String> warn) {
        List<TextExample> kept = new ArrayList<>(data.size());
        int skipped = 0;
        for (TextExample e : data.examples()) {
            try {
                reader.read(e.text());
                kept.add(e);
            } catch (GraftException ex) {
                if (strict) {
                    throw new GraftException(ex.getMessage() + "; remove or replace it (or turn strict mode off to skip unreadable images)");
                }
                if (++skipped <= 10) {
                    warn.accept("skipped: " + ex.getMessage());
                }
            }
        }
        if (kept.isEmpty()) {
            throw new GraftException("none of the " + data.size() + " images could be read; check the paths and formats"
                    + " (PNG, JPEG, BMP, GIF)");
        }
        if (skipped > 0) {
            warn.accept(skipped + " unreadable image(s) skipped of " + data.size() + (skipped > 10 ? " (first 10 listed)" : "")
                    + "; strict mode refuses them instead");
        }
        return skipped == 0 ? data : TextDataset.of(kept);
    }
}
