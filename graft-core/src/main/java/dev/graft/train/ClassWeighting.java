package dev.graft.train;

import ai.djl.training.loss.Loss;
import dev.graft.GraftException;
import dev.graft.Parameter;
import java.util.Locale;

/**
 * Whether the training loss weighs classes by the inverse of their frequency, so that a rare class
 * counts as much as a common one.
 */
public enum ClassWeighting {
    /** Balanced weights when the imbalance ratio reaches {@link #AUTO_THRESHOLD}, else none. */
    AUTO,
    /** Always balanced: class c weighs n / (classes · n_c), so the average example weighs 1. */
    BALANCED,
    /** Every example weighs 1. */
    NONE;

    /** Largest / smallest class count at which {@link #AUTO} starts weighting. */
    public static final double AUTO_THRESHOLD = 3.0;

    /**
     * Reads a policy by its command-line name.
     *
     * @param value {@code auto}, {@code balanced} or {@code none}
     * @return the policy
     */
    public static ClassWeighting parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new GraftException(Parameter.CLASS_WEIGHTING, value, "is not one of auto, balanced, none");
        }
    }

    /**
     * Computes per-class loss weights for the training labels.
     *
     * @param labels class index of every training example
     * @param classes number of classes
     * @return one weight per class, or null when this policy does not weight the data
     */
    public float[] weights(int[] labels, int classes) {
        int[] counts = new int[classes];
        for (int y : labels) {
            counts[y]++;
        }
        int max = 0;
        int min = Integer.MAX_VALUE;
        for (int c : counts) {
            max = Math.max(max, c);
            if (c > 0) {
                min = Math.min(min, c);
            }
        }
        boolean weigh = this == BALANCED || (this == AUTO && min > 0 && (double) max / min >= AUTO_THRESHOLD);
        if (!weigh) {
            return null;
        }
        float[] w = new float[classes];
        for (int c = 0; c < classes; c++) {
            w[c] = counts[c] == 0 ? 0f : (float) labels.length / (classes * counts[c]);
        }
        return w;
    }

    /**
     * Makes the training loss, weighted per class when weights are given.
     *
     * @param weights per-class weights, or null
     * @return softmax cross-entropy, weighted per class when weights are given
     */
    public static Loss loss(float[] weights) {
        return weights == null ? Loss.softmaxCrossEntropyLoss() : new WeightedCrossEntropy(weights);
    }
}
