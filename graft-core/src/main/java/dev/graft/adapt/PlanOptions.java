package dev.graft.adapt;

import dev.graft.GraftException;
import dev.graft.Parameter;

/**
 * The knobs strategies turn into a plan.
 *
 * @param learningRate base learning rate: the head's in head-only stages
 * @param fineTuneFactor the head's multiplier in stages that also train the backbone
 * @param lrRatio how much lower the backbone's learning rate is than the head's
 * @param layerDecay each lower backbone group gets this factor more (1 = none)
 * @param weightDecay decoupled weight decay
 * @param l2sp pull towards the pretrained weights (0 = off)
 * @param schedule learning-rate schedule, restarted per stage
 * @param headEpochs epoch budget of head-only stages (0 = automatic)
 * @param headPatience patience of head-only stages
 * @param epochs epoch budget of each stage that trains the backbone
 * @param patience patience of those stages
 * @param unfreeze backbone blocks the two-stage strategy unfreezes (-1 = all groups)
 * @param batchSize examples per step when the backbone trains
 * @param backboneDropout dropout inside the backbone while it trains
 */
public record PlanOptions(double learningRate, double fineTuneFactor, double lrRatio, double layerDecay,
        double weightDecay, double l2sp, Schedule schedule, int headEpochs, int headPatience, int epochs, int patience,
        int unfreeze, int batchSize, double backboneDropout) {

    /**
     * Checks the ranges of the ratios, budgets and dropout.
     * Throws {@link dev.graft.GraftException} naming the first bad value.
     *
     * @param learningRate base learning rate: the head's in head-only stages
     * @param fineTuneFactor the head's multiplier in stages that also train the backbone
     * @param lrRatio how much lower the backbone's learning rate is than the head's
     * @param layerDecay each lower backbone group gets this factor more (1 = none)
     * @param weightDecay decoupled weight decay
     * @param l2sp pull towards the pretrained weights (0 = off)
     * @param schedule learning-rate schedule, restarted per stage
     * @param headEpochs epoch budget of head-only stages (0 = automatic)
     * @param headPatience patience of head-only stages
     * @param epochs epoch budget of each stage that trains the backbone
     * @param patience patience of those stages
     * @param unfreeze backbone blocks the two-stage strategy unfreezes (-1 = all groups)
     * @param batchSize examples per step when the backbone trains
     * @param backboneDropout dropout inside the backbone while it trains
     */
    public PlanOptions {
        if (lrRatio < 1) {
            throw new GraftException(Parameter.LEARNING_RATE_RATIO, lrRatio, "must be at least 1 (the backbone learns slower than the head)");
        }
        if (layerDecay <= 0 || layerDecay > 1) {
            throw new GraftException(Parameter.LAYER_DECAY, layerDecay, "must be in (0, 1]");
        }
        if (epochs < 1 || epochs > 1000) {
            throw new GraftException(Parameter.EPOCHS, epochs, "is out of range; use 1 to 1000");
        }
        if (patience < 1 || headPatience < 1) {
            throw new GraftException(Parameter.PATIENCE, Math.min(patience, headPatience), "must be at least 1");
        }
        if (backboneDropout < 0 || backboneDropout >= 1) {
            throw new GraftException(Parameter.BACKBONE_DROPOUT, backboneDropout, "must be in [0, 1)");
        }
    }

    /**
     * Patience of the head stage before unfreezing: it ends at its first validation plateau, as
     * fastai's {@code fine_tune} trains the head for one epoch, so that unfreezing starts from a head
     * that fits but has not memorised the training rows.
     */
    public static final int HEAD_STAGE_PATIENCE = 1;

    /**
     * {@return base lr 1e-3 (head-only), ×0.5 for the head and ×0.05 for the backbone when it trains,
     *     no layer decay, weight decay 0.01, warm-up + cosine, 3 epochs per backbone stage, patience 1
     *     (the head stage's too), batch 16, two-stage unfreezes everything}
     */

    public static PlanOptions defaults() {
        return new PlanOptions(1e-3, 0.5, 10, 1.0, 0.01, 0, Schedule.defaults(), 0, HEAD_STAGE_PATIENCE, 3, 1, -1, 16, 0.0);
    }

    /**
     * Returns a copy with another epoch budget per backbone stage.
     *
     * @param value epochs per backbone stage, 1 to 1000
     * @return a copy with this budget, other options unchanged
     */
    public PlanOptions withEpochs(int value) {
        return new PlanOptions(learningRate, fineTuneFactor, lrRatio, layerDecay, weightDecay, l2sp, schedule, headEpochs,
                headPatience, value, patience, unfreeze, batchSize, backboneDropout);
    }

    OptimizerSettings optimizer() {
        OptimizerSettings d = OptimizerSettings.adamW(learningRate);
        return new OptimizerSettings(learningRate, weightDecay, l2sp, d.beta1(), d.beta2(), d.epsilon());
    }
}
