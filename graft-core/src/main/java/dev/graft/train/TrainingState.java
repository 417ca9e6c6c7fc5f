package dev.graft.train;

import dev.graft.adapt.BatchNormPolicy;
import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.GroupSetting;
import dev.graft.adapt.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where training stands: the stage and epoch reached, the plateau counters, the best epoch so far
 * (with its weights) and the history. Everything needed to resume, apart from weights and
 * optimiser state.
 *
 * @param stage index of the current stage
 * @param epochInStage epochs finished in that stage
 * @param globalEpoch epochs finished in all
 * @param stageBestLoss best validation loss in the current stage
 * @param stageBadEpochs epochs since the stage's validation loss last improved
 * @param bestLoss best validation loss overall
 * @param bestEpoch the epoch that reached it (0 before any)
 * @param best weights of that epoch by name (head and tuned backbone), or null
 * @param history every finished epoch
 */
record TrainingState(int stage, int epochInStage, int globalEpoch, double stageBestLoss, int stageBadEpochs,
        double bestLoss, int bestEpoch, Map<String, float[]> best, List<EpochRecord> history) {

    static TrainingState start() {
        return new TrainingState(0, 0, 0, Double.POSITIVE_INFINITY, 0, Double.POSITIVE_INFINITY, 0, null, List.of());
    }

    TrainingState afterEpoch(EpochRecord record, int stageIndex, int epochsInStage, Map<String, float[]> snapshot) {
        List<EpochRecord> h = new ArrayList<>(history);
        h.add(record);
        boolean stageImproved = record.validationLoss() < stageBestLoss - 1e-4;
        boolean improved = snapshot != null;
        return new TrainingState(stageIndex, epochsInStage, record.epoch(),
                stageImproved ? record.validationLoss() : stageBestLoss, stageImproved ? 0 : stageBadEpochs + 1,
                improved ? record.validationLoss() : bestLoss, improved ? record.epoch() : bestEpoch,
                improved ? snapshot : best, List.copyOf(h));
    }

    /** {@return validation macro-F1 of the best epoch, or -infinity before any} */
    double bestMacroF1() {
        for (EpochRecord r : history) {
            if (r.epoch() == bestEpoch) {
                return r.validationMacroF1();
            }
        }
        return Double.NEGATIVE_INFINITY;
    }

    TrainingState nextStage(int next) {
        return new TrainingState(next, 0, globalEpoch, Double.POSITIVE_INFINITY, 0, bestLoss, bestEpoch, best, history);
    }

    /**
     * {@return whether the backbone still computes its pretrained features in stage {@code s}: no
     *     earlier stage trained it and no stage up to {@code s} recalibrated its BatchNorm statistics}
     */
    static boolean pretrainedFeaturesHold(FineTunePlan plan, int s) {
        for (int i = 0; i <= s; i++) {
            Stage stage = plan.stages().get(i);
            if (i < s && !stage.headOnly()) {
                return false;
            }
            List<GroupSetting> backboneGroups = stage.groups().subList(0, stage.groups().size() - 1);
            if (backboneGroups.stream().anyMatch(g -> g.batchNorm() == BatchNormPolicy.RECALIBRATE)) {
                return false;
            }
        }
        return true;
    }
}
