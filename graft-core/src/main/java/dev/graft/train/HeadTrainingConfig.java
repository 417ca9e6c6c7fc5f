package dev.graft.train;

import dev.graft.GraftException;
import dev.graft.Parameter;
import dev.graft.adapt.TrainingOptions;

/**
 * Hyperparameters of one head's training on cached features, as the head trainer reads them: the
 * frozen-features part of a fit's {@link TrainingOptions}, with its automatic values resolved
 * ({@link #forFrozenFeatures}).
 *
 * @param maxEpochs upper bound on passes over the training set; 0 chooses enough epochs for about
 *     {@value #AUTO_STEPS} optimiser steps (at least 30), since early stopping ends training sooner
 * @param batchSize examples per optimiser step
 * @param learningRate peak learning rate (AdamW), reached after a one-epoch warm-up, then cosine decay
 * @param weightDecay decoupled weight decay
 * @param patience epochs without a better validation loss before stopping
 * @param seed seeds initialisation and shuffling
 */
public record HeadTrainingConfig(int maxEpochs, int batchSize, double learningRate, double weightDecay, int patience,
        long seed) {

    /** Optimiser steps an automatic epoch budget aims at. */
    public static final int AUTO_STEPS = 4000;

    /**
     * Checks the ranges of the epoch budget, batch size, learning rate, weight decay and patience.
     * Throws {@link dev.graft.GraftException} naming the first bad value.
     *
     * @param maxEpochs upper bound on passes over the training set; 0 chooses enough epochs for about
     *     {@value #AUTO_STEPS} optimiser steps (at least 30), since early stopping ends training sooner
     * @param batchSize examples per optimiser step
     * @param learningRate peak learning rate (AdamW), reached after a one-epoch warm-up, then cosine decay
     * @param weightDecay decoupled weight decay
     * @param patience epochs without a better validation loss before stopping
     * @param seed seeds initialisation and shuffling
     */
    public HeadTrainingConfig {
        if (maxEpochs < 0 || maxEpochs > 100_000) {
            throw new GraftException(Parameter.EPOCHS, maxEpochs, "is out of range; use 1 to 100000, or 0 for automatic");
        }
        if (batchSize < 1) {
            throw new GraftException(Parameter.BATCH_SIZE, batchSize, "must be positive");
        }
        if (!(learningRate > 0 && learningRate < 10)) {
            throw new GraftException(Parameter.LEARNING_RATE, learningRate, "is out of range; try 1e-3");
        }
        if (weightDecay < 0 || Double.isNaN(weightDecay)) {
            throw new GraftException(Parameter.WEIGHT_DECAY, weightDecay, "must be ≥ 0");
        }
        if (patience < 1) {
            throw new GraftException(Parameter.PATIENCE, patience, "must be at least 1");
        }
    }

    /** {@return automatic epochs, batch 32, learning rate 1e-3, weight decay 0.01, patience 10, seed 42} */
    public static HeadTrainingConfig defaults() {
        return forFrozenFeatures(TrainingOptions.defaults());
    }

    /**
     * Reads what a head trained on frozen features needs from a fit's options.
     *
     * @param options the fit's training options
     * @return their epochs, batch size, learning rate, weight decay, patience and seed for the head
     */
    public static HeadTrainingConfig forFrozenFeatures(TrainingOptions options) {
        return new HeadTrainingConfig(options.epochs(), options.frozenHeadBatchSize(), options.learningRate(),
                options.weightDecay(), options.frozenHeadPatience(), options.seed());
    }

    /**
     * Computes the epoch budget for a training set of a given size.
     *
     * @param trainingRows rows in the training set
     * @return the epoch budget: {@link #maxEpochs()}, or the automatic one when that is 0
     */
    public int epochsFor(int trainingRows) {
        if (maxEpochs > 0) {
            return maxEpochs;
        }
        int stepsPerEpoch = (trainingRows + batchSize - 1) / batchSize;
        return Math.min(1000, Math.max(30, (AUTO_STEPS + stepsPerEpoch - 1) / stepsPerEpoch));
    }

    /**
     * Returns a copy with another epoch budget.
     *
     * @param epochs upper bound on passes over the training set, 0 for automatic
     * @return a copy with this budget, other settings unchanged
     */
    public HeadTrainingConfig withMaxEpochs(int epochs) {
        return new HeadTrainingConfig(epochs, batchSize, learningRate, weightDecay, patience, seed);
    }

    /**
     * Returns a copy with another seed.
     *
     * @param newSeed seeds initialisation and shuffling
     * @return a copy with this seed, other settings unchanged
     */
    public HeadTrainingConfig withSeed(long newSeed) {
        return new HeadTrainingConfig(maxEpochs, batchSize, learningRate, weightDecay, patience, newSeed);
    }
}
