package dev.graft;

import dev.graft.adapt.FineTunePlan;
import dev.graft.backbone.Backbone;
import dev.graft.train.ClassificationMetrics;
import dev.graft.train.EpochRecord;
import dev.graft.train.HeadSelection;
import dev.graft.train.TrainedHead;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Trains a classifier on a fit's data: a head on frozen features, or a fine-tune of the backbone with it. */
interface Trainer {

    /**
     * Everything a trainer reads.
     *
     * @param data the split, encoded data
     * @param request the options
     * @param plan the strategy's stages
     * @param backbone the loaded backbone
     * @param features the backbone's features of every part
     * @param classWeights per-class loss weights, or null for none
     * @param onEpoch hears every finished epoch
     * @param listener hears progress
     */
    record Input(FitData data, FitRequest request, FineTunePlan plan, Backbone backbone, Features features,
            float[] classWeights, Consumer<EpochRecord> onEpoch, FitListener listener) {}

    /**
     * What a trainer produced.
     *
     * @param head the trained head
     * @param tuned tuned backbone and adapter tensors (and BatchNorm statistics) by name; empty when frozen
     * @param bestEpoch the epoch whose weights were kept
     * @param history every epoch
     * @param selection the head search, when the head trained on frozen features
     * @param crossValidated out-of-fold metrics of the head search, or null
     * @param validationX validation features to score (empty when the head trained on the validation rows)
     * @param validationY validation labels to score
     * @param testX test features to score (the tuned backbone's, after a fine-tune)
     */
    record Trained(TrainedHead head, Map<String, float[]> tuned, int bestEpoch, List<EpochRecord> history,
            HeadSelection.Result selection, ClassificationMetrics crossValidated, float[][] validationX, int[] validationY,
            float[][] testX) {}

    /**
     * @param input the data, plan and features
     * @return the trained head and whatever else changed
     */
    Trained train(Input input);

    /** {@return the trainer for a plan: a head on frozen features, or a fine-tune} */
    static Trainer of(FineTunePlan plan) {
        return plan.backboneFrozen() ? new FrozenHeadTrainer() : new FineTuneTrainer();
    }
}
