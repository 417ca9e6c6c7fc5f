package dev.graft.adapt;

import dev.graft.GraftException;
import dev.graft.Parameter;

/**
 * Every training hyperparameter of a fit, whatever the strategy. A strategy reads the ones it
 * needs: feature extraction trains only a head on frozen features; the others train the backbone
 * in stages. {@code epochs}, {@code patience} and {@code batchSize} mean "of whatever trains", and
 * 0 lets the strategy choose ({@link #frozenHeadPatience()}, {@link #stagePatience()} and so on).
 * Start from {@link #defaults()} and change what you need with {@link #toBuilder()}.
 *
 * @param seed seeds the split, initialisation, shuffling and augmentation
 * @param learningRate base learning rate (AdamW): the head's when it trains alone
 * @param weightDecay decoupled weight decay
 * @param epochs epoch budget of the frozen-features head, else of each stage that trains the backbone;
 *     0 = automatic (enough for about 4,000 head steps; 3 per backbone stage)
 * @param patience epochs without a better validation loss before a stage stops; 0 = automatic (10 for
 *     the frozen-features head, 1 for stages that train the backbone)
 * @param batchSize examples per optimiser step; 0 = automatic (32 for the frozen-features head, 16 when
 *     the backbone trains)
 * @param headEpochs epoch budget of the head stage before unfreezing (0 = automatic)
 * @param headPatience patience of that head stage
 * @param fineTuneFactor the head's learning-rate multiplier in stages that also train the backbone
 * @param lrRatio how much lower the backbone's learning rate is than the head's
 * @param layerDecay each lower backbone group gets this factor more (1 = none)
 * @param l2sp pull towards the pretrained weights (0 = off)
 * @param schedule learning-rate schedule, restarted per stage
 * @param unfreeze backbone blocks the two-stage strategy unfreezes (-1 = all groups)
 * @param backboneDropout dropout inside the backbone while it trains
 */
