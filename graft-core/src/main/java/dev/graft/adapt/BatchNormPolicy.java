package dev.graft.adapt;

import dev.graft.GraftException;
import java.util.Locale;

/** What BatchNorm layers do while their group trains. */
public enum BatchNormPolicy {
    /** Inference mode: the pretrained running statistics and affine parameters stay fixed (the transfer-learning default). */
    INFERENCE("freeze"),
    /** Running statistics fixed (inference-mode normalisation); scale and shift train with the group. */
    TRAIN_AFFINE("train-affine"),
    /** Normalise with batch statistics and update the running ones; scale and shift train. */
    TRAIN("train"),
    /**
     * AdaBN: before the stage, re-estimate the running statistics on the training data without
     * gradients, then keep them fixed, like {@link #INFERENCE}.
     */
    RECALIBRATE("recalibrate");

    private final String option;

    BatchNormPolicy(String option) {
        this.option = option;
    }

    /** {@return the name used on the command line and in plans, e.g. {@code train-affine}} */
    public String option() {
        return option;
    }

    /**
     * Reads a policy by its command-line name.
     *
     * @param name {@code freeze}, {@code train-affine}, {@code train} or {@code recalibrate}
     * @return the policy
     */
    public static BatchNormPolicy parse(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (BatchNormPolicy p : values()) {
            if (p.option.equals(key) || p.name().toLowerCase(Locale.ROOT).equals(key)) {
                return p;
            }
        }
        throw new GraftException("unknown BatchNorm policy '" + name + "'; use freeze, train-affine, train or recalibrate");
    }
}
