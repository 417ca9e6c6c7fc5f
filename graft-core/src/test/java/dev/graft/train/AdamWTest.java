package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.graft.adapt.OptimizerSettings;
import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void theFirstStepMovesEveryWeightByTheLearningRate() {
        try (NDManager m = NDManager.newBaseManager()) {
            AdamW adam = new AdamW(new OptimizerSettings(1, 0, 0, 0.9, 0.999, 1e-12), m);
            NDArray w = m.create(new float[] {1, 2, 3, 4});
            NDArray g = m.create(new float[] {0.5f, -2, 1e-3f, -7});
            adam.update("w", w, g, 0.01, false, null);
            assertThat(w.toFloatArray()).containsExactly(new float[] {0.99f, 2.01f, 2.99f, 4.01f}, within(1e-6f));
            assertThat(adam.steps.get("w")).isEqualTo(1);
        }
    }

    @Test
    void weightDecayIsDecoupledAndOnlyWhereAsked() {
        try (NDManager m = NDManager.newBaseManager()) {
            AdamW adam = new AdamW(new OptimizerSettings(1, 0.5, 0, 0.9, 0.999, 1e-12), m);
            NDArray decayed = m.create(new float[] {2});
            NDArray plain = m.create(new float[] {2});
            adam.update("a", decayed, m.create(new float[] {1}), 0.1, true, null);
            adam.update("b", plain, m.create(new float[] {1}), 0.1, false, null);
            assertThat(decayed.getFloat(0)).isCloseTo(2 * (1 - 0.1f * 0.5f) - 0.1f, within(1e-6f));
            assertThat(plain.getFloat(0)).isCloseTo(1.9f, within(1e-6f));
        }
    }

    @Test
    void l2spPullsTowardsThePretrainedWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            AdamW adam = new AdamW(new OptimizerSettings(1, 0.01, 1.0, 0.9, 0.999, 1e-12), m);
            NDArray anchor = m.create(new float[] {0, 0, 0});
            NDArray w = m.create(new float[] {1, -1, 0.5f});
            NDArray zero = m.zeros(w.getShape());
            for (int i = 0; i < 50; i++) {
                adam.update("w", w, zero, 0.01, true, anchor);
            }
            float[] after = w.toFloatArray();
            assertThat(Math.abs(after[0])).isLessThan(0.6f);
            assertThat(Math.abs(after[1])).isLessThan(0.6f);
            assertThat(Math.abs(after[2])).isLessThan(0.1f);
            assertThat(after[0]).isPositive();
            assertThat(after[1]).isNegative();
        }
    }
}
