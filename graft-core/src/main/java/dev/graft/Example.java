package dev.graft;

import java.nio.file.Path;

/**
 * One labelled example for fitting in memory: a text, or the path of an image.
 *
 * @param input the text, or the image file's path
 * @param label its class
 */
public record Example(String input, String label) {

    /** Rejects nulls and blank labels. */
    public Example {
        if (input == null || label == null || label.isBlank()) {
            throw new GraftException("an example needs an input and a non-blank label, got (" + input + ", " + label + ")");
        }
    }

    /**
     * @param text the text
     * @param label its class
     * @return a text example
     */
    public static Example text(String text, String label) {
        return new Example(text, label);
    }

    /**
     * @param image an image file (PNG, JPEG, BMP or GIF)
     * @param label its class
     * @return an image example
     */
    public static Example image(Path image, String label) {
        return new Example(image.toString(), label);
    }
}
