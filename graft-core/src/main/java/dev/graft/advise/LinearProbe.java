package dev.graft.advise;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Multinomial logistic regression on standardised features, trained full-batch with Adam from
 * zero weights: a quick, deterministic linear probe of what frozen features can do.
 */
public final class LinearProbe {

    /** L2 penalty on the weights (not the biases). */
    public static final double DEFAULT_L2 = 1e-3;

    /** Full-batch optimiser steps. */
    public static final int DEFAULT_ITERATIONS = 300;

    private static final double LEARNING_RATE = 0.05;

    private final int dim;
    private final int classes;
    private final double[] mean;
    private final double[] scale;
    private final double[] weights; // classes × dim
    private final double[] bias;

    private LinearProbe(int dim, int classes, double[] mean, double[] scale, double[] weights, double[] bias) {
        this.dim = dim;
        this.classes = classes;
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * Fits a probe with the default regularisation and iteration count.
     *
     * @param x features, one row per example; not empty
     * @param y class indices in [0, classes)
     * @param classes number of classes, at least 2
     * @return the fitted probe
     */
    public static LinearProbe fit(float[][] x, int[] y, int classes) {
        return fit(x, y, classes, DEFAULT_L2, DEFAULT_ITERATIONS);
    }

    /**
     * Fits an L2-regularised multinomial logistic regression.
     *
     * @param x features, one row per example; not empty
     * @param y class indices in [0, classes)
     * @param classes number of classes, at least 2
     * @param l2 penalty on the squared weights
     * @param iterations full-batch steps
     * @return the fitted probe
     */
    public static LinearProbe fit(float[][] x, int[] y, int classes, double l2, int iterations) {
        if (x.length == 0 || x.length != y.length || classes < 2) {
            throw new IllegalArgumentException("need examples with labels of at least 2 classes");
        }
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                double v = row[j] - mean[j];
                scale[j] += v * v;
            }
        }
        for (int j = 0; j < d; j++) {
            scale[j] = Math.sqrt(scale[j] / n) + 1e-6;
        }
        double[] z = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i * d + j] = (x[i][j] - mean[j]) / scale[j];
            }
        }
        double[] w = new double[classes * d];
        double[] b = new double[classes];
        double[] gw = new double[w.length];
        double[] gb = new double[classes];
        Adam adamW = new Adam(w.length);
        Adam adamB = new Adam(classes);
        double[] p = new double[classes];
        for (int t = 1; t <= iterations; t++) {
            java.util.Arrays.fill(gw, 0);
            java.util.Arrays.fill(gb, 0);
            for (int i = 0; i < n; i++) {
                softmax(z, i * d, d, w, b, classes, p);
                for (int k = 0; k < classes; k++) {
                    double g = (p[k] - (y[i] == k ? 1 : 0)) / n;
                    gb[k] += g;
                    int row = k * d;
                    for (int j = 0; j < d; j++) {
                        gw[row + j] += g * z[i * d + j];
                    }
                }
            }
            for (int q = 0; q < w.length; q++) {
                gw[q] += l2 * w[q];
            }
            adamW.step(w, gw, t);
            adamB.step(b, gb, t);
        }
        return new LinearProbe(d, classes, mean, scale, w, b);
    }

    /**
     * Scores feature rows.
     *
     * @param x features
     * @return class probabilities per row
     */
    public float[][] probabilities(float[][] x) {
        float[][] out = new float[x.length][classes];
        double[] z = new double[dim];
        double[] p = new double[classes];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < dim; j++) {
                z[j] = (x[i][j] - mean[j]) / scale[j];
            }
            softmax(z, 0, dim, weights, bias, classes, p);
            for (int k = 0; k < classes; k++) {
                out[i][k] = (float) p[k];
            }
        }
        return out;
    }

    /**
     * Classifies feature rows.
     *
     * @param x features
     * @return the most probable class per row
     */
    public int[] predict(float[][] x) {
        return dev.graft.train.ClassificationMetrics.argmax(probabilities(x));
    }

    /**
     * Stratified k-fold cross-validation: every example is predicted by a probe that did not see it.
     *
     * @param x features
     * @param y class indices
     * @param classes number of classes
     * @param folds number of folds, at least 2
     * @param seed assigns examples to folds
     * @return out-of-fold class probabilities, one row per example
     */
    public static float[][] outOfFold(float[][] x, int[] y, int classes, int folds, long seed) {
        int[] fold = folds(y, classes, folds, seed);
        float[][] out = new float[x.length][];
        for (int f = 0; f < folds; f++) {
            List<Integer> train = new ArrayList<>();
            List<Integer> held = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                (fold[i] == f ? held : train).add(i);
            }
            if (held.isEmpty()) {
                continue;
            }
            float[][] tx = new float[train.size()][];
            int[] ty = new int[train.size()];
            for (int i = 0; i < tx.length; i++) {
                tx[i] = x[train.get(i)];
                ty[i] = y[train.get(i)];
            }
            float[][] hx = new float[held.size()][];
            for (int i = 0; i < hx.length; i++) {
                hx[i] = x[held.get(i)];
            }
            float[][] p = fit(tx, ty, classes).probabilities(hx);
            for (int i = 0; i < hx.length; i++) {
                out[held.get(i)] = p[i];
            }
        }
        return out;
    }

    /** Deals each class's examples, shuffled, round-robin into the folds. */
    static int[] folds(int[] y, int classes, int folds, long seed) {
        if (folds < 2) {
            throw new IllegalArgumentException("need at least 2 folds: " + folds);
        }
        Random random = new Random(seed);
        int[] fold = new int[y.length];
        int next = 0;
        for (int k = 0; k < classes; k++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == k) {
                    members.add(i);
                }
            }
            java.util.Collections.shuffle(members, random);
            for (int i : members) {
                fold[i] = next++ % folds;
            }
        }
        return fold;
    }

    private static void softmax(double[] z, int offset, int d, double[] w, double[] b, int classes, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            double s = b[k];
            int row = k * d;
            for (int j = 0; j < d; j++) {
                s += w[row + j] * z[offset + j];
            }
            p[k] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            p[k] = Math.exp(p[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < classes; k++) {
            p[k] /= sum;
        }
    }

    /** Adam's moment estimates for one parameter vector. */
    private static final class Adam {
        private final double[] m;
        private final double[] v;

        Adam(int size) {
            m = new double[size];
            v = new double[size];
        }

        void step(double[] param, double[] grad, int t) {
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int q = 0; q < param.length; q++) {
                m[q] = 0.9 * m[q] + 0.1 * grad[q];
                v[q] = 0.999 * v[q] + 0.001 * grad[q] * grad[q];
                param[q] -= LEARNING_RATE * (m[q] / c1) / (Math.sqrt(v[q] / c2) + 1e-8);
            }
        }
    }
}
