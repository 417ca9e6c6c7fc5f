package dev.graft;

import java.nio.file.Path;

/**
 * One labelled example for fitting in memory: a text, or the path of an image.
 *
 * @param input the text, or the image file's path
 * @param label its class
 */
public record Example(String input, String label) {

    /**
     * Rejects nulls and blank labels.
     *
     * @param input the text, or the image file's path; not null
     * @param label its class; not null or blank
     * @throws GraftException if the input or label is missing, or the label is blank
     */
    public Example {
        if (input == null || label == null || label.isBlank()) {
            throw new GraftException("an example needs an input and a non-blank label, got (" + input + ", " + label + ")");
        }
    }

    /**
     * Makes a text example.
     *
     * @param text the text
     * @param label its class; not blank
     * @return a text example
     * @throws GraftException if the text or label is missing, or the label is blank
     */
    public static Example text(String text, String label) {
        return new Example(text, label);
    }

    /**
     * Makes an image example; the file is read only when fitting.
     *
     * @param image an image file (PNG, JPEG, BMP or GIF)
     * @param label its class; not blank
     * @return an image example
     * @throws GraftException if the label is missing or blank
     */
    public static Example image(Path image, String label) {
        return new Example(image.toString(), label);
    }
}
