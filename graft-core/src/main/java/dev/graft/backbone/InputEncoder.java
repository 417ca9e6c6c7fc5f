package dev.graft.backbone;

import java.util.List;

/**
 * Turns raw inputs into batches a backbone reads: a tokenizer for text, an image pipeline for
 * image references.
 */
public interface InputEncoder {

    /**
     * @param input one raw input
     * @return its cost in the backbone's units (tokens after truncation; 1 for an image), used to
     *     bucket batches of similar cost
     */
    int length(String input);

    /**
     * @param inputs one batch, for evaluation (no augmentation)
     * @return the encoded batch
     */
    InputBatch encode(List<String> inputs);

    /**
     * @param inputs one batch of training inputs
     * @param seed seeds the batch's random augmentation, if the encoder augments
     * @return the encoded batch; by default the same as {@link #encode}
     */
    default InputBatch encodeForTraining(List<String> inputs, long seed) {
        return encode(inputs);
    }

    /** {@return whether {@link #encodeForTraining} gives a new view at every use (so frozen activations cannot be cached)} */
    default boolean augments() {
        return false;
    }
}
