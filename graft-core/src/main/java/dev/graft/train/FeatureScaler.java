package dev.graft.train;

/**
 * Per-dimension standardisation fitted on training features, so that one learning rate suits
 * any backbone's feature scale.
 *
 * @param mean per-dimension mean
 * @param scale per-dimension standard deviation (never below 1e-6)
 */
public record FeatureScaler(float[] mean, float[] scale) {

    /**
     * Checks that the mean and scale have the same length.
     *
     * @param mean per-dimension mean
     * @param scale per-dimension standard deviation (never below 1e-6)
     */
    public FeatureScaler {
        if (mean.length != scale.length) {
            throw new IllegalArgumentException("mean and scale differ in length");
        }
    }

    /**
     * Makes a scaler that leaves features unchanged.
     *
     * @param dimension feature length
     * @return a scaler that changes nothing, for features that will change completely (a backbone
     *     learning from scratch)
     */
    public static FeatureScaler identity(int dimension) {
        float[] ones = new float[dimension];
        java.util.Arrays.fill(ones, 1f);
        return new FeatureScaler(new float[dimension], ones);
    }

    /**
     * Standardises each feature; a feature that barely varies on the training data (a channel a
     * ReLU left at 0, say) is divided by at least 1 % of the typical standard deviation, so that
     * small changes of it later (fine-tuning, a half-precision cache) cannot blow up.
     *
     * @param features training features, all of one length
     * @return the scaler fitted to them
     */
    public static FeatureScaler fit(float[][] features) {
        int d = features[0].length;
        double[] sum = new double[d];
        double[] sq = new double[d];
        for (float[] row : features) {
            for (int j = 0; j < d; j++) {
                sum[j] += row[j];
                sq[j] += (double) row[j] * row[j];
            }
        }
        float[] mean = new float[d];
        float[] scale = new float[d];
        int n = features.length;
        double[] std = new double[d];
        double[] sorted = new double[d];
        for (int j = 0; j < d; j++) {
            double m = sum[j] / n;
            mean[j] = (float) m;
            std[j] = Math.sqrt(Math.max(0, sq[j] / n - m * m));
            sorted[j] = std[j];
        }
        java.util.Arrays.sort(sorted);
        double floor = Math.max(1e-6, 0.01 * sorted[d / 2]);
        for (int j = 0; j < d; j++) {
            scale[j] = (float) Math.max(std[j], floor);
        }
        return new FeatureScaler(mean, scale);
    }

    /**
     * Standardises feature rows: subtracts the mean and divides by the scale, per dimension.
     *
     * @param features feature rows, each as long as {@link #mean()}
     * @return standardised copies of the rows, flattened row-major
     */
    public float[] apply(float[][] features) {
        int d = mean.length;
        float[] out = new float[features.length * d];
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != d) {
                throw new IllegalArgumentException("feature length " + features[i].length + " != " + d);
            }
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (features[i][j] - mean[j]) / scale[j];
            }
        }
        return out;
    }

    /** {@return the feature length} */
    public int dimension() {
        return mean.length;
    }
}
