package dev.graft.train;

/**
 * Temperature scaling (Guo et al., 2017): one number T that divides every logit before the softmax,
 * chosen to minimise the log-loss of predictions the model made without seeing their rows; and the
 * expected calibration error that shows what it changed.
 */
public final class Calibration {

    /** Equal-width confidence bins of the expected calibration error. */
    public static final int BINS = 15;

    private Calibration() {}

    /**
     * Fits the temperature that best calibrates held-out predictions (temperature scaling).
     *
     * @param logits rows × classes, row-major, of held-out (out-of-fold) predictions
     * @param labels class of every row
     * @param classes number of classes
     * @return the temperature in [0.05, 20] with the lowest mean log-loss
     */
    public static double temperature(double[] logits, int[] labels, int classes) {
        // golden-section search on log T: the log-loss is convex in 1/T, hence unimodal in log T
        double lo = Math.log(0.05);
        double hi = Math.log(20);
        double ratio = (Math.sqrt(5) - 1) / 2;
        double a = hi - ratio * (hi - lo);
        double b = lo + ratio * (hi - lo);
        double fa = logLoss(logits, labels, classes, Math.exp(a));
        double fb = logLoss(logits, labels, classes, Math.exp(b));
        for (int i = 0; i < 60; i++) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - ratio * (hi - lo);
                fa = logLoss(logits, labels, classes, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + ratio * (hi - lo);
                fb = logLoss(logits, labels, classes, Math.exp(b));
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    /**
     * Measures how well temperature-scaled probabilities fit the labels.
     *
     * @param logits rows × classes, row-major
     * @param labels the true class index of each row
     * @param classes number of classes (the row width)
     * @param temperature divides the logits before the softmax; positive
     * @return mean negative log-likelihood of the labels under softmax(logits / temperature)
     */
    public static double logLoss(double[] logits, int[] labels, int classes, double temperature) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            int row = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[row + k] / temperature);
            }
            double z = 0;
            for (int k = 0; k < classes; k++) {
                z += Math.exp(logits[row + k] / temperature - max);
            }
            sum += Math.log(z) + max - logits[row + labels[i]] / temperature;
        }
        return sum / labels.length;
    }

    /**
     * Turns logits into temperature-scaled probabilities.
     *
     * @param logits rows × classes, row-major
     * @param classes number of classes (the row width)
     * @param temperature divides the logits before the softmax; positive
     * @return probabilities of softmax(logits / temperature), one row per input
     */
    public static float[][] probabilities(double[] logits, int classes, double temperature) {
        int rows = logits.length / classes;
        float[][] out = new float[rows][classes];
        for (int i = 0; i < rows; i++) {
            int row = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[row + k] / temperature);
            }
            double z = 0;
            for (int k = 0; k < classes; k++) {
                z += Math.exp(logits[row + k] / temperature - max);
            }
            for (int k = 0; k < classes; k++) {
                out[i][k] = (float) (Math.exp(logits[row + k] / temperature - max) / z);
            }
        }
        return out;
    }

    /**
     * Turns logit rows into temperature-scaled probabilities.
     *
     * @param logits one row of class logits per input
     * @param temperature divides the logits
     * @return probabilities of softmax(logits / temperature), one row per input
     */
    public static float[][] probabilities(float[][] logits, double temperature) {
        int classes = logits.length == 0 ? 1 : logits[0].length;
        double[] flat = new double[logits.length * classes];
        for (int i = 0; i < logits.length; i++) {
            for (int k = 0; k < classes; k++) {
                flat[i * classes + k] = logits[i][k];
            }
        }
        return probabilities(flat, classes, temperature);
    }

    /**
     * Expected calibration error: the rows binned by their top probability into {@value #BINS}
     * equal-width bins; the mean over rows of |accuracy − confidence| of their bin.
     *
     * @param probabilities one row per example
     * @param labels class of every row
     * @return the error, in [0, 1]
     */
    public static double expectedCalibrationError(float[][] probabilities, int[] labels) {
        double[] confidence = new double[BINS];
        int[] correct = new int[BINS];
        int[] count = new int[BINS];
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int k = 1; k < probabilities[i].length; k++) {
                if (probabilities[i][k] > probabilities[i][best]) {
                    best = k;
                }
            }
            double p = probabilities[i][best];
            int bin = Math.min(BINS - 1, (int) (p * BINS));
            confidence[bin] += p;
            count[bin]++;
            if (best == labels[i]) {
                correct[bin]++;
            }
        }
        double error = 0;
        for (int b = 0; b < BINS; b++) {
            if (count[b] > 0) {
                error += Math.abs(correct[b] - confidence[b]);
            }
        }
        return labels.length == 0 ? 0 : error / labels.length;
    }
}
