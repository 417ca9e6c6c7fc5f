package dev.graft.train;

import java.util.Random;

/** Gaussian class clusters in feature space: separable with noise, generated from a seed. */
final class SyntheticFeatures {

    final float[][] x;
    final int[] y;

    SyntheticFeatures(int rows, int dim, int classes, double noise, long seed) {
        Random r = new Random(seed);
        float[][] centres = new float[classes][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) r.nextGaussian();
            }
        }
        x = new float[rows][dim];
        y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % classes;
            for (int j = 0; j < dim; j++) {
                x[i][j] = (float) (centres[y[i]][j] + noise * r.nextGaussian()) * 0.05f + 0.3f;
            }
        }
    }
}
