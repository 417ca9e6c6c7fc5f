package dev.graft.advise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

    /** Three Gaussian clusters in 10 dimensions, {@code spread} apart. */
    private static float[][] clusters(int n, double spread, int[] labels, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][10];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            for (int j = 0; j < 10; j++) {
                x[i][j] = (float) ((j == labels[i] ? spread : 0) + r.nextGaussian());
            }
        }
        return x;
    }

    private static double accuracy(int[] predicted, int[] truth) {
        int c = 0;
        for (int i = 0; i < truth.length; i++) {
            c += predicted[i] == truth[i] ? 1 : 0;
        }
        return (double) c / truth.length;
    }

    @Test
    void separatesClustersAndGivesProbabilities() {
        int[] y = new int[300];
        float[][] x = clusters(300, 4, y, 1);
        int[] ty = new int[300];
        float[][] tx = clusters(300, 4, ty, 2);
        LinearProbe probe = LinearProbe.fit(x, y, 3);
        assertThat(accuracy(probe.predict(tx), ty)).isGreaterThan(0.95);
        for (float[] p : probe.probabilities(tx)) {
            assertThat(p[0] + p[1] + p[2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void isDeterministic() {
        int[] y = new int[90];
        float[][] x = clusters(90, 1, y, 3);
        assertThat(LinearProbe.fit(x, y, 3).probabilities(x)).isDeepEqualTo(LinearProbe.fit(x, y, 3).probabilities(x));
    }

    @Test
    void outOfFoldPredictionsComeFromProbesThatNeverSawTheExample() {
        // pure noise: a probe that saw its examples would fit them, out-of-fold it can only guess
        Random r = new Random(5);
        int n = 120;
        float[][] x = new float[n][150];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 150; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
        }
        LinearProbe seen = LinearProbe.fit(x, y, 2);
        assertThat(accuracy(seen.predict(x), y)).isGreaterThan(0.9);
        float[][] oof = LinearProbe.outOfFold(x, y, 2, 5, 7);
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            predicted[i] = oof[i][1] > oof[i][0] ? 1 : 0;
        }
        assertThat(accuracy(predicted, y)).isBetween(0.3, 0.7);
    }

    @Test
    void foldsAreStratified() {
        int[] y = new int[100];
        for (int i = 0; i < 100; i++) {
            y[i] = i < 80 ? 0 : 1;
        }
        int[] fold = LinearProbe.folds(y, 2, 5, 1);
        for (int f = 0; f < 5; f++) {
            int zeros = 0;
            int ones = 0;
            for (int i = 0; i < 100; i++) {
                if (fold[i] == f) {
                    zeros += y[i] == 0 ? 1 : 0;
                    ones += y[i] == 1 ? 1 : 0;
                }
            }
            assertThat(zeros).isEqualTo(16);
            assertThat(ones).isEqualTo(4);
        }
    }
}
