package dev.graft.adapt;

/** What BatchNorm layers do while their group trains. */
public enum BatchNormPolicy {
    /** Use and keep the pretrained running statistics (the transfer-learning default). */
    INFERENCE,
    /** Normalise with batch statistics and update the running ones. */
    TRAIN
}
