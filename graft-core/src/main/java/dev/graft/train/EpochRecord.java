package dev.graft.train;

/**
 * What one epoch achieved.
 *
 * @param epoch 1-based, counted across stages
 * @param stage name of the plan stage the epoch belongs to
 * @param trainLoss mean cross-entropy over the epoch's batches (training mode)
 * @param validationLoss mean cross-entropy on the validation set (inference mode)
 * @param validationAccuracy accuracy on the validation set
 * @param learningRate the head's learning rate at the end of the epoch
 * @param seconds wall time of the epoch, validation included
 */
public record EpochRecord(int epoch, String stage, double trainLoss, double validationLoss, double validationAccuracy,
        double learningRate, double seconds) {}
