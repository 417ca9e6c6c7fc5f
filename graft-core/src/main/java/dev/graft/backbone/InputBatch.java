package dev.graft.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** One batch of encoded inputs: token ids and mask for text, pixels for images. */
public interface InputBatch {

    /** {@return number of examples in the batch} */
    int size();

    /**
     * @param manager owns the result
     * @return token ids (B, L) int64, or pixels (B, 3, H, W) float32; a training batch of images
     *     draws a new augmented view at every call
     */
    NDArray input(NDManager manager);

    /**
     * @param manager owns the result
     * @return the attention mask (B, L) int64, or null for inputs without one (images)
     */
    NDArray mask(NDManager manager);
}
