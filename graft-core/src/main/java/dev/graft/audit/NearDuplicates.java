package dev.graft.audit;

import java.util.ArrayList;
import java.util.List;

/** Pairs of feature vectors whose cosine similarity reaches a threshold. */
public final class NearDuplicates {

    /** Pair {@code (a, b)} with cosine {@code cosine}; {@code a < b} within one set. */
    public record Pair(int a, int b, double cosine) {}

    private NearDuplicates() {}

    /**
     * Finds near-duplicate pairs within one set of vectors.
     *
     * @param x feature vectors
     * @param threshold cosine at which two vectors count as near duplicates
     * @return every pair within {@code x} at or above the threshold
     */
    public static List<Pair> within(float[][] x, double threshold) {
        float[][] u = unit(x);
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < u.length; i++) {
            for (int j = i + 1; j < u.length; j++) {
                double c = dot(u[i], u[j]);
                if (c >= threshold) {
                    out.add(new Pair(i, j, c));
                }
            }
        }
        return out;
    }

    /**
     * Finds near duplicates between two sets of vectors, e.g. test examples that leak from training.
     *
     * @param queries feature vectors, e.g. of a test set
     * @param x feature vectors, e.g. of the training set
     * @param threshold cosine at which two vectors count as near duplicates
     * @return for every query with a near duplicate in {@code x}, the closest one ({@code a} the query)
     */
    public static List<Pair> across(float[][] queries, float[][] x, double threshold) {
        float[][] q = unit(queries);
        float[][] u = unit(x);
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < q.length; i++) {
            int best = -1;
            double bestCosine = threshold;
            for (int j = 0; j < u.length; j++) {
                double c = dot(q[i], u[j]);
                if (c >= bestCosine) {
                    best = j;
                    bestCosine = c;
                }
            }
            if (best >= 0) {
                out.add(new Pair(i, best, bestCosine));
            }
        }
        return out;
    }

    static float[][] unit(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            double n = Math.sqrt(dot(x[i], x[i]));
            out[i] = new float[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = (float) (n == 0 ? 0 : x[i][j] / n);
            }
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        float s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
