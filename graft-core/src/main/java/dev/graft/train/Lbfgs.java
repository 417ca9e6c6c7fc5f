package dev.graft.train;

import java.util.Arrays;

/**
 * Limited-memory BFGS for a smooth convex objective: the two-loop recursion over the last
 * {@value #MEMORY} steps and a backtracking line search with the Armijo condition. Deterministic:
 * the same objective and start give the same iterates.
 */
final class Lbfgs {

    /** Corrections remembered. */
    static final int MEMORY = 10;

    /** An objective: writes the gradient at {@code x} into {@code gradient} and returns the value. */
    interface Objective {
        double evaluate(double[] x, double[] gradient);
    }

    /**
     * @param converged whether the gradient or the decrease fell below the tolerance
     * @param iterations iterations run
     * @param value objective at the returned point
     */
    record Outcome(boolean converged, int iterations, double value) {}

    private Lbfgs() {}

    /**
     * Minimises {@code f} from {@code x} (updated in place).
     *
     * @param gradientTolerance stop when the largest gradient component is below this
     * @param maxIterations stop after this many iterations
     * @return how it ended
     */
    static Outcome minimise(Objective f, double[] x, double gradientTolerance, int maxIterations) {
        int n = x.length;
        double[][] s = new double[MEMORY][n];
        double[][] y = new double[MEMORY][n];
        double[] rho = new double[MEMORY];
        double[] alpha = new double[MEMORY];
        double[] g = new double[n];
        double[] gNew = new double[n];
        double[] direction = new double[n];
        double[] xNew = new double[n];
        double value = f.evaluate(x, g);
        int stored = 0;
        int newest = -1;
        for (int iteration = 1; iteration <= maxIterations; iteration++) {
            if (maxAbs(g) <= gradientTolerance) {
                return new Outcome(true, iteration - 1, value);
            }
            searchDirection(g, s, y, rho, alpha, stored, newest, direction);
            double slope = dot(g, direction);
            if (slope >= 0) { // not a descent direction: restart from the gradient
                stored = 0;
                for (int j = 0; j < n; j++) {
                    direction[j] = -g[j] / Math.max(1e-12, Math.sqrt(dot(g, g)));
                }
                slope = dot(g, direction);
            }
            double step = 1;
            double valueNew = Double.NaN;
            boolean accepted = false;
            for (int tries = 0; tries < 40; tries++) {
                for (int j = 0; j < n; j++) {
                    xNew[j] = x[j] + step * direction[j];
                }
                valueNew = f.evaluate(xNew, gNew);
                if (Double.isFinite(valueNew) && valueNew <= value + 1e-4 * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                return new Outcome(false, iteration, value);
            }
            int next = (newest + 1) % MEMORY;
            double sy = 0;
            for (int j = 0; j < n; j++) {
                s[next][j] = xNew[j] - x[j];
                y[next][j] = gNew[j] - g[j];
                sy += s[next][j] * y[next][j];
            }
            double decrease = value - valueNew;
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            value = valueNew;
            if (sy > 1e-12) { // keep the update only where the curvature is positive
                rho[next] = 1 / sy;
                newest = next;
                stored = Math.min(MEMORY, stored + 1);
            }
            if (decrease <= 1e-12 * Math.max(1, Math.abs(value))) {
                return new Outcome(true, iteration, value);
            }
        }
        return new Outcome(maxAbs(g) <= gradientTolerance, maxIterations, value);
    }

    /** The two-loop recursion: {@code direction = -H g}, H the inverse Hessian the stored pairs approximate. */
    private static void searchDirection(double[] g, double[][] s, double[][] y, double[] rho, double[] alpha, int stored,
            int newest, double[] direction) {
        int n = g.length;
        System.arraycopy(g, 0, direction, 0, n);
        for (int k = 0; k < stored; k++) {
            int i = Math.floorMod(newest - k, MEMORY);
            alpha[i] = rho[i] * dot(s[i], direction);
            axpy(-alpha[i], y[i], direction);
        }
        double scale = stored == 0 ? 1.0 / Math.max(1e-12, Math.sqrt(dot(g, g))) : 1.0 / (rho[newest] * dot(y[newest], y[newest]));
        for (int j = 0; j < n; j++) {
            direction[j] *= scale;
        }
        for (int k = stored - 1; k >= 0; k--) {
            int i = Math.floorMod(newest - k, MEMORY);
            double beta = rho[i] * dot(y[i], direction);
            axpy(alpha[i] - beta, s[i], direction);
        }
        for (int j = 0; j < n; j++) {
            direction[j] = -direction[j];
        }
    }

    static double dot(double[] a, double[] b) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = a.length;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int j = 0; j < y.length; j++) {
            y[j] += a * x[j];
        }
    }

    private static double maxAbs(double[] v) {
        return Arrays.stream(v).map(Math::abs).max().orElse(0);
    }
}
