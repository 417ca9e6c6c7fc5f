package dev.graft.backbone.text;

import dev.graft.GraftException;

/**
 * How a sentence vector is made from the last hidden state.
 *
 * @param mode {@code mean} (attention-masked mean of the tokens) or {@code cls} (the first token)
 * @param normalize whether the vector is scaled to unit length
 */
public record Pooling(String mode, boolean normalize) {

    /** Mean pooling, L2-normalised: sentence-transformers' all-MiniLM-L6-v2. */
    public static final Pooling MEAN_L2 = new Pooling("mean", true);

    /**
     * Checks that the mode is {@code mean} or {@code cls}.
     *
     * @param mode {@code mean} (attention-masked mean of the tokens) or {@code cls} (the first token)
     * @param normalize whether the vector is scaled to unit length
     */
    public Pooling {
        if (!mode.equals("mean") && !mode.equals("cls")) {
            throw new GraftException("pooling '" + mode + "' is not supported; use mean or cls");
        }
    }

    /** {@return the part of the preprocessing key that pooling decides} */
    String key() {
        return "pooling=" + mode + ";normalize=" + (normalize ? "l2" : "none");
    }
}
