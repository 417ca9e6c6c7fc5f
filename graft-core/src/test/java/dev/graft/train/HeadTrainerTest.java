package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadTrainerTest {

    private static final SyntheticFeatures TRAIN = new SyntheticFeatures(300, 16, 3, 1.5, 1);
    private static final SyntheticFeatures VALIDATION = new SyntheticFeatures(90, 16, 3, 1.5, 1);

    private static int correct(float[][] probabilities, int[] labels) {
        int c = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int k = 1; k < probabilities[i].length; k++) {
                if (probabilities[i][k] > probabilities[i][best]) {
                    best = k;
                }
            }
            c += best == labels[i] ? 1 : 0;
        }
        return c;
    }

    @Test
    void linearAndMlpHeadsLearnSeparableClusters() {
        for (HeadSpec spec : List.of(HeadSpec.linear(), HeadSpec.mlp(32, 0.2))) {
            HeadTrainer.Result result = HeadTrainer.train(TRAIN.x, TRAIN.y, VALIDATION.x, VALIDATION.y, 3, spec,
                    HeadTrainingConfig.defaults(), r -> {});
            float[][] p = result.head().probabilities(VALIDATION.x);
            assertThat(correct(p, VALIDATION.y)).as(spec.describe()).isGreaterThanOrEqualTo(80);
            for (float[] row : p) {
                double sum = 0;
                for (float v : row) {
                    sum += v;
                }
                assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    @Test
    void keepsTheBestEpochAndStopsEarly() {
        List<EpochRecord> seen = new ArrayList<>();
        SyntheticFeatures tiny = new SyntheticFeatures(30, 16, 3, 3.0, 7);
        HeadTrainingConfig config = new HeadTrainingConfig(400, 8, 1e-2, 0.0, 5, 3);
        HeadTrainer.Result result = HeadTrainer.train(tiny.x, tiny.y, VALIDATION.x, VALIDATION.y, 3,
                HeadSpec.mlp(64, 0.0), config, seen::add);
        assertThat(seen).hasSizeLessThan(400);
        assertThat(seen.size() - result.bestEpoch()).isEqualTo(5);
        double minimum = seen.stream().mapToDouble(EpochRecord::validationLoss).min().orElseThrow();
        assertThat(result.bestValidationLoss()).isEqualTo(minimum);
    }

    @Test
    void sameSeedSameHead() {
        HeadTrainingConfig config = HeadTrainingConfig.defaults().withMaxEpochs(3);
        HeadTrainer.Result a = HeadTrainer.train(TRAIN.x, TRAIN.y, VALIDATION.x, VALIDATION.y, 3, HeadSpec.linear(), config, r -> {});
        HeadTrainer.Result b = HeadTrainer.train(TRAIN.x, TRAIN.y, VALIDATION.x, VALIDATION.y, 3, HeadSpec.linear(), config, r -> {});
        assertThat(a.head().weights().get("head.dense0.weight")).containsExactly(b.head().weights().get("head.dense0.weight"));
    }
}
