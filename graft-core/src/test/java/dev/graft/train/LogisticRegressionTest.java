package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

    private static final SyntheticFeatures DATA = new SyntheticFeatures(240, 12, 3, 6.0, 11);

    private static LogisticRegression model(double[] sampleWeights) {
        FeatureScaler scaler = FeatureScaler.fit(DATA.x);
        float[] z = scaler.apply(DATA.x);
        double[] x = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            x[i] = z[i];
        }
        return new LogisticRegression(x, 12, DATA.y, sampleWeights, 3);
    }

    @Test
    void theGradientMatchesFiniteDifferencesOfTheObjective() {
        LogisticRegression model = model(null);
        Random r = new Random(3);
        double[] theta = model.zero();
        for (int q = 0; q < theta.length; q++) {
            theta[q] = 0.3 * r.nextGaussian();
        }
        double[] gradient = new double[theta.length];
        model.objective(theta, gradient, 0.05);
        for (int q : new int[] {0, 7, 20, theta.length - 1}) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[q] += 1e-6;
            minus[q] -= 1e-6;
            double numeric = (model.objective(plus, new double[theta.length], 0.05)
                    - model.objective(minus, new double[theta.length], 0.05)) / 2e-6;
            assertThat(gradient[q]).as("component %d", q).isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void theSolutionIsStationaryAndAWarmStartReachesTheColdStartsSolution() {
        LogisticRegression model = model(null);
        double[] cold = model.zero();
        assertThat(model.fit(1.0, cold).converged()).isTrue();
        double[] gradient = new double[cold.length];
        model.objective(cold, gradient, 1.0 / (1.0 * 240));
        assertThat(java.util.Arrays.stream(gradient).map(Math::abs).max().orElseThrow()).isLessThan(1e-4);

        double[] warm = model.zero();
        model.fit(0.01, warm);
        model.fit(1.0, warm);
        for (int q = 0; q < cold.length; q++) {
            assertThat(warm[q]).isCloseTo(cold[q], org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void aStrongerPenaltyGivesSmallerWeights() {
        LogisticRegression model = model(null);
        double[] strong = model.zero();
        double[] weak = model.zero();
        model.fit(1e-3, strong);
        model.fit(10, weak);
        assertThat(norm(strong, 36)).isLessThan(norm(weak, 36));
    }

    @Test
    void aRowWeighingTwoIsTheSameModelAsThatRowTwice() {
        double[] weights = new double[DATA.y.length];
        java.util.Arrays.fill(weights, 1);
        weights[0] = 2;
        double[] weighted = model(weights).zero();
        model(weights).fit(1.0, weighted);

        FeatureScaler scaler = FeatureScaler.fit(DATA.x);
        float[] z = scaler.apply(DATA.x);
        double[] twice = new double[z.length + 12];
        for (int i = 0; i < z.length; i++) {
            twice[i] = z[i];
        }
        for (int j = 0; j < 12; j++) {
            twice[z.length + j] = z[j];
        }
        int[] y = java.util.Arrays.copyOf(DATA.y, DATA.y.length + 1);
        y[DATA.y.length] = DATA.y[0];
        LogisticRegression repeated = new LogisticRegression(twice, 12, y, null, 3);
        double[] theta = repeated.zero();
        repeated.fit(1.0, theta);
        for (int q = 0; q < theta.length; q++) {
            assertThat(weighted[q]).isCloseTo(theta[q], org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void theDefaultGridIsScikitLearnsLogSpace() {
        double[] grid = LogisticRegression.defaultGrid(10);
        assertThat(grid[0]).isCloseTo(1e-4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(grid[9]).isCloseTo(1e4, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(grid[5] / grid[4]).isCloseTo(Math.pow(10, 8.0 / 9), org.assertj.core.data.Offset.offset(1e-9));
    }

    private static double norm(double[] theta, int weights) {
        double s = 0;
        for (int q = 0; q < weights; q++) {
            s += theta[q] * theta[q];
        }
        return Math.sqrt(s);
    }
}
