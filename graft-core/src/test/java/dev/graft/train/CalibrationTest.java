package dev.graft.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    /** Labels drawn from softmax(logits): these logits are calibrated by construction. */
    private static int[] drawLabels(double[] logits, int classes, Random r) {
        float[][] p = Calibration.probabilities(logits, classes, 1);
        int[] y = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            double u = r.nextDouble();
            double cumulative = 0;
            y[i] = classes - 1;
            for (int k = 0; k < classes; k++) {
                cumulative += p[i][k];
                if (u < cumulative) {
                    y[i] = k;
                    break;
                }
            }
        }
        return y;
    }

    @Test
    void theTemperatureUndoesOverconfidenceAndLowersTheCalibrationError() {
        Random r = new Random(5);
        int rows = 4000;
        int classes = 3;
        double[] calibrated = new double[rows * classes];
        for (int q = 0; q < calibrated.length; q++) {
            calibrated[q] = 1.5 * r.nextGaussian();
        }
        int[] y = drawLabels(calibrated, classes, r);
        double[] overconfident = calibrated.clone();
        for (int q = 0; q < overconfident.length; q++) {
            overconfident[q] *= 3;
        }
        double t = Calibration.temperature(overconfident, y, classes);
        assertThat(t).isBetween(2.6, 3.4);
        double before = Calibration.expectedCalibrationError(Calibration.probabilities(overconfident, classes, 1), y);
        double after = Calibration.expectedCalibrationError(Calibration.probabilities(overconfident, classes, t), y);
        assertThat(before).isGreaterThan(0.1);
        assertThat(after).isLessThan(0.03);
        assertThat(Calibration.logLoss(overconfident, y, classes, t))
                .isLessThan(Calibration.logLoss(overconfident, y, classes, 1));
    }

    @Test
    void calibratedLogitsKeepATemperatureNearOne() {
        Random r = new Random(9);
        double[] logits = new double[3000 * 2];
        for (int q = 0; q < logits.length; q++) {
            logits[q] = 2 * r.nextGaussian();
        }
        int[] y = drawLabels(logits, 2, r);
        assertThat(Calibration.temperature(logits, y, 2)).isBetween(0.85, 1.15);
    }

    @Test
    void theCalibrationErrorOfAlwaysRightCertaintyIsZeroAndOfAlwaysWrongCertaintyIsOne() {
        float[][] certain = {{1f, 0f}, {0f, 1f}};
        assertThat(Calibration.expectedCalibrationError(certain, new int[] {0, 1})).isZero();
        assertThat(Calibration.expectedCalibrationError(certain, new int[] {1, 0})).isEqualTo(1.0);
    }
}
