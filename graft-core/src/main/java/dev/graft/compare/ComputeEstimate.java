package dev.graft.compare;

import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.Stage;
import dev.graft.backbone.LayerGroup;
import dev.graft.train.EpochRecord;
import java.util.List;

/**
 * Floating-point operations of a fit, estimated the usual way for transformers: a forward pass
 * costs 2 FLOPs per parameter per token and a backward pass 4 (gradients of activations and of
 * weights). Each epoch of a stage runs forward and backward through the groups from the lowest
 * one it trains to the top (6 per parameter per token); the frozen groups below are computed once
 * per stage and cached, as the fine-tuner does (2). Embeddings are lookups (0); attention's T²
 * term is left out (about 5 % for MiniLM at 128 tokens). Feature extraction computes the frozen
 * features once per distinct text; a head costs 6 FLOPs per parameter per example.
 */
public final class ComputeEstimate {

    private ComputeEstimate() {}

    /**
     * Estimates the floating-point operations a training run took.
     *
     * @param groups the backbone's layer groups, bottom first (the first is the embeddings)
     * @param plan the plan that ran, or null for feature extraction
     * @param history its epochs; their stage names match the plan's stages
     * @param trainRows training examples per epoch
     * @param tokens mean tokens per example
     * @param headParameters the head's parameters
     * @param featureTexts distinct texts whose frozen features were computed (feature extraction)
     * @return estimated FLOPs
     */
    public static double trainingFlops(List<LayerGroup> groups, FineTunePlan plan, List<EpochRecord> history, int trainRows,
            double tokens, long headParameters, int featureTexts) {
        double encoder = 0;
        for (int g = 1; g < groups.size(); g++) {
            encoder += groups.get(g).parameters();
        }
        double head = 6.0 * headParameters * trainRows * history.size();
        if (plan == null) {
            return 2 * encoder * tokens * featureTexts + head;
        }
        double total = head;
        java.util.Set<String> started = new java.util.HashSet<>();
        for (EpochRecord epoch : history) {
            Stage stage = plan.stages().stream().filter(s -> s.name().equals(epoch.stage())).findFirst().orElse(null);
            int lowest = stage == null ? groups.size() : lowestTrained(stage);
            double path = 0;
            for (int g = Math.max(1, lowest); g < groups.size(); g++) {
                path += groups.get(g).parameters();
            }
            if (started.add(epoch.stage())) {
                total += 2 * (encoder - path) * tokens * trainRows;
            }
            total += 6 * path * tokens * trainRows;
        }
        return total;
    }

    private static int lowestTrained(Stage stage) {
        if (stage.adapter() != null) {
            return 1;
        }
        for (int g = 0; g < stage.groups().size() - 1; g++) {
            if (stage.groups().get(g).trainable()) {
                return g;
            }
        }
        return Integer.MAX_VALUE;
    }
}
