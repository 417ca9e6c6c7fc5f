package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import dev.graft.GraftException;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ClassWeightingTest {

    @Test
    void autoWeighsOnlyFromTheThreshold() {
        int[] mild = {0, 0, 0, 0, 0, 1, 1};          // 5:2 = 2.5
        int[] strong = {0, 0, 0, 0, 0, 0, 1, 1};     // 6:2 = 3
        assertThat(ClassWeighting.AUTO.weights(mild, 2)).isNull();
        assertThat(ClassWeighting.NONE.weights(strong, 2)).isNull();
        assertThat(ClassWeighting.AUTO.weights(strong, 2)).containsExactly(8f / 12, 8f / 4);
        assertThat(ClassWeighting.BALANCED.weights(mild, 2)).containsExactly(7f / 10, 7f / 4);
    }

    @Test
    void balancedWeightsAverageOneOverTheExamples() {
        int[] labels = {0, 0, 0, 0, 0, 0, 0, 1, 1, 2};
        float[] w = ClassWeighting.BALANCED.weights(labels, 3);
        double sum = 0;
        for (int y : labels) {
            sum += w[y];
        }
        assertThat(sum / labels.length).isCloseTo(1.0, Offset.offset(1e-6));
    }

    @Test
    void weightedLossMatchesTheDefinition() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] logits = {{2f, -1f, 0.5f}, {0.1f, 0.2f, 0.3f}, {-3f, 1f, 2f}};
            float[] labels = {0, 2, 1};
            NDList pred = new NDList(m.create(logits));
            NDList truth = new NDList(m.create(labels));
            double plain = Loss.softmaxCrossEntropyLoss().evaluate(truth, pred).getFloat();
            double unit = ClassWeighting.loss(new float[] {1, 1, 1}).evaluate(truth, pred).getFloat();
            assertThat(unit).isCloseTo(plain, Offset.offset(1e-6));

            float[] w = {0.5f, 2f, 3f};
            double expected = 0;
            for (int i = 0; i < logits.length; i++) {
                double z = 0;
                for (float v : logits[i]) {
                    z += Math.exp(v);
                }
                int y = (int) labels[i];
                expected += w[y] * -(logits[i][y] - Math.log(z));
            }
            double weighted = ClassWeighting.loss(w).evaluate(truth, pred).getFloat();
            assertThat(weighted).isCloseTo(expected / logits.length, Offset.offset(1e-5));
        }
    }

    @Test
    void weightingRaisesRecallOfTheRareClass() {
        SyntheticFeatures pool = new SyntheticFeatures(2000, 8, 2, 6.0, 11);
        List<Integer> keep = new ArrayList<>();
        int rare = 0;
        for (int i = 0; i < pool.y.length; i++) {
            if (pool.y[i] == 0 || rare++ < 60) {
                keep.add(i);
            }
        }
        float[][] x = new float[keep.size()][];
        int[] y = new int[keep.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = pool.x[keep.get(i)];
            y[i] = pool.y[keep.get(i)];
        }
        SyntheticFeatures test = new SyntheticFeatures(1000, 8, 2, 6.0, 11);
        HeadTrainingConfig config = HeadTrainingConfig.defaults().withMaxEpochs(40);
        float[] weights = ClassWeighting.AUTO.weights(y, 2);
        assertThat(weights).isNotNull();
        double plain = rareRecall(HeadTrainer.train(x, y, x, y, 2, HeadSpec.linear(), config, null, r -> {}), test);
        double weighted = rareRecall(HeadTrainer.train(x, y, x, y, 2, HeadSpec.linear(), config, weights, r -> {}), test);
        assertThat(weighted).isGreaterThan(plain + 0.1);
    }

    private static double rareRecall(HeadTrainer.Result result, SyntheticFeatures test) {
        float[][] p = result.head().probabilities(test.x);
        int rare = 0;
        int found = 0;
        for (int i = 0; i < p.length; i++) {
            if (test.y[i] == 1) {
                rare++;
                found += p[i][1] > p[i][0] ? 1 : 0;
            }
        }
        return (double) found / rare;
    }

    @Test
    void unknownPolicyIsAOneLineError() {
        assertThatThrownBy(() -> ClassWeighting.parse("inverse"))
                .isInstanceOf(GraftException.class).hasMessageContaining("auto, balanced, none");
    }
}
