package dev.graft.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.graft.adapt.FineTunePlan;
import dev.graft.adapt.TrainingOptions;
import dev.graft.adapt.Strategy;
import dev.graft.backbone.LayerGroup;
import dev.graft.train.EpochRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComputeEstimateTest {

    private static final List<LayerGroup> GROUPS = List.of(new LayerGroup("embeddings", 1000), new LayerGroup("block0", 100),
            new LayerGroup("block1", 100));

    private static EpochRecord epoch(String stage) {
        return new EpochRecord(1, stage, 0.5, 0.5, 0.9, 1e-3, 1, 0.9, 0);
    }

    @Test
    void featureExtractionPaysTheForwardPassOncePerText() {
        double flops = ComputeEstimate.trainingFlops(GROUPS, null, List.of(epoch("head"), epoch("head")), 10, 8, 50, 12);
        // 2 * 200 encoder parameters * 8 tokens * 12 texts + 6 * 50 head parameters * 10 rows * 2 epochs
        assertThat(flops).isCloseTo(2 * 200 * 8 * 12 + 6 * 50 * 10 * 2, offset(1e-6));
    }

    @Test
    void fineTuningPaysForwardAndBackwardAboveTheLowestTrainedGroup() {
        FineTunePlan plan = planFor("partial:1");
        List<EpochRecord> history = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            history.add(epoch(plan.stages().get(0).name()));
        }
        double flops = ComputeEstimate.trainingFlops(GROUPS, plan, history, 10, 8, 50, 12);
        double head = 6.0 * 50 * 10 * 3;
        double frozenOnce = 2.0 * 100 * 8 * 10;
        double trained = 3 * 6.0 * 100 * 8 * 10;
        assertThat(flops).isCloseTo(head + frozenOnce + trained, offset(1e-6));
        double full = ComputeEstimate.trainingFlops(GROUPS, planFor("full"), List.of(epoch(planFor("full").stages().get(0).name())),
                10, 8, 50, 12);
        assertThat(full).isCloseTo(6.0 * 50 * 10 + 6.0 * 200 * 8 * 10, offset(1e-6));
    }

    private static FineTunePlan planFor(String strategy) {
        return Strategy.parse(strategy).plan(GROUPS.stream().map(LayerGroup::name).toList(), TrainingOptions.defaults());
    }
}
