package dev.graft.train;

/**
 * What one epoch achieved.
 *
 * @param epoch 1-based
 * @param trainLoss mean cross-entropy over the epoch's batches (training mode)
 * @param validationLoss mean cross-entropy on the validation set (inference mode)
 * @param validationAccuracy accuracy on the validation set
 * @param learningRate learning rate at the end of the epoch
 */
public record EpochRecord(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
        double learningRate) {}
