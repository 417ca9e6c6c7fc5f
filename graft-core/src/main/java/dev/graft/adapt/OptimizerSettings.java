package dev.graft.adapt;

import dev.graft.GraftException;
import dev.graft.Parameter;

/**
 * AdamW with decoupled weight decay (not on norms and biases) and optional L2-SP.
 *
 * @param learningRate base learning rate: the head's; groups scale it by their multiplier
 * @param weightDecay decoupled weight decay
 * @param l2sp strength of the pull towards the pretrained weights (0 = off)
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param epsilon denominator guard
 */
public record OptimizerSettings(double learningRate, double weightDecay, double l2sp, double beta1, double beta2,
        double epsilon) {

    /**
     * Checks the learning rate (above 0, below 10) and that the decays are not negative.
     *
     * @param learningRate base learning rate: the head's; groups scale it by their multiplier
     * @param weightDecay decoupled weight decay
     * @param l2sp strength of the pull towards the pretrained weights (0 = off)
     * @param beta1 first-moment decay
     * @param beta2 second-moment decay
     * @param epsilon denominator guard
     */
    public OptimizerSettings {
        if (!(learningRate > 0 && learningRate < 10)) {
            throw new GraftException(Parameter.LEARNING_RATE, learningRate, "is out of range; try 1e-3 for a head, 5e-4 for fine-tuning");
        }
        if (weightDecay < 0) {
            throw new GraftException(Parameter.WEIGHT_DECAY, weightDecay, "must be ≥ 0");
        }
        if (l2sp < 0) {
            throw new GraftException(Parameter.L2SP, l2sp, "must be ≥ 0");
        }
    }

    /**
     * Makes AdamW settings with the usual betas and epsilon.
     *
     * @param learningRate the base learning rate, above 0 and below 10
     * @return AdamW at the given learning rate, weight decay 0.01, no L2-SP
     */
    public static OptimizerSettings adamW(double learningRate) {
        return new OptimizerSettings(learningRate, 0.01, 0, 0.9, 0.999, 1e-8);
    }
}
