package dev.graft.train;

/**
 * Multinomial logistic regression with an L2 penalty on the weights (not the biases), fitted by
 * {@link Lbfgs} on features already standardised. The objective is the mean weighted
 * cross-entropy plus {@code ||W||² / (2·C·n)}, which is scikit-learn's
 * {@code C·Σ loss + ½||W||²} divided by {@code C·n}: the same {@code C} means the same model.
 */
public final class LogisticRegression {

    /**
     * Gradient tolerance of the solver (largest component of the gradient of the mean loss), as
     * scikit-learn's default {@code tol}; 1e-5 took twice the iterations for held-out log-losses
     * within 0.001 on 36-class text.
     */
    static final double TOLERANCE = 1e-4;

    /** Iterations allowed per fit. */
    static final int MAX_ITERATIONS = 500;

    private final double[] x; // n × d, row-major
    private final int n;
    private final int d;
    private final int[] y;
    private final double[] sampleWeights;
    private final int classes;

    /**
     * @param x standardised features, n × d row-major
     * @param d feature length
     * @param y class of every row
     * @param sampleWeights weight of every row (mean 1), or null for 1 each
     * @param classes number of classes
     */
    LogisticRegression(double[] x, int d, int[] y, double[] sampleWeights, int classes) {
        this.x = x;
        this.d = d;
        this.n = x.length / d;
        this.y = y;
        this.sampleWeights = sampleWeights;
        this.classes = classes;
        if (y.length != n) {
            throw new IllegalArgumentException(n + " rows but " + y.length + " labels");
        }
    }

    /** {@return parameters of a model that predicts the uniform distribution: classes × d weights, then biases} */
    double[] zero() {
        return new double[classes * d + classes];
    }

    /**
     * Fits the model for one penalty, starting from {@code parameters} (updated in place: pass the
     * previous solution along a path of penalties to warm-start).
     *
     * @param c inverse penalty strength, as scikit-learn's {@code C}
     * @param parameters start, and on return the solution
     * @return how the solver ended
     */
    Lbfgs.Outcome fit(double c, double[] parameters) {
        double penalty = 1.0 / (c * n);
        return Lbfgs.minimise((theta, gradient) -> objective(theta, gradient, penalty), parameters, TOLERANCE, MAX_ITERATIONS);
    }

    double objective(double[] theta, double[] gradient, double penalty) {
        java.util.Arrays.fill(gradient, 0);
        int biasOffset = classes * d;
        double[] z = new double[classes];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int row = i * d;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                z[k] = theta[biasOffset + k] + dot(x, row, theta, k * d, d);
                max = Math.max(max, z[k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                z[k] = Math.exp(z[k] - max);
                sum += z[k];
            }
            double s = sampleWeights == null ? 1 : sampleWeights[i];
            double pTrue = z[y[i]] / sum;
            loss += -s * Math.log(Math.max(pTrue, 1e-300));
            for (int k = 0; k < classes; k++) {
                double r = s * (z[k] / sum - (k == y[i] ? 1 : 0)) / n;
                gradient[biasOffset + k] += r;
                int w = k * d;
                for (int j = 0; j < d; j++) {
                    gradient[w + j] += r * x[row + j];
                }
            }
        }
        double l2 = 0;
        for (int q = 0; q < biasOffset; q++) {
            l2 += theta[q] * theta[q];
            gradient[q] += penalty * theta[q];
        }
        return loss / n + 0.5 * penalty * l2;
    }

    /**
     * @param theta fitted parameters
     * @param features standardised features, rows × d row-major
     * @return logits, rows × classes row-major
     */
    static double[] logits(double[] theta, double[] features, int d, int classes) {
        int rows = features.length / d;
        double[] out = new double[rows * classes];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < classes; k++) {
                out[i * classes + k] = theta[classes * d + k] + dot(features, i * d, theta, k * d, d);
            }
        }
        return out;
    }

    private static double dot(double[] a, int aOffset, double[] b, int bOffset, int length) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < length; j += 4) {
            s0 += a[aOffset + j] * b[bOffset + j];
            s1 += a[aOffset + j + 1] * b[bOffset + j + 1];
            s2 += a[aOffset + j + 2] * b[bOffset + j + 2];
            s3 += a[aOffset + j + 3] * b[bOffset + j + 3];
        }
        for (; j < length; j++) {
            s0 += a[aOffset + j] * b[bOffset + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * @param count number of values
     * @return {@code count} values spaced evenly on a log scale from 1e-4 to 1e4, as scikit-learn's
     *     {@code LogisticRegressionCV(Cs=count)}
     */
    static double[] defaultGrid(int count) {
        double[] cs = new double[count];
        for (int i = 0; i < count; i++) {
            cs[i] = Math.pow(10, -4 + 8.0 * i / (count - 1));
        }
        return cs;
    }
}
