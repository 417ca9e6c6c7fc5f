package dev.graft.image;

/** Resolves an image reference (a file path, or {@code IDXFILE#INDEX}) to its decoded pixels. */
public interface ImageReader {

    /**
     * @param reference an image reference as it appears in a dataset
     * @return the decoded image
     * @throws dev.graft.GraftException if it cannot be read or decoded; the message names the reference and why
     */
    DecodedImage read(String reference);
}
