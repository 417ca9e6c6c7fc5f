package dev.graft.compare;

import java.util.Arrays;

/** Means, medians and Student's t intervals of a handful of runs. */
public final class Statistics {

    /** Two-sided 95 % critical values of Student's t for 1 to 30 degrees of freedom. */
    private static final double[] T95 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
        2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
        2.048, 2.045, 2.042};

    private Statistics() {}

    /**
     * {@return the arithmetic mean}
     *
     * @param values the sample; empty gives NaN
     */
    public static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /**
     * {@return the median}
     *
     * @param values the sample, not changed; empty gives NaN
     */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * {@return the half-width of the 95 % confidence interval of the mean; 0 for fewer than two values}
     *
     * @param values the sample
     */
    public static double interval95(double[] values) {
        int n = values.length;
        if (n < 2) {
            return 0;
        }
        double m = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - m) * (v - m);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double t = n - 1 <= T95.length ? T95[n - 2] : 1.960;
        return t * sd / Math.sqrt(n);
    }
}
