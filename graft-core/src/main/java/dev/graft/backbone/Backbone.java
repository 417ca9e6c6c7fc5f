package dev.graft.backbone;

import java.util.List;

/**
 * A pretrained network that turns inputs into feature vectors, split into ordered layer groups.
 *
 * <p>Lifecycle: obtained from {@link Backbones#load}, used from one thread at a time, closed when
 * done (it holds native memory).
 */
public interface Backbone extends AutoCloseable {

    /** {@return the registry id, e.g. {@code minilm}} */
    String id();

    /** {@return SHA-256 (hex) of the pretrained weights file} */
    String weightsSha256();

    /** {@return length of the feature vector} */
    int featureSize();

    /** {@return layer groups from the input upwards, e.g. {@code embeddings, block0 … block5}} */
    List<LayerGroup> layerGroups();

    /** {@return everything about preprocessing that changes the features, as a stable string} */
    String preprocessingKey();

    /**
     * @param text one input
     * @return its length in tokens before truncation (used to bucket batches and to profile data)
     */
    int tokenCount(String text);

    /**
     * @param texts inputs
     * @return {@link #tokenCount} of each, in order; may count on several cores
     */
    default int[] tokenCounts(List<String> texts) {
        return texts.stream().mapToInt(this::tokenCount).toArray();
    }

    /**
     * @param text one input
     * @return the tokens it fills in a batch, after truncation (to sort batches by length); may be
     *     cheaper than {@link #tokenCount} for long texts
     */
    default int batchLength(String text) {
        return tokenCount(text);
    }

    /**
     * Runs the frozen backbone in inference mode.
     *
     * @param texts one batch; similar lengths waste less padding
     * @return one feature vector per text, {@link #featureSize()} long
     */
    float[][] extractFeatures(List<String> texts);

    /**
     * Chooses the arithmetic of frozen features. The default accepts only float32; text encoders
     * that can run on int8 weights override it.
     *
     * @param precision the precision of {@link #extractFeatures} while the backbone is frozen
     * @throws dev.graft.GraftException if this backbone cannot compute features in that precision
     */
    default void usePrecision(dev.graft.Precision precision) {
        if (precision != dev.graft.Precision.FP32) {
            throw new dev.graft.GraftException(dev.graft.Parameter.PRECISION, precision.id(),
                    "is for BERT text encoders; " + id() + " computes its features in fp32");
        }
    }

    /** {@return the arithmetic of frozen features; float32 unless {@link #usePrecision} chose another} */
    default dev.graft.Precision precision() {
        return dev.graft.Precision.FP32;
    }

    @Override
    void close();
}