public record TrainingOptions(long seed, double learningRate, double weightDecay, int epochs, int patience,
        int batchSize, int headEpochs, int headPatience, double fineTuneFactor, double lrRatio, double layerDecay,
        double l2sp, Schedule schedule, int unfreeze, double backboneDropout) {

    /**
     * Patience of the head stage before unfreezing: it ends at its first validation plateau, as
     * fastai's {@code fine_tune} trains the head for one epoch, so that unfreezing starts from a head
     * that fits but has not memorised the training rows.
     */
    public static final int HEAD_STAGE_PATIENCE = 1;

    /**
     * Checks every range. Throws {@link dev.graft.GraftException} naming the first bad value.
     *
     * @param seed seeds the split, initialisation, shuffling and augmentation
     * @param learningRate base learning rate (AdamW): the head's when it trains alone
     * @param weightDecay decoupled weight decay
     * @param epochs epoch budget of whatever trains; 0 = automatic
     * @param patience patience of whatever trains; 0 = automatic
     * @param batchSize examples per optimiser step; 0 = automatic
     * @param headEpochs epoch budget of the head stage before unfreezing (0 = automatic)
     * @param headPatience patience of that head stage
     * @param fineTuneFactor the head's learning-rate multiplier in stages that also train the backbone
     * @param lrRatio how much lower the backbone's learning rate is than the head's
     * @param layerDecay each lower backbone group gets this factor more (1 = none)
     * @param l2sp pull towards the pretrained weights (0 = off)
     * @param schedule learning-rate schedule, restarted per stage
     * @param unfreeze backbone blocks the two-stage strategy unfreezes (-1 = all groups)
     * @param backboneDropout dropout inside the backbone while it trains
     */
    public TrainingOptions {
        if (!(learningRate > 0 && learningRate < 10)) {
            throw new GraftException(Parameter.LEARNING_RATE, learningRate, "is out of range; try 1e-3");
        }
        if (weightDecay < 0 || Double.isNaN(weightDecay)) {
            throw new GraftException(Parameter.WEIGHT_DECAY, weightDecay, "must be ≥ 0");
        }
        if (epochs < 0 || epochs > 100_000) {
            throw new GraftException(Parameter.EPOCHS, epochs, "is out of range; use 1 to 100000, or 0 for automatic");
        }
        if (patience < 0) {
            throw new GraftException(Parameter.PATIENCE, patience, "must be at least 1, or 0 for automatic");
        }
        if (headPatience < 1) {
            throw new GraftException(Parameter.PATIENCE, headPatience, "of the head stage must be at least 1");
        }
        if (batchSize < 0) {
            throw new GraftException(Parameter.BATCH_SIZE, batchSize, "must be positive, or 0 for automatic");
        }
        if (lrRatio < 1) {
            throw new GraftException(Parameter.LEARNING_RATE_RATIO, lrRatio, "must be at least 1 (the backbone learns slower than the head)");
        }
        if (layerDecay <= 0 || layerDecay > 1) {
            throw new GraftException(Parameter.LAYER_DECAY, layerDecay, "must be in (0, 1]");
        }
        if (backboneDropout < 0 || backboneDropout >= 1) {
            throw new GraftException(Parameter.BACKBONE_DROPOUT, backboneDropout, "must be in [0, 1)");
        }
        if (schedule == null) {
            throw new GraftException(Parameter.SCHEDULE, "null", "is missing; use warmup-cosine, one-cycle or constant");
        }
    }

    /**
     * {@return seed 42, learning rate 1e-3 (the head's; ×0.5 for the head and ×0.05 for the backbone when
     *     it trains), weight decay 0.01, automatic epochs, patience and batch size, a head stage with
     *     patience 1 before unfreezing, no layer decay, warm-up + cosine, two-stage unfreezes everything}
     */
    public static TrainingOptions defaults() {
        return new Builder().build();
    }

    /** {@return a builder holding these options, to change some of them} */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Returns a copy with another seed.
     *
     * @param value seeds the split, initialisation, shuffling and augmentation
     * @return a copy with this seed, other options unchanged
     */
    public TrainingOptions withSeed(long value) {
        return toBuilder().seed(value).build();
    }

    /**
     * Returns a copy with another epoch budget.
     *
     * @param value epochs of the frozen-features head, else of each backbone stage; 0 = automatic
     * @return a copy with this budget, other options unchanged
     */
    public TrainingOptions withEpochs(int value) {
        return toBuilder().epochs(value).build();
    }

    /** {@return the epoch budget of each stage that trains the backbone: {@link #epochs()}, else 3} */
    public int stageEpochs() {
        return epochs > 0 ? epochs : 3;
    }

    /** {@return the patience of stages that train the backbone: {@link #patience()}, else 1} */
    public int stagePatience() {
        return patience > 0 ? patience : 1;
    }

    /** {@return examples per step when the backbone trains: {@link #batchSize()}, else 16} */
    public int stageBatchSize() {
        return batchSize > 0 ? batchSize : 16;
    }

    /** {@return the patience of a head trained on frozen features: {@link #patience()}, else 10} */
    public int frozenHeadPatience() {
        return patience > 0 ? patience : 10;
    }

    /** {@return examples per step of a head trained on frozen features: {@link #batchSize()}, else 32} */
    public int frozenHeadBatchSize() {
        return batchSize > 0 ? batchSize : 32;
    }

    OptimizerSettings optimizer() {
        OptimizerSettings d = OptimizerSettings.adamW(learningRate);
        return new OptimizerSettings(learningRate, weightDecay, l2sp, d.beta1(), d.beta2(), d.epsilon());
    }

    /** The optimiser of a head trained alone on frozen features: no pull towards pretrained weights. */
    OptimizerSettings headOnlyOptimizer() {
        OptimizerSettings d = OptimizerSettings.adamW(learningRate);
        return new OptimizerSettings(learningRate, weightDecay, 0, d.beta1(), d.beta2(), d.epsilon());
    }

    /** Builds {@link TrainingOptions}; every setting starts at its default. */
    public static final class Builder {
        private long seed = 42;
        private double learningRate = 1e-3;
        private double weightDecay = 0.01;
        private int epochs;
        private int patience;
        private int batchSize;
        private int headEpochs;
        private int headPatience = HEAD_STAGE_PATIENCE;
        private double fineTuneFactor = 0.5;
        private double lrRatio = 10;
        private double layerDecay = 1.0;
        private double l2sp;
        private Schedule schedule = Schedule.defaults();
        private int unfreeze = -1;
        private double backboneDropout;

        /** Starts from the defaults. */
        public Builder() {}

        private Builder(TrainingOptions o) {
            seed = o.seed;
            learningRate = o.learningRate;
            weightDecay = o.weightDecay;
            epochs = o.epochs;
            patience = o.patience;
            batchSize = o.batchSize;
            headEpochs = o.headEpochs;
            headPatience = o.headPatience;
            fineTuneFactor = o.fineTuneFactor;
            lrRatio = o.lrRatio;
            layerDecay = o.layerDecay;
            l2sp = o.l2sp;
            schedule = o.schedule;
            unfreeze = o.unfreeze;
            backboneDropout = o.backboneDropout;
        }

        /**
         * Sets the seed.
         *
         * @param value seeds the split, initialisation, shuffling and augmentation
         * @return this builder
         */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /**
         * Sets the base learning rate.
         *
         * @param value the head's learning rate when it trains alone (AdamW)
         * @return this builder
         */
        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        /**
         * Sets the decoupled weight decay.
         *
         * @param value weight decay, ≥ 0
         * @return this builder
         */
        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        /**
         * Sets the epoch budget.
         *
         * @param value epochs of the frozen-features head, else of each backbone stage; 0 = automatic
         * @return this builder
         */
        public Builder epochs(int value) {
            epochs = value;
            return this;
        }

        /**
         * Sets the early-stopping patience.
         *
         * @param value epochs without a better validation loss before a stage stops; 0 = automatic
         * @return this builder
         */
        public Builder patience(int value) {
            patience = value;
            return this;
        }

        /**
         * Sets the batch size.
         *
         * @param value examples per optimiser step; 0 = automatic
         * @return this builder
         */
        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        /**
         * Sets the head stage before unfreezing.
         *
         * @param epochs its epoch budget (0 = automatic)
         * @param patience its patience, at least 1
         * @return this builder
         */
        public Builder headStage(int epochs, int patience) {
            headEpochs = epochs;
            headPatience = patience;
            return this;
        }

        /**
         * Sets the discriminative learning rates of stages that train the backbone.
         *
         * @param headFactor the head's multiplier of the base learning rate
         * @param ratio how much lower the backbone's learning rate is than the head's, at least 1
         * @param decay each lower backbone group gets this factor more, in (0, 1]
         * @return this builder
         */
        public Builder discriminative(double headFactor, double ratio, double decay) {
            fineTuneFactor = headFactor;
            lrRatio = ratio;
            layerDecay = decay;
            return this;
        }

        /**
         * Sets the pull towards the pretrained weights.
         *
         * @param value L2-SP strength (0 = off)
         * @return this builder
         */
        public Builder l2sp(double value) {
            l2sp = value;
            return this;
        }

        /**
         * Sets the learning-rate schedule.
         *
         * @param value restarted per stage
         * @return this builder
         */
        public Builder schedule(Schedule value) {
            schedule = value;
            return this;
        }

        /**
         * Sets how many backbone blocks the two-stage strategy unfreezes.
         *
         * @param groups blocks from the top, or -1 for all
         * @return this builder
         */
        public Builder unfreeze(int groups) {
            unfreeze = groups;
            return this;
        }

        /**
         * Sets the dropout inside the backbone while it trains.
         *
         * @param value in [0, 1)
         * @return this builder
         */
        public Builder backboneDropout(double value) {
            backboneDropout = value;
            return this;
        }

        /** {@return the options, checked} */
        public TrainingOptions build() {
            return new TrainingOptions(seed, learningRate, weightDecay, epochs, patience, batchSize, headEpochs,
                    headPatience, fineTuneFactor, lrRatio, layerDecay, l2sp, schedule, unfreeze, backboneDropout);
        }
    }
}
